/// What the server must do for one request.
struct TencentSimReply: Sendable, Equatable {
    enum Action: Sendable, Equatable {
        case respond
        /// Never answer (until the client gives up or the server stops).
        case hang
        /// Drop the connection without an answer.
        case close
    }

    var status: Int
    var body: String
    var contentType = "application/json"
    var action: Action = .respond
    var delayMs: Int = 0
}
