@testable import TPGWHTTP

/// What a parser produced for some input, in a comparable shape.
enum ParsedEvent: Equatable, CustomStringConvertible {
    case request(method: HTTPMethod, target: String, body: String)
    case expectContinue
    case failure(HTTPParseError.Kind)

    var description: String {
        switch self {
        case .request(let m, let t, let b): "request(\(m) \(t) body=\(b.count))"
        case .expectContinue: "expectContinue"
        case .failure(let k): "failure(\(k))"
        }
    }
}

/// Feeds `input` to a fresh parser in pieces of `chunk` bytes, collecting events and requests.
func parseAll(_ input: String, chunk: Int = .max, limits: RequestParser.Limits = .init()) -> (events: [ParsedEvent], requests: [HTTPRequest]) {
    parseAll(Array(input.utf8), chunk: chunk, limits: limits)
}

func parseAll(_ bytes: [UInt8], chunk: Int = .max, limits: RequestParser.Limits = .init()) -> (events: [ParsedEvent], requests: [HTTPRequest]) {
    var parser = RequestParser(limits: limits)
    var events: [ParsedEvent] = []
    var requests: [HTTPRequest] = []
    var start = 0
    while start < bytes.count {
        let end = start + min(chunk, bytes.count - start)
        var offset = start
        while offset < end {
            let (consumed, event) = parser.parse(Array(bytes[offset..<end]))
            offset += consumed
            switch event {
            case .needMore: break
            case .head(let head): if head.expectsContinue { events.append(.expectContinue) }
            case .request(let r):
                requests.append(r)
                events.append(.request(method: r.method, target: r.target, body: String(decoding: r.body, as: UTF8.self)))
            case .failure(let e):
                events.append(.failure(e.kind))
                return (events, requests)
            }
        }
        start = end
    }
    return (events, requests)
}
