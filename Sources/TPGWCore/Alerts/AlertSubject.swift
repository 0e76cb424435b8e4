/// What an alert is about: one package, one source's pool, or one source's polling.
///
/// Its text form (`package:bce:prod:bj:tp-1`, `pool:bce:prod:bj`, `source:bce:prod:bj`) is stable and is
/// what JSON carries.
package enum AlertSubject: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    case package(PackageKey)
    case pool(SourceID)
    case source(SourceID)

    package var description: String {
        switch self {
        case .package(let key): "package:\(key)"
        case .pool(let source): "pool:\(source)"
        case .source(let source): "source:\(source)"
        }
    }

    /// Parses the text form; nil when malformed.
    package init?(_ string: String) {
        guard let colon = string.firstIndex(of: ":") else { return nil }
        let kind = string[..<colon]
        let rest = String(string[string.index(after: colon)...])
        switch kind {
        case "package":
            guard let key = PackageKey(rest) else { return nil }
            self = .package(key)
        case "pool", "source":
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
            let source = SourceID(provider: String(parts[0]), account: String(parts[1]), region: String(parts[2]))
            self = kind == "pool" ? .pool(source) : .source(source)
        default:
            return nil
        }
    }

    /// The source the subject belongs to.
    package var source: SourceID {
        switch self {
        case .package(let key): key.source
        case .pool(let source), .source(let source): source
        }
    }

    package var packageKey: PackageKey? {
        if case .package(let key) = self { return key }
        return nil
    }

    package static func < (a: AlertSubject, b: AlertSubject) -> Bool { a.description < b.description }

    package init(from decoder: any Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let subject = AlertSubject(s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an alert subject"))
        }
        self = subject
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
