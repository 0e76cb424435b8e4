import Foundation
import TPGWCore

/// The outcome of reading one source in a fan-out: its packages or its error, when, and how long it took.
package struct BCESourceReading: Sendable {
    package var endpoint: BCEEndpoint
    package var result: Result<[BCEPackage], BCEError>
    /// Packages of a successful read left out because tpgw cannot represent them.
    package var skipped: [SkippedPackage]
    /// When the read finished.
    package var observedAt: Date
    /// Wall time of the whole read (all pages, retries included).
    package var latency: Duration

    package init(
        endpoint: BCEEndpoint, result: Result<[BCEPackage], BCEError>, skipped: [SkippedPackage] = [], observedAt: Date, latency: Duration
    ) {
        self.endpoint = endpoint
        self.result = result
        self.skipped = skipped
        self.observedAt = observedAt
        self.latency = latency
    }

    package var source: SourceID { endpoint.source }

    /// The packages normalised to `PackageState`, or nil when the read failed.
    package var states: [PackageState]? {
        guard case .success(let packages) = result else { return nil }
        return packages.map { $0.state(source: endpoint.source, observedAt: observedAt) }
    }
}
