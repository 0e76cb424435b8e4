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
    var body: String
    var requestID: String
    var action: Action = .respond
    /// Wait this long before acting.
    var delayMs: Int = 0
}
