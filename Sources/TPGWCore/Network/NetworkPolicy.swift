/// Which addresses outgoing webhooks may connect to. Pure.
///
/// By default every address that reaches inside a network is refused: loopback, link-local (cloud metadata at
/// 169.254.169.254 among them), RFC 1918, CGNAT (100.64/10), unique-local, multicast, unspecified and
/// reserved ranges, in IPv4 and IPv6 (IPv4-mapped and NAT64 forms included). Operators allow private networks
/// explicitly (`webhookAllowedNetworks`, e.g. `10.0.0.0/8` for an in-cluster Alertmanager).
package struct NetworkPolicy: Sendable, Equatable {
    package var allowed: [IPNetwork]

    package init(allowed: [IPNetwork] = []) {
        self.allowed = allowed
    }

    /// The blocked ranges and a short name for each (used in error messages, never the address itself).
    package static let blocked: [(network: IPNetwork, name: String)] = [
        ("0.0.0.0/8", "unspecified"), ("10.0.0.0/8", "private (RFC 1918)"), ("100.64.0.0/10", "shared (CGNAT)"),
        ("127.0.0.0/8", "loopback"), ("169.254.0.0/16", "link-local"), ("172.16.0.0/12", "private (RFC 1918)"),
        ("192.0.0.0/24", "IETF protocol assignments"), ("192.168.0.0/16", "private (RFC 1918)"), ("198.18.0.0/15", "benchmarking"),
        ("224.0.0.0/4", "multicast"), ("240.0.0.0/4", "reserved"),
        ("::/128", "unspecified"), ("::1/128", "loopback"), ("fc00::/7", "unique-local"), ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local"), ("ff00::/8", "multicast"), ("100::/64", "discard"),
    ].map { (IPNetwork($0.0)!, $0.1) }

    /// nil when `ip` may be connected to; otherwise the name of the blocked range it falls in.
    package func refusal(_ ip: IPAddress) -> String? {
        if allowed.contains(where: { $0.contains(ip) }) { return nil }
        return Self.blocked.first { $0.network.contains(ip) }?.name
    }

    /// Parses CIDR strings; returns the ones that do not parse as the second value.
    package static func parse(_ cidrs: [String]) -> (policy: NetworkPolicy, invalid: [String]) {
        var networks: [IPNetwork] = []
        var invalid: [String] = []
        for c in cidrs {
            if let n = IPNetwork(c) { networks.append(n) } else { invalid.append(c) }
        }
        return (NetworkPolicy(allowed: networks), invalid)
    }
}
