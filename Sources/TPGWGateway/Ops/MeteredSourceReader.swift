import Foundation
import TPGWCore
import TPGWStore

/// A `SourceReader` that times every read (all pages and retries, success or failure) into
/// `tpgw_poll_duration_seconds{account,region}` and counts the packages it skipped into
/// `tpgw_upstream_packages_skipped_total{account,region,field}`.
struct MeteredSourceReader: SourceReader {
    let inner: any SourceReader
    let durations: HistogramFamily
    let skipped: CounterFamily

    func breakerOpen(_ source: SourceID, now: Date) -> Bool { inner.breakerOpen(source, now: now) }

    func read(_ source: SourceConfig) async -> SourceRead {
        let read = await inner.read(source)
        durations.histogram([source.id.account, source.id.region]).observe(read.latency)
        for package in read.skipped {
            skipped.counter([source.id.account, source.id.region, package.field]).increment()
        }
        return read
    }
}
