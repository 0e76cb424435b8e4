import Foundation

/// What reading one source produced: all its packages or why not, the packages left out, when the read finished and
/// how long it took. One type for every provider and layer: a client's reading (`BCEClient.read`:
/// `SourceReading<BCEPackage, BCEError>`) becomes the poller's (`SourceRead`: packages ready to store, a user-safe
/// error) through `map`; the Tencent reader builds the poller's directly.
package struct SourceReading<Package: Sendable, Failure: Error>: Sendable {
    package var source: SourceID
    package var result: Result<[Package], Failure>
    /// Packages of a successful read that tpgw cannot represent: left out of `result`, reported in the source's health.
    package var skipped: [SkippedPackage]
    /// When the read finished: the snapshot time.
    package var observedAt: Date
    /// Wall time of the whole read, all pages and retries.
    package var latency: Duration

    package init(
        source: SourceID, result: Result<[Package], Failure>, skipped: [SkippedPackage] = [], observedAt: Date, latency: Duration
    ) {
        self.source = source
        self.result = result
        self.skipped = skipped
        self.observedAt = observedAt
        self.latency = latency
    }

    /// The same reading with each package and the error translated.
    package func map<P: Sendable, F: Error>(packages: (Package) -> P, failure: (Failure) -> F) -> SourceReading<P, F> {
        SourceReading<P, F>(
            source: source, result: result.map { $0.map(packages) }.mapError(failure), skipped: skipped, observedAt: observedAt,
            latency: latency)
    }
}
