import Foundation

/// Which alerts a silence mutes: every given field must match; at least one is given (checked by
/// ``Silence/validate(now:)``). Pools and sources have no package, so a `package` matcher never mutes them.
package struct SilenceMatchers: Sendable, Hashable, Codable {
    package var budget: String?
    package var kind: AlertRule.Kind?
    package var provider: String?
    package var account: String?
    package var region: String?
    /// A package key as text (`bce:prod:bj:tp-...`).
    package var package: String?

    package init(
        budget: String? = nil, kind: AlertRule.Kind? = nil, provider: String? = nil, account: String? = nil, region: String? = nil,
        package: String? = nil
    ) {
        self.budget = budget
        self.kind = kind
        self.provider = provider
        self.account = account
        self.region = region
        self.package = package
    }

    enum CodingKeys: String, CodingKey { case budget, kind, provider, account, region, package }

    package init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: ["budget", "kind", "provider", "account", "region", "package"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        budget = try c.decodeIfPresent(String.self, forKey: .budget)
        kind = try c.decodeIfPresent(AlertRule.Kind.self, forKey: .kind)
        provider = try c.decodeIfPresent(String.self, forKey: .provider)
        account = try c.decodeIfPresent(String.self, forKey: .account)
        region = try c.decodeIfPresent(String.self, forKey: .region)
        package = try c.decodeIfPresent(String.self, forKey: .package)
    }

    /// Whether no field is given (such a silence would mute everything, and is refused).
    package var isEmpty: Bool {
        budget == nil && kind == nil && provider == nil && account == nil && region == nil && package == nil
    }

    /// Whether an alert of `budgetID` and `kind` about `subject` is muted by these matchers.
    package func matches(budgetID: String, kind: AlertRule.Kind, subject: AlertSubject) -> Bool {
        if let budget, budget != budgetID { return false }
        if let k = self.kind, k != kind { return false }
        let source = subject.source
        if let provider, provider != source.provider { return false }
        if let account, account != source.account { return false }
        if let region, region != source.region { return false }
        if let package {
            guard let key = subject.packageKey, key.description == package else { return false }
        }
        return true
    }
}
