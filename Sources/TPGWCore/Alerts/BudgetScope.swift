/// Which packages, pools and sources a budget watches. Every field is optional; none means everything.
///
/// Pools and sources match on `account` and `region` (and, with `package`, that package's source);
/// `policy` narrows package rules only.
package struct BudgetScope: Sendable, Hashable, Codable {
    package var account: String?
    package var region: String?
    package var policy: PackagePolicy?
    /// A package key as text (`bce:prod:bj:tp-...`); checked by ``Budget/validate()``.
    package var package: String?

    package init(account: String? = nil, region: String? = nil, policy: PackagePolicy? = nil, package: String? = nil) {
        self.account = account
        self.region = region
        self.policy = policy
        self.package = package
    }

    enum CodingKeys: String, CodingKey { case account, region, policy, package }

    package init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: ["account", "region", "policy", "package"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        account = try c.decodeIfPresent(String.self, forKey: .account)
        region = try c.decodeIfPresent(String.self, forKey: .region)
        policy = try c.decodeIfPresent(PackagePolicy.self, forKey: .policy)
        package = try c.decodeIfPresent(String.self, forKey: .package)
    }

    /// The parsed package key, when one is set and well-formed.
    package var packageKey: PackageKey? { package.flatMap(PackageKey.init) }

    /// No field set: every package, pool and source.
    package var isEverything: Bool { account == nil && region == nil && policy == nil && package == nil }

    /// Whether a package falls in this scope.
    package func matches(_ p: PackageState) -> Bool { matches(p, packageKey: packageKey) }

    /// Whether a source (its pool, its health) falls in this scope.
    package func matches(_ source: SourceID) -> Bool { matches(source, packageKey: packageKey) }

    /// As ``matches(_:)-(PackageState)`` with ``packageKey`` parsed once by the caller (a scan of many packages).
    package func matches(_ p: PackageState, packageKey key: PackageKey?) -> Bool {
        if package != nil, key != p.key { return false }
        if let policy, policy != p.policy { return false }
        return matches(p.key.source, packageKey: key)
    }

    package func matches(_ source: SourceID, packageKey key: PackageKey?) -> Bool {
        if let account, account != source.account { return false }
        if let region, region != source.region { return false }
        if let key, key.source != source { return false }
        return true
    }
}
