/// One upstream source: an (account, region) pair of one provider.
package struct SourceID: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    package var provider: String
    package var account: String
    package var region: String

    package init(provider: String = "bce", account: String, region: String) {
        self.provider = provider
        self.account = account
        self.region = region
    }

    package var description: String { "\(provider):\(account):\(region)" }
    /// Field by field (provider, account, region), without building the description.
    package static func < (a: SourceID, b: SourceID) -> Bool {
        if a.provider != b.provider { return a.provider < b.provider }
        if a.account != b.account { return a.account < b.account }
        return a.region < b.region
    }
}
