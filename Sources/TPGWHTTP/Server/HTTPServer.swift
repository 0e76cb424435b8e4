import Foundation
import Synchronization
import TPGWCore
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on POSIX sockets and epoll, with a fixed number of event-loop threads.
///
/// Loop threads parse requests and write responses; handlers run in Swift tasks, so a slow handler
/// only delays its own connection. Lifecycle: `start()` binds and spawns the loops; `shutdown()`
/// stops accepting, lets in-flight requests finish (their responses carry `Connection: close`),
/// closes idle keep-alive connections, and force-closes the rest at `shutdownDeadline`.
package final class HTTPServer: Sendable {
    private enum Phase {
        case initial
        case running
        case shuttingDown
        case stopped
    }

    private struct State {
        var phase = Phase.initial
        var loops: [EventLoop] = []
        var listenFD: Int32 = -1
        var port: Int?
        var runningLoops = 0
        var listenerHolders = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        var core: ServerCore?
    }

    package let configuration: Configuration
    /// Event-loop threads are named this plus their index (visible in `ps -T`, `top -H`).
    package static let loopThreadNamePrefix = "tpgw-http-"
    private let handler: HTTPHandler
    private let headGate: HeadGate?
    private let logger: Logger
    private let state = Mutex(State())

    /// - Parameter headGate: asked about every request that announces a body, once its head is parsed and before
    ///   the body is read (see `HeadGate`); nil admits every body.
    package init(configuration: Configuration, handler: @escaping HTTPHandler, headGate: HeadGate? = nil, logger: Logger) {
        self.configuration = configuration
        self.handler = handler
        self.headGate = headGate
        self.logger = logger
    }

    /// The bound port once started.
    package var localPort: Int? { state.withLock { $0.port } }

    /// Open connections right now (for tests and metrics).
    package var connectionCount: Int { state.withLock { $0.core?.connectionCount ?? 0 } }

    /// Bytes of `maxBufferedBodyBytes` taken by request bodies right now (for tests and metrics).
    package var bodyBytesReserved: Int { state.withLock { $0.core?.bodyBytesReserved ?? 0 } }

    /// Binds, listens and starts the loop threads. Returns the bound port. Calling it twice returns the same port.
    @discardableResult
    package func start() throws -> Int {
        try state.withLock { (state: inout State) throws -> Int in
            switch state.phase {
            case .running, .shuttingDown: return state.port ?? 0
            case .stopped: throw SocketError("start after shutdown", errno: EINVAL)
            case .initial: break
            }
            Socket.raiseOpenFileLimit()
            let fd = try Socket.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
            let core = ServerCore(
                configuration: configuration, handler: handler, headGate: headGate, logger: logger,
                onLoopExit: { [weak self] in self?.loopExited() },
                onListenerReleased: { [weak self] in self?.listenerReleased() })
            var loops: [EventLoop] = []
            do {
                for i in 0..<max(1, configuration.eventLoopThreads) {
                    loops.append(try EventLoop(index: i, core: core, listenFD: fd))
                }
            } catch {
                close(fd)
                throw error
            }
            state.listenFD = fd
            state.port = Socket.localPort(fd)
            state.loops = loops
            state.core = core
            state.runningLoops = loops.count
            state.listenerHolders = loops.count
            state.phase = .running
            for loop in loops {
                let thread = Thread {
                    Thread.current.name = HTTPServer.loopThreadNamePrefix + String(loop.index)
                    loop.run()
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
            logger.debug("HTTP server listening", metadata: [
                "http.host": configuration.host, "http.port": String(state.port ?? 0), "http.loops": String(loops.count),
            ])
            return state.port ?? 0
        }
    }

    /// Graceful shutdown; returns once every loop has stopped (at the latest around `shutdownDeadline`).
    package func shutdown() async {
        let loops: [EventLoop]? = state.withLock { state in
            switch state.phase {
            case .initial:
                state.phase = .stopped
                return []
            case .running:
                state.phase = .shuttingDown
                return state.loops
            case .shuttingDown, .stopped:
                return nil
            }
        }
        if let loops {
            let deadline = Socket.monotonicNanos() &+ configuration.shutdownDeadline.nanoseconds
            for loop in loops { loop.send(.drain(deadline: deadline)) }
        }
        await waitUntilStopped()
    }

    /// Starts if needed, then waits until `shutdown()` has completed.
    package func run() async throws {
        try start()
        await waitUntilStopped()
    }

    private func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.phase == .stopped { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    private func loopExited() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.runningLoops -= 1
            guard state.runningLoops == 0 else { return [] }
            state.phase = .stopped
            state.loops = []
            if state.listenFD >= 0 {
                close(state.listenFD)
                state.listenFD = -1
            }
            let waiters = state.waiters
            state.waiters = []
            return waiters
        }
        if !waiters.isEmpty { logger.debug("HTTP server stopped") }
        for waiter in waiters { waiter.resume() }
    }

    /// Every loop has removed the listening socket from its epoll set: stop accepting at the kernel too.
    private func listenerReleased() {
        state.withLock { state in
            state.listenerHolders -= 1
            if state.listenerHolders == 0 && state.listenFD >= 0 {
                close(state.listenFD)
                state.listenFD = -1
            }
        }
    }
}
