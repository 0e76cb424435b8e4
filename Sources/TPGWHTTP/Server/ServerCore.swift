import Synchronization
import TPGWCore

/// What every event loop of one server shares: settings, the handler, the logger and counters.
final class ServerCore: Sendable {
    let configuration: HTTPServer.Configuration
    let parserLimits: RequestParser.Limits
    let handler: HTTPHandler
    let headGate: HeadGate?
    let logger: Logger
    private let openConnections = Atomic<Int>(0)
    private let reservedBodyBytes = Atomic<Int>(0)
    private let onLoopExit: @Sendable () -> Void
    private let onListenerReleased: @Sendable () -> Void

    init(configuration: HTTPServer.Configuration, handler: @escaping HTTPHandler, headGate: HeadGate?, logger: Logger,
         onLoopExit: @escaping @Sendable () -> Void, onListenerReleased: @escaping @Sendable () -> Void) {
        self.configuration = configuration
        self.parserLimits = configuration.parserLimits
        self.handler = handler
        self.headGate = headGate
        self.logger = logger
        self.onLoopExit = onLoopExit
        self.onListenerReleased = onListenerReleased
    }

    var connectionCount: Int { openConnections.load(ordering: .relaxed) }

    /// Counts a new connection unless the limit is reached.
    func reserveConnection() -> Bool {
        let n = openConnections.add(1, ordering: .relaxed).newValue
        if n > configuration.maxConnections {
            openConnections.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func releaseConnection() { openConnections.subtract(1, ordering: .relaxed) }

    /// Bytes of the body budget taken right now.
    var bodyBytesReserved: Int { reservedBodyBytes.load(ordering: .relaxed) }

    /// Takes `bytes` from the global body budget unless that would exceed `maxBufferedBodyBytes`.
    func reserveBody(_ bytes: Int) -> Bool {
        let n = reservedBodyBytes.add(bytes, ordering: .relaxed).newValue
        if n > configuration.maxBufferedBodyBytes {
            reservedBodyBytes.subtract(bytes, ordering: .relaxed)
            return false
        }
        return true
    }

    func releaseBody(_ bytes: Int) { reservedBodyBytes.subtract(bytes, ordering: .relaxed) }
    func loopExited() { onLoopExit() }
    func listenerReleased() { onListenerReleased() }
}
