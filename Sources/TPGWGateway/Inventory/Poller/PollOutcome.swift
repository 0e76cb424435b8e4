import TPGWStore

/// What one poll of a source came to; `POST /v1/refresh` answers with one per source.
package enum PollOutcome: Sendable, Equatable {
    /// Read and written.
    case ok(PollWriteResult)
    /// The upstream read failed: only the source's health and the poll-run record changed.
    case readFailed(code: String, message: String)
    /// The read worked but the database write failed after retries; nothing was applied.
    case writeFailed(message: String)
    /// The source is not registered (refresh of an unknown account/region).
    case unknownSource
}
