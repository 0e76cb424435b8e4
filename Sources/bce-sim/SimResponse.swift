/// What the server must do for one request.
struct SimResponse: Sendable, Equatable {
    enum Action: Sendable, Equatable {
        case respond
        /// Never answer (until the client gives up or the server stops).
        case hang
        /// Drop the connection without a response.
        case close
    }

    var status: Int
    /// The body in pieces, joined only when it is sent, outside the simulator's lock: a list page is ~1,000
    /// cached package objects (~330 KB), and joining them under the lock queued every region behind the others.
    var bodyParts: [String]
    var requestID: String
    var action: Action = .respond
    /// Wait this long before acting.
    var delayMs: Int = 0

    init(status: Int, body: String, requestID: String, action: Action = .respond, delayMs: Int = 0) {
        self.init(status: status, bodyParts: [body], requestID: requestID, action: action, delayMs: delayMs)
    }

    init(status: Int, bodyParts: [String], requestID: String, action: Action = .respond, delayMs: Int = 0) {
        self.status = status
        self.bodyParts = bodyParts
        self.requestID = requestID
        self.action = action
        self.delayMs = delayMs
    }

    /// The whole body as text.
    var body: String { bodyParts.count == 1 ? bodyParts[0] : bodyParts.joined() }

    /// The whole body as UTF-8 bytes, copied once.
    var bodyBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bodyParts.reduce(0) { $0 + $1.utf8.count })
        for part in bodyParts { out.append(contentsOf: part.utf8) }
        return out
    }
}
