import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP forwarder on 127.0.0.1 in front of the test cluster, so one gateway can lose its database while the other
/// suites keep theirs. `cut()` is the outage: the port stops listening (new connections are refused) and every
/// forwarded connection is cut mid-stream (as when the server goes away). `restore()` listens on the same port again.
///
/// Blocking sockets on plain threads: a listener thread, and two copying threads per forwarded connection.
package final class OutageProxy: @unchecked Sendable {
    package let port: Int
    private let target: (host: String, port: Int)
    private let lock = NSLock()
    private var listener: Int32 = -1
    private var open: Set<Int32> = []

    /// Forwards 127.0.0.1:<free port> to `host:port`.
    package init(host: String, port targetPort: Int) throws {
        target = (host, targetPort)
        let fd = try Self.listen(port: 0)
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        accept(on: fd)
    }

    /// `url` (a `postgres://user@host:port/...` URL) pointing at this proxy instead.
    package static func rewrite(_ url: String, to proxyPort: Int) -> (url: String, host: String, port: Int)? {
        guard let at = url.firstIndex(of: "@") else { return nil }
        let rest = url[url.index(after: at)...]
        guard let slash = rest.firstIndex(of: "/"), let colon = rest[..<slash].lastIndex(of: ":"),
              let port = Int(rest[rest.index(after: colon)..<slash]) else { return nil }
        let host = String(rest[..<colon])
        return (String(url[...at]) + "127.0.0.1:\(proxyPort)" + rest[slash...], host, port)
    }

    /// The outage: refuse new connections, cut the open ones.
    package func cut() {
        // shutdown wakes the thread blocked in accept(), which then closes the listener; the copying threads of each
        // connection wake up the same way and close their sockets. Sockets are only closed under the lock, so none of
        // these numbers can have been reused by another socket of the process meanwhile.
        lock.withLock {
            if listener >= 0 { shutdown(listener, Int32(SHUT_RDWR)) }
            listener = -1
            for c in open { shutdown(c, Int32(SHUT_RDWR)) }
        }
    }

    /// The end of the outage: listen on the same port again.
    package func restore() throws {
        let fd = try Self.listen(port: port)
        lock.withLock { listener = fd }
        accept(on: fd)
    }

    private static func listen(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProxyError("socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 64) == 0 else {
            close(fd)
            throw ProxyError("bind/listen on port \(port): errno \(errno)")
        }
        return fd
    }

    private func accept(on fd: Int32) {
        Thread { [self] in
            while true {
                let client = Glibc.accept(fd, nil, nil)
                if client < 0 {
                    if errno == EINTR { continue }
                    break
                }
                guard let server = try? connect() else {
                    close(client)
                    continue
                }
                let live = lock.withLock { () -> Bool in
                    guard listener == fd else { return false }
                    open.insert(client)
                    open.insert(server)
                    return true
                }
                guard live else {
                    close(client)
                    close(server)
                    break
                }
                forward(client, server)
            }
            lock.withLock {
                if listener == fd { listener = -1 }
                close(fd)
            }
        }.start()
    }

    private func connect() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProxyError("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(target.port).bigEndian)
        address.sin_addr.s_addr = inet_addr(target.host == "localhost" ? "127.0.0.1" : target.host)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw ProxyError("connect: errno \(errno)")
        }
        return fd
    }

    /// Copies both ways until either side ends or the outage cuts them; the second thread to finish closes both.
    private func forward(_ a: Int32, _ b: Int32) {
        let finished = NSLock()
        nonisolated(unsafe) var remaining = 2
        for (from, to) in [(a, b), (b, a)] {
            Thread { [self] in
                var buffer = [UInt8](repeating: 0, count: 65536)
                copying: while true {
                    let n = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, $0.count) }
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { break }
                    var sent = 0
                    while sent < n {
                        let m = buffer.withUnsafeBytes { send(to, $0.baseAddress! + sent, n - sent, Int32(MSG_NOSIGNAL)) }
                        if m < 0 && errno == EINTR { continue }
                        if m <= 0 { break copying }
                        sent += m
                    }
                }
                shutdown(a, Int32(SHUT_RDWR))
                shutdown(b, Int32(SHUT_RDWR))
                let last = finished.withLock { () -> Bool in
                    remaining -= 1
                    return remaining == 0
                }
                if last {
                    lock.withLock {
                        open.remove(a)
                        open.remove(b)
                        close(a)
                        close(b)
                    }
                }
            }.start()
        }
    }

    struct ProxyError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
