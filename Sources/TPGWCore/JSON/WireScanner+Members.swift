extension WireScanner {
    /// The top-level members of `body` named in `names` (the last of duplicates wins), each read with the scanner.
    /// Malformed JSON throws; a body that is not an object has none of them.
    package static func members(_ body: [UInt8], _ names: Set<String>) throws(Failure) -> [String: WireMember] {
        try body.withUnsafeBufferPointer { buf in
            Result { () throws(Failure) -> [String: WireMember] in
                var s = WireScanner(buf)
                var found: [String: WireMember] = [:]
                guard try s.beginBodyObject() else { return found }
                while let key = try s.nextKey() {
                    let name = s.string(key)
                    let value = try s.scalar()
                    guard names.contains(name) else { continue }
                    switch value {
                    case .string(let r, let e): found[name] = .string(s.string(StringToken(range: r, escaped: e)))
                    case .number(let r): found[name] = .number(String(decoding: s.slice(r), as: UTF8.self))
                    default: found[name] = .other(typeName: value.typeName)
                    }
                }
                try s.end()
                return found
            }
        }.get()
    }
}
