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
    package static func < (a: SourceID, b: SourceID) -> Bool { a.description < b.description }
}
