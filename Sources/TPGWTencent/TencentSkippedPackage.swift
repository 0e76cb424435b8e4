/// A package of a page that could not be represented (bad amount, date, missing id…): left out of the
/// inventory and reported, never failing the whole page.
package struct TencentSkippedPackage: Error, Sendable, Equatable, CustomStringConvertible {
    /// Index in its page's `TrafficPackageSet`.
    package var index: Int
    /// `TrafficPackageId` when it could be read.
    package var id: String?
    /// The offending field, e.g. `TotalAmount`.
    package var field: String
    package var reason: String

    package init(index: Int, id: String?, field: String, reason: String) {
        self.index = index
        self.id = id
        self.field = field
        self.reason = reason
    }

    package var description: String { "\(id ?? "TrafficPackageSet[\(index)]").\(field): \(reason)" }
}
