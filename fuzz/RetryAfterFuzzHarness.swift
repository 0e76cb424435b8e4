// libFuzzer harness for RetryAfter.parse. Built by scripts/fuzz-webhook with RetryAfter.swift and RFC3339.swift.
//
// Oracle: never traps; a result is finite and within 0...limit; delta-seconds agree with integer parsing
// where that does not overflow; an accepted date is an IMF-fixdate of 29 bytes.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    for limit in [RetryAfter.defaultLimit, 0, 1e300] {
        guard let wait = RetryAfter.parse(text, now: now, limit: limit) else { continue }
        precondition(wait.isFinite && wait >= 0 && wait <= max(0, limit), "out of range: \(wait) for \(text.debugDescription)")
        let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        if let n = Int(trimmed), n >= 0 {
            precondition(wait == min(Double(n), max(0, limit)), "delta mismatch for \(text.debugDescription)")
        } else if trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            precondition(wait == max(0, limit) || wait == min(Double(Int.max), limit), "saturation for \(text.debugDescription)")
        } else {
            precondition(trimmed.utf8.count == 29 && trimmed.hasSuffix(" GMT"), "accepted a non-IMF date \(text.debugDescription)")
        }
    }
    return 0
}
