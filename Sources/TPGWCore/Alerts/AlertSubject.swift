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

    /// Packages, then pools, then sources; then provider, account, region and id. Field by field, so sorting
    /// many conditions builds no strings.
    package static func < (a: AlertSubject, b: AlertSubject) -> Bool {
        if a.rank != b.rank { return a.rank < b.rank }
        let (x, y) = (a.source, b.source)
        if x.provider != y.provider { return x.provider < y.provider }
        if x.account != y.account { return x.account < y.account }
        if x.region != y.region { return x.region < y.region }
        return (a.packageKey?.id ?? "") < (b.packageKey?.id ?? "")
    }

    /// A string that sorts like `<` (fields joined by a byte below every printable character).
    var sortKey: String {
        let s = source
        return "\(rank)\u{1}\(s.provider)\u{1}\(s.account)\u{1}\(s.region)\u{1}\(packageKey?.id ?? "")"
    }

    private var rank: Int {
        switch self {
        case .package: 0
        case .pool: 1
        case .source: 2
        }
    }

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
