// libFuzzer harness for RequestParser. Built by scripts/fuzz-parser with the parser sources.
//
// Oracle: besides not crashing, feeding the input in one piece and feeding it split at points chosen
// from the first input byte must give the same sequence of events (requests compared field by field).

enum Outcome: Equatable {
    case request(method: String, target: String, version: String, headers: [String], body: [UInt8])
    case expectContinue
    case failure(String)
}

func run(_ data: [UInt8], chunk: Int) -> [Outcome] {
    var parser = RequestParser(limits: .init(maxRequestLineBytes: 256, maxHeaderBytes: 1024, maxHeaderCount: 16, maxBodyBytes: 4096))
    var outcomes: [Outcome] = []
    var start = 0
    while start < data.count {
        let end = min(data.count, start + chunk)
        var offset = start
        while offset < end {
            let slice = Array(data[offset..<end])
            let (consumed, event) = parser.parse(slice)
            precondition(consumed <= slice.count, "consumed more than given")
            offset += consumed
            switch event {
            case .needMore:
                precondition(offset == end, "needMore without consuming everything")
            case .head(let head):
                if head.expectsContinue { outcomes.append(.expectContinue) }
            case .request(let r):
                outcomes.append(.request(method: r.method.rawValue, target: r.target, version: r.version.description,
                                         headers: r.headers.map { $0.name + ":" + $0.value }, body: r.body))
                _ = r.queryItems
            case .failure(let e):
                outcomes.append(.failure(e.code))
                return outcomes
            }
            if consumed == 0 && offset < end {
                if case .needMore = event { preconditionFailure("no progress") }
            }
        }
        start = end
    }
    return outcomes
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let seed = Int(start[0])
    let data = Array(UnsafeBufferPointer(start: start + 1, count: count - 1))
    let whole = run(data, chunk: max(1, data.count))
    let split = run(data, chunk: seed % 7 + 1)
    if whole != split { print("whole:", whole); print("split:", split) }
    precondition(whole == split, "split feeding changed the outcome")
    return 0
}
