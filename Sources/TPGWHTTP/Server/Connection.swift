/// One accepted socket and its protocol state. Confined to its event loop's thread: only the loop
/// reads or writes these fields. Tasks only carry the reference back to the loop.
final class Connection: @unchecked Sendable {
    enum DeadlineKind {
        case none
        /// Waiting for the first byte of a request; nothing received yet (close silently).
        case firstByte
        /// Head being received: 408 on expiry.
        case header
        /// Body being received: 408 on expiry.
        case body
        /// Keep-alive between requests: close silently.
        case idle
        /// Response write stalled: drop.
        case write
        /// Final response sent and write side shut down; draining what the client still sends.
        case linger
    }

    let fd: Int32
    let remoteAddress: String
    var parser: RequestParser
    /// Bytes received after a complete request while that request is being handled (pipelining).
    var pendingInput: [UInt8] = []
    /// Unsent response bytes (only when the socket buffer filled up).
    var pendingOutput: [UInt8] = []
    var outputOffset = 0
    /// A request is with its handler; reading pauses until the response is written.
    var inFlight = false
    /// The socket may have unread bytes (edge-triggered epoll: read when resuming).
    var readable = false
    /// The peer shut down its write side; answer what we have, then close.
    var peerClosed = false
    /// Close once `pendingOutput` is flushed.
    var closeAfterWrite = false
    var closed = false
    var deadline: UInt64 = 0
    var deadlineKind: DeadlineKind = .none
    /// Bytes this connection's current request body holds of the server's body budget.
    var reservedBodyBytes = 0

    // The request in flight, for the response and access log.
    var requestIsHead = false
    var requestKeepAlive = true
    var requestHTTP10 = false
    var requestID = ""

    init(fd: Int32, remoteAddress: String, limits: RequestParser.Limits) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.parser = RequestParser(limits: limits)
    }

    var hasPendingOutput: Bool { outputOffset < pendingOutput.count }

    /// Nothing received, nothing being handled, nothing to send: safe to close during shutdown.
    var isIdle: Bool { !inFlight && !hasPendingOutput && pendingInput.isEmpty && parser.isIdle && deadlineKind != .linger }
}
