import Synchronization
import TPGWCore

/// What every event loop of one server shares: settings, the handler, the logger and counters.
final class ServerCore: Sendable {
    let configuration: HTTPServer.Configuration
    let parserLimits: RequestParser.Limits
    let handler: HTTPHandler
    let logger: Logger
    private let openConnections = Atomic<Int>(0)
    private let onLoopExit: @Sendable () -> Void
    private let onListenerReleased: @Sendable () -> Void

    init(configuration: HTTPServer.Configuration, handler: @escaping HTTPHandler, logger: Logger,
         onLoopExit: @escaping @Sendable () -> Void, onListenerReleased: @escaping @Sendable () -> Void) {
        self.configuration = configuration
        self.parserLimits = configuration.parserLimits
        self.handler = handler
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
    func loopExited() { onLoopExit() }
    func listenerReleased() { onListenerReleased() }
}
