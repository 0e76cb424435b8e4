import Foundation
import TPGWCore

/// Resolves a host name with `getaddrinfo` on a thread of its own (it blocks), never on a cooperative thread.
package enum HostResolver {
    /// The addresses `host` resolves to (an IP literal resolves to itself); empty when it does not resolve.
    package static func resolve(_ host: String) async -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        return await withCheckedContinuation { (c: CheckedContinuation<[IPAddress], Never>) in
            let thread = Thread { c.resume(returning: lookup(host)) }
            thread.name = "tpgw-resolve"
            thread.start()
        }
    }

    private static func lookup(_ host: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0 else { return [] }
        defer { freeaddrinfo(result) }
        var out: [IPAddress] = []
        var p = result
        while let ai = p {
            defer { p = ai.pointee.ai_next }
            guard let sa = ai.pointee.ai_addr else { continue }
            switch ai.pointee.ai_family {
            case AF_INET:
                let sin = UnsafeRawPointer(sa).loadUnaligned(as: sockaddr_in.self)
                if let ip = withUnsafeBytes(of: sin.sin_addr, { IPAddress(bytes: Array($0)) }) { out.append(ip) }
            case AF_INET6:
                let sin6 = UnsafeRawPointer(sa).loadUnaligned(as: sockaddr_in6.self)
                if let ip = withUnsafeBytes(of: sin6.sin6_addr, { IPAddress(bytes: Array($0)) }) { out.append(ip) }
            default:
                continue
            }
        }
        return out
    }
}
