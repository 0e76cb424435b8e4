import TPGWCore

/// A source as configured: which (account, region), where to reach it, how often to poll it.
package struct SourceConfig: Sendable, Equatable {
    package var id: SourceID
    /// Base URL of the upstream endpoint (e.g. `https://eip.bj.baidubce.com`).
    package var endpoint: String
    /// Seconds between polls (default 300; configurable per account).
    package var pollIntervalSeconds: Int

    package init(id: SourceID, endpoint: String, pollIntervalSeconds: Int = 300) {
        self.id = id
        self.endpoint = endpoint
        self.pollIntervalSeconds = pollIntervalSeconds
    }
}
