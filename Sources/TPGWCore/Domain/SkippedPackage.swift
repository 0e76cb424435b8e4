/// A package the provider listed that tpgw cannot represent (a missing id, a byte count that is not a
/// number or out of range, an absurd date...). It is left out of the poll and reported; the rest of its
/// region is served.
package struct SkippedPackage: Error, Sendable, Equatable, CustomStringConvertible {
    /// The package's id when it had a usable one.
    package var id: String?
    /// Where it sat in the response, e.g. `packageList[3]` (names the package when `id` is nil).
    package var position: String
    /// The wire field at fault (`usedCapacity`, `id`, `expireTime`...; `package` when the element is not an object).
    package var field: String
    /// What was wrong, user-safe and short (`not a number`, `negative`, `out of range`...).
    package var reason: String

    package init(id: String?, position: String, field: String, reason: String) {
        self.id = id
        self.position = position
        self.field = field
        self.reason = reason
    }

    /// `tp-xyz: field usedCapacity: not a number`.
    package var description: String { "\(id ?? position): field \(field): \(reason)" }

    /// Most skipped packages named in one report; the rest are counted.
    package static let reportLimit = 5

    /// The source's `lastError` message for a poll that skipped `skipped` (non-empty):
    /// `skipped 1 package: tp-xyz: field usedCapacity: not a number`.
    package static func report(_ skipped: [SkippedPackage]) -> String {
        let noun = skipped.count == 1 ? "package" : "packages"
        var text = "skipped \(skipped.count) \(noun): " + skipped.prefix(reportLimit).map(\.description).joined(separator: "; ")
        if skipped.count > reportLimit { text += "; and \(skipped.count - reportLimit) more" }
        return text
    }

    /// The `lastError` code of a poll that skipped packages.
    package static let errorCode = "skippedPackages"
}
