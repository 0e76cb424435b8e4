/// An IPv4 or IPv6 address as bytes (4 or 16), parsed strictly from text. Pure.
package struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 bytes (IPv6), network order.
    package let bytes: [UInt8]

    package init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    package var isIPv4: Bool { bytes.count == 4 }

    /// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`) or NAT64 (`64:ff9b::a.b.c.d`) IPv6 address.
    package var embeddedIPv4: IPAddress? {
        guard bytes.count == 16 else { return nil }
        let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        let nat64 = bytes[0..<12].elementsEqual([0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0])
        return mapped || nat64 ? IPAddress(bytes: Array(bytes[12..<16])) : nil
    }

    /// Dotted quad (`10.0.0.1`) or RFC 4291 text (`::1`, `fe80::1`, `::ffff:10.0.0.1`); zone ids and brackets refused.
    package init?(_ text: String) {
        if let v4 = Self.parseIPv4(Substring(text)) {
            bytes = v4
        } else if let v6 = Self.parseIPv6(Substring(text)) {
            bytes = v6
        } else {
            return nil
        }
    }

    static func parseIPv4(_ s: Substring) -> [UInt8]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for p in parts {
            guard (1...3).contains(p.utf8.count), p.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  p.utf8.count == 1 || p.utf8.first != 0x30, let n = Int(p), n <= 255
            else { return nil }
            out.append(UInt8(n))
        }
        return out
    }

    static func parseIPv6(_ s: Substring) -> [UInt8]? {
        guard s.utf8.count >= 2, s.utf8.count <= 45, s.contains(":") else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawGap = false
        var v4: [UInt8] = []
        let halves = s.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        sawGap = halves.count == 2
        func groups(_ part: String, allowV4: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            let items = part.split(separator: ":", omittingEmptySubsequences: false)
            for (i, item) in items.enumerated() {
                if allowV4, i == items.count - 1, item.contains(".") {
                    guard let q = parseIPv4(item) else { return nil }
                    v4 = q
                    continue
                }
                guard (1...4).contains(item.utf8.count), let n = UInt16(item, radix: 16) else { return nil }
                out.append(n)
            }
            return out
        }
        if sawGap {
            guard let h = groups(halves[0], allowV4: false), let t = groups(halves[1], allowV4: true) else { return nil }
            head = h
            tail = t
        } else {
            guard let h = groups(halves[0], allowV4: true) else { return nil }
            head = h
        }
        let used = head.count + tail.count + v4.count / 2
        guard sawGap ? used <= 7 : used == 8 else { return nil }
        var words = head + Array(repeating: 0, count: 8 - used) + tail
        if !v4.isEmpty { words += [UInt16(v4[0]) << 8 | UInt16(v4[1]), UInt16(v4[2]) << 8 | UInt16(v4[3])] }
        return words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    package var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        var words: [UInt16] = []
        for i in stride(from: 0, to: 16, by: 2) { words.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])) }
        // Longest run of zero words (>= 2) becomes "::".
        var best = (start: -1, count: 0)
        var i = 0
        while i < 8 {
            if words[i] == 0 {
                var j = i
                while j < 8, words[j] == 0 { j += 1 }
                if j - i > best.count, j - i >= 2 { best = (i, j - i) }
                i = j
            } else {
                i += 1
            }
        }
        func hex(_ ws: ArraySlice<UInt16>) -> String { ws.map { String($0, radix: 16) }.joined(separator: ":") }
        if best.start < 0 { return hex(words[...]) }
        return hex(words[0..<best.start]) + "::" + hex(words[(best.start + best.count)...])
    }
}

/// A CIDR block (`10.0.0.0/8`, `fd00::/8`). Pure.
package struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    package let address: IPAddress
    package let prefix: Int

    package init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        let bits = address.bytes.count * 8
        if parts.count == 2 {
            guard (1...3).contains(parts[1].utf8.count), parts[1].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let p = Int(parts[1]), p <= bits
            else { return nil }
            self.init(address: address, prefix: p)
        } else {
            self.init(address: address, prefix: bits)
        }
    }

    package init(address: IPAddress, prefix: Int) {
        self.address = address
        self.prefix = max(0, min(prefix, address.bytes.count * 8))
    }

    /// Whether `ip` lies in this block; an IPv4 block also holds the IPv4-mapped and NAT64 forms of its addresses.
    package func contains(_ ip: IPAddress) -> Bool {
        let candidate: IPAddress
        if ip.bytes.count == address.bytes.count {
            candidate = ip
        } else if address.isIPv4, let inner = ip.embeddedIPv4 {
            candidate = inner
        } else {
            return false
        }
        var remaining = prefix
        for i in 0..<address.bytes.count where remaining > 0 {
            let take = min(8, remaining)
            let mask: UInt8 = take == 8 ? 0xFF : ~(0xFF >> UInt8(take))
            if candidate.bytes[i] & mask != address.bytes[i] & mask { return false }
            remaining -= take
        }
        return true
    }

    package var description: String { "\(address)/\(prefix)" }
}
