import TPGWCore
import TPGWStore

/// A `SourceReader` that times every read (all pages and retries, success or failure) into
/// `tpgw_poll_duration_seconds{account,region}`.
struct MeteredSourceReader: SourceReader {
    let inner: any SourceReader
    let durations: HistogramFamily

    func read(_ source: SourceConfig) async -> SourceRead {
        let read = await inner.read(source)
        durations.histogram([source.id.account, source.id.region]).observe(read.latency)
        return read
    }
}
