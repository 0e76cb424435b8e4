import Foundation
import TPGWCore

/// A package with its bookkeeping and raw upstream object, for `GET /v1/packages/{key}` and audits.
package struct PackageDetail: Sendable, Equatable {
    package var state: PackageState
    package var firstSeenAt: Date
    /// Last time the package was listed upstream (its source's last success while it is listed).
    package var lastSeenAt: Date
    /// When it vanished upstream; nil while listed.
    package var releasedAt: Date?
    /// The upstream JSON object of the last write (as normalised by `jsonb`).
    package var raw: String
}
