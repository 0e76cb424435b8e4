import CCurl
import Foundation
import Synchronization
import TPGWCore

/// Owns one libcurl multi handle and the thread that drives it.
///
/// This is the only file that touches libcurl. Async callers hand a `CurlTransfer` to `submit`;
/// the loop thread adds its easy handle, runs `curl_multi_perform`/`curl_multi_poll`, and resumes
/// the caller's continuation when the transfer finishes. Swift's cooperative threads never wait on curl:
/// they only take a lock for a moment to enqueue work and call `curl_multi_wakeup`.
final class CurlMultiLoop: @unchecked Sendable {
    private struct Pending {
        var adds: [CurlTransfer] = []
        var cancels: [UInt64] = []
        var stopping = false
        var stopped = false
    }

    private let multi: UnsafeMutableRawPointer
    private let pending = Mutex(Pending())
    private let nextID = Atomic<UInt64>(0)
    /// Touched only on the loop thread.
    private var active: [UInt64: CurlTransfer] = [:]
    private var byHandle: [UnsafeMutableRawPointer: UInt64] = [:]
    private let finished = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let done = Atomic<Bool>(false)

    init(maxConnectionsPerHost: Int) {
        CurlGlobal.initialiseOnce()
        guard let m = curl_multi_init() else { fatalError("curl_multi_init failed") }
        multi = m
        _ = ccurl_multi_setopt_long(m, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
        _ = ccurl_multi_setopt_long(m, CURLMOPT_MAXCONNECTS, 256)
        let thread = Thread { [self] in self.run() }
        thread.name = "tpgw-curl"
        thread.start()
    }

    func makeID() -> UInt64 { nextID.add(1, ordering: .relaxed).newValue }

    /// Queues `transfer`; its continuation is resumed exactly once, on the loop thread or here.
    func submit(_ transfer: CurlTransfer) {
        let rejected: Bool = pending.withLock { p in
            if p.stopping { return true }
            p.adds.append(transfer)
            return false
        }
        if rejected {
            transfer.fail(transfer.error(kind: .shutdown, code: 0, detail: "client is shut down"))
            return
        }
        curl_multi_wakeup(multi)
    }

    /// Removes the transfer with `id` if it is still running; its caller gets `CancellationError`.
    func cancel(_ id: UInt64) {
        pending.withLock { $0.cancels.append(id) }
        curl_multi_wakeup(multi)
    }

    /// Fails every transfer still running and stops the thread; returns once it has stopped.
    func shutdown() async {
        let alreadyDone: Bool = pending.withLock { p in
            p.stopping = true
            return p.stopped
        }
        if alreadyDone { return }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow: Bool = finished.withLock { f in
                if done.load(ordering: .acquiring) { return true }
                f = c
                return false
            }
            if resumeNow { c.resume() }
            curl_multi_wakeup(multi)
        }
    }

    private func run() {
        var stillRunning: Int32 = 0
        while true {
            let (adds, cancels, stopping) = pending.withLock { p -> ([CurlTransfer], [UInt64], Bool) in
                defer { p.adds.removeAll(); p.cancels.removeAll() }
                return (p.adds, p.cancels, p.stopping)
            }
            for t in adds {
                if let failure = t.configure() {
                    t.fail(failure)
                    continue
                }
                active[t.id] = t
                byHandle[t.easy] = t.id
                curl_multi_add_handle(multi, t.easy)
            }
            for id in cancels {
                guard let t = active.removeValue(forKey: id) else { continue }
                byHandle[t.easy] = nil
                curl_multi_remove_handle(multi, t.easy)
                t.cancelled()
            }
            if stopping {
                for (_, t) in active {
                    curl_multi_remove_handle(multi, t.easy)
                    t.fail(t.error(kind: .shutdown, code: 0, detail: "client is shut down"))
                }
                active.removeAll()
                byHandle.removeAll()
                break
            }
            curl_multi_perform(multi, &stillRunning)
            var left: Int32 = 0
            while let msg = curl_multi_info_read(multi, &left) {
                guard msg.pointee.msg == CURLMSG_DONE, let easy = msg.pointee.easy_handle else { continue }
                let code = msg.pointee.data.result
                guard let id = byHandle.removeValue(forKey: easy), let t = active.removeValue(forKey: id) else { continue }
                curl_multi_remove_handle(multi, easy)
                t.complete(code: code)
            }
            var fds: Int32 = 0
            curl_multi_poll(multi, nil, 0, 1000, &fds)
        }
        curl_multi_cleanup(multi)
        pending.withLock { $0.stopped = true }
        let waiter: CheckedContinuation<Void, Never>? = finished.withLock { f in
            done.store(true, ordering: .releasing)
            defer { f = nil }
            return f
        }
        waiter?.resume()
    }
}

/// `curl_global_init` exactly once per process, before the first handle.
enum CurlGlobal {
    private static let once: Bool = {
        curl_global_init(Int(CURL_GLOBAL_ALL))
        return true
    }()

    static func initialiseOnce() { _ = once }
}

/// One request in flight: the easy handle, its buffers and the waiting caller.
/// Created on a cooperative thread, then owned by the loop thread until it resumes the caller.
final class CurlTransfer: @unchecked Sendable {
    let id: UInt64
    let request: HTTPClientRequest
    let easy: UnsafeMutableRawPointer
    let maxResponseSize: Int
    let connectTimeout: Duration
    let totalTimeout: Duration
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var continuation: CheckedContinuation<HTTPClientResponse, any Error>?
    private let started = ContinuousClock.now
    fileprivate var body: [UInt8] = []
    fileprivate var headers: [(name: String, value: String)] = []
    fileprivate var tooLarge = false
    /// The body reached the request's `maxResponseBytes`; the transfer was stopped on purpose.
    fileprivate var truncated = false
    /// The blocked range of the last address the policy refused (nil: none refused).
    fileprivate var refusedRange: String?

    let caBundlePath: String?

    init?(
        id: UInt64, request: HTTPClientRequest, maxResponseSize: Int, caBundlePath: String? = nil, connectTimeout: Duration,
        totalTimeout: Duration
    ) {
        CurlGlobal.initialiseOnce()
        guard let e = curl_easy_init() else { return nil }
        self.id = id
        self.request = request
        self.easy = e
        self.maxResponseSize = maxResponseSize
        self.caBundlePath = caBundlePath
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(easy)
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    func attach(_ c: CheckedContinuation<HTTPClientResponse, any Error>) { continuation = c }

    func error(kind: HTTPClientError.Kind, code: Int, detail: String) -> HTTPClientError {
        HTTPClientError(kind: kind, curlCode: code, operation: request.method, url: request.url, detail: detail)
    }

    /// Sets every option; returns an error when the request cannot be expressed.
    func configure() -> HTTPClientError? {
        func ms(_ d: Duration) -> Int { max(1, Int(d.milliseconds)) }
        var rc = ccurl_setopt_string(easy, CURLOPT_URL, request.url)
        guard rc == CURLE_OK else { return error(kind: .invalidRequest, code: Int(rc.rawValue), detail: "bad URL") }
        _ = ccurl_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = ccurl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, ms(connectTimeout))
        _ = ccurl_setopt_long(easy, CURLOPT_TIMEOUT_MS, ms(totalTimeout))
        _ = ccurl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        _ = ccurl_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        if request.freshConnection {
            _ = ccurl_setopt_long(easy, CURLOPT_FRESH_CONNECT, 1)
            _ = ccurl_setopt_long(easy, CURLOPT_FORBID_REUSE, 1)
        }
        // Verification is libcurl's default; said here so no one turns it off by accident.
        _ = ccurl_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1)
        _ = ccurl_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2)
        if let caBundlePath { _ = ccurl_setopt_string(easy, CURLOPT_CAINFO, caBundlePath) }
        if request.addressPolicy != nil {
            // Every connection goes through curlOpenSocket, which checks the address; no proxy from the environment.
            _ = ccurl_setopt_string(easy, CURLOPT_PROXY, "")
            _ = ccurl_setopt_opensocket(easy, curlOpenSocket, Unmanaged.passUnretained(self).toOpaque())
        }
        _ = ccurl_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxResponseSize))
        _ = ccurl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_setopt_write_callback(easy, curlWriteBody)
        _ = ccurl_setopt_pointer(easy, CURLOPT_WRITEDATA, me)
        _ = ccurl_setopt_header_callback(easy, curlWriteHeader)
        _ = ccurl_setopt_pointer(easy, CURLOPT_HEADERDATA, me)

        let method = request.method.uppercased()
        switch method {
        case "GET": _ = ccurl_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case "HEAD": _ = ccurl_setopt_long(easy, CURLOPT_NOBODY, 1)
        default:
            if !request.body.isEmpty || method == "POST" || method == "PUT" || method == "PATCH" {
                _ = ccurl_setopt_long(easy, CURLOPT_POST, 1)
                _ = ccurl_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
                request.body.withUnsafeBytes { raw in
                    // COPYPOSTFIELDS copies now, so the Swift array need not outlive this call.
                    _ = ccurl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
                }
            }
            if method != "POST" { _ = ccurl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method) }
        }
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for (name, value) in request.headers {
            guard !name.contains(where: { $0 == "\r" || $0 == "\n" || $0 == ":" }), !value.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                if let list { curl_slist_free_all(list) }
                return error(kind: .invalidRequest, code: 0, detail: "header \(name) contains a line break")
            }
            list = curl_slist_append(list, "\(name): \(value)")
        }
        // No "Expect: 100-continue" round trip for bodies.
        list = curl_slist_append(list, "Expect:")
        headerList = list
        rc = ccurl_setopt_slist(easy, CURLOPT_HTTPHEADER, list)
        guard rc == CURLE_OK else { return error(kind: .invalidRequest, code: Int(rc.rawValue), detail: "bad headers") }
        return nil
    }

    func complete(code: CURLcode) {
        if code == CURLE_OK || (truncated && code == CURLE_WRITE_ERROR) {
            var status = 0
            _ = ccurl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            let response = HTTPClientResponse(
                status: status, headers: headers, body: body, latency: ContinuousClock.now - started, truncated: truncated)
            continuation?.resume(returning: response)
            continuation = nil
            return
        }
        let text = String(cString: errorBuffer)
        let detail = text.isEmpty ? String(cString: curl_easy_strerror(code)) : text
        let kind: HTTPClientError.Kind
        if let refusedRange, code == CURLE_COULDNT_CONNECT {
            fail(error(kind: .forbiddenAddress, code: Int(code.rawValue), detail: refusedRange))
            return
        }
        switch code {
        case _ where tooLarge, CURLE_FILESIZE_EXCEEDED: kind = .responseTooLarge
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_SSL_CONNECT_ERROR,
             CURLE_PEER_FAILED_VERIFICATION:
            kind = .connect
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: kind = .invalidRequest
        default: kind = .transport
        }
        fail(error(kind: kind, code: Int(code.rawValue), detail: detail))
    }

    func fail(_ e: any Error) {
        continuation?.resume(throwing: e)
        continuation = nil
    }

    func cancelled() { fail(CancellationError()) }

    fileprivate func appendBody(_ p: UnsafeRawBufferPointer) -> Bool {
        if let cap = request.maxResponseBytes {
            let room = max(0, cap - body.count)
            body.append(contentsOf: UnsafeRawBufferPointer(rebasing: p.prefix(room)))
            if p.count > room {
                truncated = true
                return false
            }
            return true
        }
        if body.count + p.count > maxResponseSize {
            tooLarge = true
            return false
        }
        body.append(contentsOf: p)
        return true
    }

    fileprivate func appendHeaderLine(_ p: UnsafeRawBufferPointer) {
        // Trim as scalars: "\r\n" is one Character, so `hasSuffix("\n")` would not see it.
        var end = p.count
        while end > 0, p[end - 1] == 0x0A || p[end - 1] == 0x0D { end -= 1 }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: p[0..<end]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers.removeAll()  // a new response (after 100 Continue or a proxy's 200)
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon])
        let value = String(HeaderValue.trimmed(line[line.index(after: colon)...]))
        headers.append((name: name, value: value))
        // Size the body buffer once instead of growing it through every doubling.
        if body.isEmpty, name.lowercased() == "content-length", let n = Int(value), n > 0 {
            body.reserveCapacity(min(n, request.maxResponseBytes ?? maxResponseSize))
        }
    }
}

private func curlWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?) -> Int {
    guard let data, let user else { return 0 }
    let t = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
    let n = size * count
    return t.appendBody(UnsafeRawBufferPointer(start: data, count: n)) ? n : 0
}

private func curlWriteHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?) -> Int {
    guard let data, let user else { return 0 }
    let t = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
    let n = size * count
    t.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: n))
    return n
}

/// CURLOPT_OPENSOCKETFUNCTION: opens the socket only when the request's policy allows the address curl is about to
/// connect to (the resolved one, so a name that re-resolves to an internal address is still refused).
private func curlOpenSocket(_ user: UnsafeMutableRawPointer?, _ purpose: curlsocktype, _ address: UnsafeMutablePointer<curl_sockaddr>?) -> curl_socket_t {
    guard let user, let address else { return CURL_SOCKET_BAD }
    let t = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
    let a = address.pointee
    guard let policy = t.request.addressPolicy else { return socket(a.family, a.socktype, a.protocol) }
    guard let ip = socketAddress(address) else {
        t.refusedRange = "unsupported address family"
        return CURL_SOCKET_BAD
    }
    if let range = policy.refusal(ip) {
        t.refusedRange = range
        return CURL_SOCKET_BAD
    }
    return socket(a.family, a.socktype, a.protocol)
}

/// The IP address in a curl_sockaddr (its `addr` is the start of a sockaddr_storage-sized area).
private func socketAddress(_ address: UnsafeMutablePointer<curl_sockaddr>) -> IPAddress? {
    guard let offset = MemoryLayout<curl_sockaddr>.offset(of: \.addr) else { return nil }
    let raw = UnsafeRawPointer(address).advanced(by: offset)
    let length = Int(address.pointee.addrlen)
    switch address.pointee.family {
    case AF_INET where length >= MemoryLayout<sockaddr_in>.size:
        var sin = sockaddr_in()
        withUnsafeMutableBytes(of: &sin) { $0.copyMemory(from: UnsafeRawBufferPointer(start: raw, count: MemoryLayout<sockaddr_in>.size)) }
        return withUnsafeBytes(of: sin.sin_addr) { IPAddress(bytes: Array($0)) }
    case AF_INET6 where length >= MemoryLayout<sockaddr_in6>.size:
        var sin6 = sockaddr_in6()
        withUnsafeMutableBytes(of: &sin6) { $0.copyMemory(from: UnsafeRawBufferPointer(start: raw, count: MemoryLayout<sockaddr_in6>.size)) }
        return withUnsafeBytes(of: sin6.sin6_addr) { IPAddress(bytes: Array($0)) }
    default:
        return nil
    }
}
