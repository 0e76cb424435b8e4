import Foundation
import Synchronization
import TPGWCore
#if canImport(Glibc)
import Glibc
#endif

/// One epoll loop on its own thread. Owns its connections; accepts from the shared listening socket.
///
/// Handlers never run here: a parsed request goes to a `Task`, whose response comes back through
/// `inbox` (a lock-protected queue) plus an eventfd wake-up.
final class EventLoop: @unchecked Sendable {
    struct Completion {
        var connection: Connection
        var response: HTTPResponse
    }

    enum Command {
        case drain(deadline: UInt64)
    }

    private struct Inbox {
        var completions: [Completion] = []
        var commands: [Command] = []
        var wakePending = false
    }

    let index: Int
    private let core: ServerCore
    private let epfd: Int32
    private let wakeFD: Int32
    private let listenFD: Int32
    private let inbox = Mutex(Inbox())

    // Loop-thread state.
    private var connections: [Int32: Connection] = [:]
    private let readSize = 64 * 1024
    private let readBuffer: UnsafeMutableRawBufferPointer
    private var out: [UInt8] = []
    private var dateCache = HTTPDateCache()
    private var draining = false
    private var drainDeadline: UInt64 = 0
    private var listening = true
    /// Out of file descriptors: the listening socket is out of our epoll set until this time (0 = not paused).
    private var acceptPausedUntil: UInt64 = 0
    private let sweepIntervalNanos: UInt64
    private var nextSweep: UInt64 = 0

    init(index: Int, core: ServerCore, listenFD: Int32) throws(SocketError) {
        self.index = index
        self.core = core
        self.listenFD = listenFD
        epfd = Epoll.create()
        guard epfd >= 0 else { throw SocketError("epoll_create1") }
        wakeFD = Epoll.eventFD()
        guard wakeFD >= 0 else {
            let error = SocketError("eventfd")
            close(epfd)
            throw error
        }
        readBuffer = .allocate(byteCount: readSize, alignment: 16)
        out.reserveCapacity(16 * 1024)
        let c = core.configuration
        let shortest = [c.headerReadTimeout, c.bodyReadTimeout, c.idleTimeout, c.writeTimeout].map(\.nanoseconds).min() ?? 1_000_000_000
        sweepIntervalNanos = min(1_000_000_000, max(5_000_000, shortest / 4))
        guard Epoll.control(epfd, Epoll.EPOLL_CTL_ADD, wakeFD, events: Epoll.EPOLLIN) == 0 else {
            let error = SocketError("epoll_ctl(eventfd)")
            close(wakeFD)
            close(epfd)
            throw error
        }
        guard Epoll.control(epfd, Epoll.EPOLL_CTL_ADD, listenFD, events: Epoll.EPOLLIN | Epoll.EPOLLEXCLUSIVE) == 0 else {
            let error = SocketError("epoll_ctl(listen)")
            close(wakeFD)
            close(epfd)
            throw error
        }
    }

    deinit {
        // Closed only when no Task can still hold us: a late completion never writes to a reused fd.
        close(wakeFD)
        close(epfd)
        readBuffer.deallocate()
    }

    // MARK: - Cross-thread entry points

    /// Called from handler tasks: queue the response and wake the loop (one eventfd write per batch).
    func complete(_ connection: Connection, _ response: HTTPResponse) {
        let wake = inbox.withLock { inbox -> Bool in
            inbox.completions.append(Completion(connection: connection, response: response))
            if inbox.wakePending { return false }
            inbox.wakePending = true
            return true
        }
        if wake { signal() }
    }

    func send(_ command: Command) {
        let wake = inbox.withLock { inbox -> Bool in
            inbox.commands.append(command)
            if inbox.wakePending { return false }
            inbox.wakePending = true
            return true
        }
        if wake { signal() }
    }

    private func signal() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }

    // MARK: - The loop

    func run() {
        let maxEvents = 256
        let events = Epoll.Events(capacity: maxEvents)
        defer { events.deallocate() }
        nextSweep = Socket.monotonicNanos() + sweepIntervalNanos
        while true {
            let timeoutMs = acceptPausedUntil != 0 ? 20 : Int32(max(1, sweepIntervalNanos / 1_000_000))
            let n = Epoll.wait(epfd, events, timeoutMs: timeoutMs)
            if n < 0 && errno != EINTR {
                core.logger.error("epoll_wait failed", metadata: ["errno": "\(errno)"])
                break
            }
            var woke = false
            for i in 0..<max(0, Int(n)) {
                let fd = events.fd(at: i)
                if fd == wakeFD {
                    woke = true
                } else if fd == listenFD {
                    if listening { acceptConnections() }
                } else if let connection = connections[fd] {
                    handleEvents(events.events(at: i), connection)
                }
            }
            if woke { drainInbox() }
            let now = Socket.monotonicNanos()
            if acceptPausedUntil != 0 && now >= acceptPausedUntil {
                acceptPausedUntil = 0
                if listening { Epoll.control(epfd, Epoll.EPOLL_CTL_ADD, listenFD, events: Epoll.EPOLLIN | Epoll.EPOLLEXCLUSIVE) }
            }
            if now >= nextSweep {
                sweep(now: now)
                nextSweep = now + sweepIntervalNanos
            }
            if draining {
                if connections.isEmpty { break }
                if now >= drainDeadline {
                    for connection in Array(connections.values) { closeNow(connection) }
                    break
                }
            }
        }
        for connection in Array(connections.values) { closeNow(connection) }
        core.loopExited()
    }

    private func drainInbox() {
        var counter: UInt64 = 0
        _ = Glibc.read(wakeFD, &counter, 8)
        let (completions, commands) = inbox.withLock { inbox -> ([Completion], [Command]) in
            let taken = (inbox.completions, inbox.commands)
            inbox.completions = []
            inbox.commands = []
            inbox.wakePending = false
            return taken
        }
        for command in commands {
            switch command {
            case .drain(let deadline):
                beginDrain(deadline: deadline)
            }
        }
        for completion in completions {
            finish(completion.connection, completion.response)
        }
    }

    private func beginDrain(deadline: UInt64) {
        guard !draining else { return }
        draining = true
        drainDeadline = deadline
        if listening {
            listening = false
            if acceptPausedUntil == 0 { Epoll.control(epfd, Epoll.EPOLL_CTL_DEL, listenFD, events: 0) }
            core.listenerReleased()
        }
        for connection in Array(connections.values) where connection.isIdle {
            closeNow(connection)
        }
    }

    // MARK: - Accepting

    private func acceptConnections() {
        for _ in 0..<64 {
            var storage = sockaddr_storage()
            var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutableBytes(of: &storage) { Epoll.acceptNonBlocking(listenFD, $0.baseAddress!, &len) }
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE {
                    // Level-triggered accept would spin: step back for 100 ms.
                    core.logger.warning("accept paused: out of file descriptors")
                    Epoll.control(epfd, Epoll.EPOLL_CTL_DEL, listenFD, events: 0)
                    acceptPausedUntil = Socket.monotonicNanos() + 100_000_000
                }
                return
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if !core.reserveConnection() {
                refuse(fd)
                continue
            }
            let connection = Connection(fd: fd, remoteAddress: Socket.describe(&storage), limits: core.parserLimits)
            let interest = Epoll.EPOLLIN | Epoll.EPOLLOUT | Epoll.EPOLLRDHUP | Epoll.EPOLLET
            guard Epoll.control(epfd, Epoll.EPOLL_CTL_ADD, fd, events: interest) == 0 else {
                close(fd)
                core.releaseConnection()
                continue
            }
            connections[fd] = connection
            setDeadline(connection, .firstByte, core.configuration.headerReadTimeout.nanoseconds)
        }
    }

    /// Over the connection limit: a best-effort 503 and close, without touching existing connections.
    private func refuse(_ fd: Int32) {
        let id = RequestID.generate()
        let response = HTTPProblem(.serviceUnavailable, code: "unavailable", detail: "too many connections",
                                   headers: ["Retry-After": "1"]).response(requestID: id)
        out.removeAll(keepingCapacity: true)
        ResponseEncoder.encode(response, options: .init(keepAlive: false, requestID: id), date: dateCache.current(), into: &out)
        _ = out.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        Glibc.shutdown(fd, Int32(SHUT_WR))
        close(fd)
    }

    // MARK: - Reading

    private func handleEvents(_ events: UInt32, _ connection: Connection) {
        if events & (Epoll.EPOLLRDHUP | Epoll.EPOLLHUP) != 0 {
            // The peer sent FIN: answer what was received, then close.
            connection.peerClosed = true
        }
        if events & (Epoll.EPOLLIN | Epoll.EPOLLRDHUP | Epoll.EPOLLHUP | Epoll.EPOLLERR) != 0 {
            connection.readable = true
            readAvailable(connection)
        }
        if !connection.closed && events & Epoll.EPOLLOUT != 0 && connection.hasPendingOutput {
            flush(connection)
        }
    }

    /// Reads while there is data and no request is in flight.
    private func readAvailable(_ connection: Connection) {
        while connection.readable && !connection.inFlight && !connection.closed && !connection.hasPendingOutput {
            let n = Glibc.read(connection.fd, readBuffer.baseAddress, readSize)
            if n > 0 {
                if n < readSize { connection.readable = false }
                if connection.deadlineKind == .linger { continue }  // discard
                process(connection, UnsafeRawBufferPointer(rebasing: readBuffer[0..<n]))
            } else if n == 0 {
                connection.readable = false
                connection.peerClosed = true
                if connection.deadlineKind == .linger || connection.isIdle || !connection.parser.isIdle {
                    closeNow(connection)
                }
                return
            } else {
                if errno == EINTR { continue }
                connection.readable = false
                if errno != EAGAIN && errno != EWOULDBLOCK { closeNow(connection) }
                break
            }
        }
        if connection.peerClosed && !connection.readable && !connection.closed && !connection.inFlight
            && !connection.hasPendingOutput {
            // The peer will send nothing more and nothing is owed to it.
            closeNow(connection)
        }
    }

    /// Runs the parser over `input` until it needs more bytes or hands a request to a handler.
    private func process(_ connection: Connection, _ input: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < input.count && !connection.closed {
            if connection.parser.isIdle && connection.deadlineKind != .header {
                setDeadline(connection, .header, core.configuration.headerReadTimeout.nanoseconds)
            }
            let (consumed, event) = connection.parser.parse(UnsafeRawBufferPointer(rebasing: input[offset...]))
            offset += consumed
            switch event {
            case .needMore:
                if connection.parser.isReadingBody && connection.deadlineKind != .body {
                    setDeadline(connection, .body, core.configuration.bodyReadTimeout.nanoseconds)
                }
                if connection.parser.isIdle && offset >= input.count {
                    // Only blank lines were received: not the start of a request yet.
                    setDeadline(connection, .idle, core.configuration.idleTimeout.nanoseconds)
                }
            case .head(let head):
                // Before any body byte is read: the gate and the budget may refuse it, and only then `100 Continue`.
                if let problem = admitBody(connection, head) {
                    refuseBody(connection, head, problem)
                    return
                }
                setDeadline(connection, .body, core.configuration.bodyReadTimeout.nanoseconds)
                if head.expectsContinue { write(connection, ResponseEncoder.continueResponse) }
            case .request(let request):
                if offset < input.count {
                    connection.pendingInput.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[offset...]))
                }
                dispatch(connection, request)
                return
            case .failure(let error):
                respondToParseError(connection, error)
                return
            }
        }
    }

    /// Asks the head gate, then takes the body's share of the server's budget; the problem to answer when the body
    /// must not be read.
    private func admitBody(_ connection: Connection, _ head: HTTPRequestHead) -> HTTPProblem? {
        if let gate = core.headGate {
            var head = head
            head.remoteAddress = connection.remoteAddress
            if let problem = gate(head) { return problem }
        }
        let bytes = head.contentLength ?? core.configuration.maxBodyBytes
        if bytes > core.configuration.maxBufferedBodyBytes {
            return HTTPProblem(.payloadTooLarge, code: "payloadTooLarge", detail: "body exceeds \(core.configuration.maxBufferedBodyBytes) bytes")
        }
        guard core.reserveBody(bytes) else {
            return HTTPProblem(.serviceUnavailable, code: "unavailable", detail: "too many request bodies in progress",
                               headers: ["Retry-After": "1"])
        }
        connection.reservedBodyBytes = bytes
        return nil
    }

    /// Answers a request whose body was refused and closes the connection; the body is read only to be discarded.
    private func refuseBody(_ connection: Connection, _ head: HTTPRequestHead, _ problem: HTTPProblem) {
        let id = RequestID.generate()
        connection.requestID = id
        connection.requestIsHead = false
        connection.requestKeepAlive = false
        connection.requestHTTP10 = head.version == .http1_0
        connection.pendingInput = []
        if core.configuration.accessLog {
            core.logger.info("request refused before its body", metadata: [
                "http.method": head.method.rawValue, "http.status": String(problem.status.code), "http.error": problem.code,
                "request.id": id, "net.peer": connection.remoteAddress,
            ])
        }
        sendResponse(connection, problem.response(requestID: id))
    }

    /// Gives the current body's share of the budget back.
    private func releaseBody(_ connection: Connection) {
        guard connection.reservedBodyBytes != 0 else { return }
        core.releaseBody(connection.reservedBodyBytes)
        connection.reservedBodyBytes = 0
    }

    private func respondToParseError(_ connection: Connection, _ error: HTTPParseError) {
        releaseBody(connection)
        let id = RequestID.generate()
        let problem = HTTPProblem(error.status, code: error.code, detail: error.detail)
        connection.requestID = id
        connection.requestIsHead = false
        connection.requestKeepAlive = false
        connection.requestHTTP10 = false
        connection.pendingInput = []
        if core.configuration.accessLog {
            core.logger.info("request rejected", metadata: [
                "http.status": String(error.status.code), "http.error": error.code, "request.id": id,
                "net.peer": connection.remoteAddress,
            ])
        }
        sendResponse(connection, problem.response(requestID: id))
    }

    // MARK: - Handing requests to handlers

    private func dispatch(_ connection: Connection, _ request: HTTPRequest) {
        connection.inFlight = true
        setDeadline(connection, .none, 0)
        connection.requestIsHead = request.method == .HEAD
        connection.requestKeepAlive = request.keepAlive && !draining
        connection.requestHTTP10 = request.version == .http1_0
        let core = self.core
        let context = RequestContext.make(for: request, logger: core.logger, remoteAddress: connection.remoteAddress)
        connection.requestID = context.requestID
        let start = Socket.monotonicNanos()
        Task {
            var response: HTTPResponse
            do {
                response = try await core.handler(request, context)
            } catch let error as any HTTPResponseError {
                response = error.response(requestID: context.requestID)
            } catch {
                context.logger.error("Request handler failed", metadata: ["error": String(describing: error)])
                response = HTTPProblem(.internalServerError, code: "internal", detail: "internal error")
                    .response(requestID: context.requestID)
            }
            if core.configuration.accessLog {
                let micros = (Socket.monotonicNanos() - start) / 1000
                context.logger.info("request", metadata: [
                    "http.method": request.method.rawValue, "http.route": response.routePattern ?? "-",
                    "http.status": String(response.status.code),
                    "http.duration_ms": String(micros / 1000) + "." + String(micros % 1000 / 100),
                ])
            }
            self.complete(connection, response)
        }
    }

    /// A handler's response arrived back on the loop.
    private func finish(_ connection: Connection, _ response: HTTPResponse) {
        guard !connection.closed else { return }
        connection.inFlight = false
        releaseBody(connection)
        if response.abortConnection { closeNow(connection); return }
        if draining { connection.requestKeepAlive = false }
        sendResponse(connection, response)
    }

    // MARK: - Writing

    /// Bodies at least this large are sent from the handler's own array (with the head, in one `sendmsg`) rather
    /// than copied into the output buffer; an unsent rest keeps referring to that array. 8 KiB: the cached summary
    /// (~34 KB) was copied on every request (3-4 % of the server's CPU in a profile of `GET /v1/summary`).
    static let largeBody = 8 * 1024

    private func sendResponse(_ connection: Connection, _ response: HTTPResponse) {
        out.removeAll(keepingCapacity: true)
        var options = ResponseEncoder.Options(
            isHead: connection.requestIsHead, keepAlive: connection.requestKeepAlive, http10: connection.requestHTTP10,
            requestID: connection.requestID)
        let separateBody = response.body.count >= Self.largeBody && ResponseEncoder.sendsBody(response, options: options)
        options.headOnly = separateBody
        ResponseEncoder.encode(response, options: options, date: dateCache.current(), into: &out)
        if !connection.requestKeepAlive { connection.closeAfterWrite = true }
        write(connection, out, then: separateBody ? response.body : [])
        if out.capacity > 256 * 1024 { out = [] ; out.reserveCapacity(16 * 1024) }
        if !connection.closed && !connection.hasPendingOutput { responseWritten(connection) }
    }

    /// Sends `head` and then `body` now, in one `sendmsg` per attempt; whatever does not fit waits in `pendingOutput`
    /// for EPOLLOUT. When only body bytes are left, `pendingOutput` is the body array itself (no copy).
    private func write(_ connection: Connection, _ head: [UInt8], then body: [UInt8] = []) {
        if connection.hasPendingOutput {
            connection.pendingOutput.append(contentsOf: head)
            connection.pendingOutput.append(contentsOf: body)
            return
        }
        let total = head.count + body.count
        var sent = 0
        head.withUnsafeBytes { h in
            body.withUnsafeBytes { b in
                withUnsafeTemporaryAllocation(of: iovec.self, capacity: 2) { vectors in
                    while sent < total {
                        var count = 0
                        if sent < h.count {
                            vectors[count] = iovec(iov_base: UnsafeMutableRawPointer(mutating: h.baseAddress! + sent), iov_len: h.count - sent)
                            count += 1
                        }
                        let bodyOffset = max(0, sent - h.count)
                        if bodyOffset < b.count {
                            vectors[count] = iovec(iov_base: UnsafeMutableRawPointer(mutating: b.baseAddress! + bodyOffset), iov_len: b.count - bodyOffset)
                            count += 1
                        }
                        var message = msghdr()
                        message.msg_iov = vectors.baseAddress
                        message.msg_iovlen = count
                        let n = Glibc.sendmsg(connection.fd, &message, Int32(MSG_NOSIGNAL))
                        if n > 0 {
                            sent += n
                        } else if n < 0 && errno == EINTR {
                            continue
                        } else {
                            break
                        }
                    }
                }
            }
        }
        guard sent < total else { return }
        if errno != EAGAIN && errno != EWOULDBLOCK {
            closeNow(connection)
            return
        }
        if sent < head.count {
            connection.pendingOutput = Array(head[sent...]) + body
            connection.outputOffset = 0
        } else {
            connection.pendingOutput = body
            connection.outputOffset = sent - head.count
        }
        setDeadline(connection, .write, core.configuration.writeTimeout.nanoseconds)
    }

    private func flush(_ connection: Connection) {
        while connection.hasPendingOutput {
            let n = connection.pendingOutput.withUnsafeBytes { buffer in
                Glibc.send(connection.fd, buffer.baseAddress! + connection.outputOffset,
                           buffer.count - connection.outputOffset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                connection.outputOffset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                if n < 0 && errno != EAGAIN && errno != EWOULDBLOCK { closeNow(connection) }
                return
            }
        }
        connection.pendingOutput = []
        connection.outputOffset = 0
        if connection.inFlight { return }  // an interim 100 Continue went out
        if connection.deadlineKind == .write { responseWritten(connection) }
    }

    /// The whole response is out: close, or go back to reading the next request.
    private func responseWritten(_ connection: Connection) {
        if connection.closeAfterWrite {
            lingeringClose(connection)
            return
        }
        if connection.parser.isReadingBody {
            // Only a 100 Continue was sent; the body read continues.
            setDeadline(connection, .body, core.configuration.bodyReadTimeout.nanoseconds)
            return
        }
        setDeadline(connection, .idle, core.configuration.idleTimeout.nanoseconds)
        if !connection.pendingInput.isEmpty {
            let pending = connection.pendingInput
            connection.pendingInput = []
            pending.withUnsafeBytes { process(connection, $0) }
            if connection.closed || connection.inFlight || connection.hasPendingOutput { return }
        }
        if connection.peerClosed && !connection.readable {
            closeNow(connection)
            return
        }
        if draining && connection.isIdle {
            closeNow(connection)
            return
        }
        readAvailable(connection)
    }

    /// Shut down our side and read until the peer closes (or a short deadline), so the final response
    /// is not destroyed by a reset when the client still had bytes in flight.
    private func lingeringClose(_ connection: Connection) {
        Glibc.shutdown(connection.fd, Int32(SHUT_WR))
        connection.pendingInput = []
        setDeadline(connection, .linger, min(2_000_000_000, core.configuration.idleTimeout.nanoseconds))
        if connection.peerClosed {
            closeNow(connection)
            return
        }
        connection.readable = true
        readAvailable(connection)
    }

    private func closeNow(_ connection: Connection) {
        guard !connection.closed else { return }
        connection.closed = true
        releaseBody(connection)
        connections[connection.fd] = nil
        core.releaseConnection()
        close(connection.fd)  // also removes it from the epoll set
    }

    // MARK: - Timeouts

    private func setDeadline(_ connection: Connection, _ kind: Connection.DeadlineKind, _ nanos: UInt64) {
        connection.deadlineKind = kind
        connection.deadline = kind == .none ? 0 : Socket.monotonicNanos() &+ nanos
    }

    private func sweep(now: UInt64) {
        var expired: [Connection] = []
        for connection in connections.values where connection.deadline != 0 && now >= connection.deadline {
            expired.append(connection)
        }
        for connection in expired where !connection.closed {
            switch connection.deadlineKind {
            case .header, .body:
                let problem = HTTPProblem(.requestTimeout, code: "requestTimeout", detail: "request not received in time")
                connection.requestKeepAlive = false
                connection.requestIsHead = false
                connection.requestID = RequestID.generate()
                connection.deadlineKind = .none
                sendResponse(connection, problem.response(requestID: connection.requestID))
            case .firstByte, .idle, .write, .linger, .none:
                closeNow(connection)
            }
        }
    }
}
