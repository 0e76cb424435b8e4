// libFuzzer harness for ResponseClassifier.classify (webhook responses). Built by scripts/fuzz-webhook with the
// classifier's sources.
//
// Input: byte 0 picks the status (100...599), byte 1 the channel format, then the Retry-After value up to the
// first newline, then the body. Oracle: never traps; Retry-After is used only on 408/429/503 and never past an
// hour; 2xx from a non-robot is delivered; a non-2xx is never delivered.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 2 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let statuses = [200, 201, 204, 301, 400, 401, 403, 404, 408, 409, 413, 429, 500, 502, 503, 504]
    let status = bytes[0] < 128 ? statuses[Int(bytes[0]) % statuses.count] : 100 + Int(bytes[0]) * 2
    let format = ChannelFormat.allCases[Int(bytes[1]) % ChannelFormat.allCases.count]
    let rest = bytes[2...]
    let newline = rest.firstIndex(of: 0x0A) ?? rest.endIndex
    let retryAfter = String(decoding: rest[rest.startIndex..<newline], as: UTF8.self)
    let body = Array(newline < rest.endIndex ? rest[(newline + 1)...] : [])
    let result = DeliveryResult.response(status: status, headers: [.init("Retry-After", retryAfter)], body: body)
    let outcome = ResponseClassifier.classify(result, format: format, now: Date(timeIntervalSince1970: 1_790_000_000))
    switch outcome {
    case .delivered:
        precondition((200..<300).contains(status), "delivered on \(status)")
    case .retryable(let reason, let wait):
        if let wait {
            precondition(wait >= 0 && wait <= 3600, "retry-after \(wait) out of range")
            precondition([408, 429, 503].contains(status) || (200..<300).contains(status), "retry-after read on \(status)")
        }
        precondition(reason.count <= 400, "reason too long")
    case .permanent(let reason):
        precondition(reason.count <= 400, "reason too long")
    }
    if !format.isRobot, (200..<300).contains(status) { precondition(outcome == .delivered) }
    return 0
}
