/// What the server must do for one request.
package struct TencentSimReply: Sendable, Equatable {
    enum Action: Sendable, Equatable {
        case respond
        /// Never answer (until the client gives up or the server stops).
        case hang
        /// Drop the connection without an answer.
        case close
    }

    var status: Int
    package var body: String
    var contentType = "application/json"
    var action: Action = .respond
    var delayMs: Int = 0
}
