import Foundation
import TPGWBCE
import TPGWCore
import TPGWStore

/// The usage poller as `serve` uses it: the configured sources registered, `POST /v1/refresh` answered in API terms.
struct GatewayPoller: Sendable {
    let poller: UsagePoller
    let sources: [SourceConfig]

    /// Registers the configured sources as this replica's claims (new ones get a jittered first poll; a source that
    /// no live replica names any more is disabled; see `UsagePoller`).
    func register() async throws {
        try await poller.register(sources)
    }

    /// Polls due sources until shutdown, waiting on `clock`.
    func service<C: Clock<Duration>>(clock: C) -> ClosureService { poller.service(clock: clock) }

    /// Polls the configured sources matching `account` and `region` (every one when both are nil) now.
    func refresh(account: String?, region: String?) async throws -> [RefreshOutcome] {
        let wanted = sources.map(\.id).filter { (account == nil || $0.account == account) && (region == nil || $0.region == region) }
        guard !wanted.isEmpty else {
            throw AppError(.notFound, "no configured source matches account \(account ?? "*") and region \(region ?? "*")")
        }
        let outcomes = await poller.refresh(wanted)
        // Nothing could be recorded anywhere: the database is down, which is the gateway's outage, not a source's.
        if wanted.allSatisfy({ if case .writeFailed = outcomes[$0] { true } else { false } }) {
            throw AppError(.unavailable, "The database is unavailable: no poll could be recorded.")
        }
        return wanted.map { id in Self.outcome(id, outcomes[id] ?? .unknownSource) }
    }

    /// One source's poll outcome as the API shows it.
    static func outcome(_ id: SourceID, _ outcome: PollOutcome) -> RefreshOutcome {
        switch outcome {
        case .ok(let result):
            return RefreshOutcome(account: id.account, region: id.region, outcome: "ok", packages: result.packagesSeen,
                                  snapshotsWritten: result.snapshotsWritten)
        case .readFailed(let code, let message):
            return RefreshOutcome(account: id.account, region: id.region, outcome: "readFailed", errorCode: code, errorMessage: message)
        case .writeFailed(let message):
            return RefreshOutcome(account: id.account, region: id.region, outcome: "writeFailed", errorCode: "databaseUnavailable",
                                  errorMessage: message)
        case .unknownSource:
            return RefreshOutcome(account: id.account, region: id.region, outcome: "unknownSource", errorCode: "unknownSource",
                                  errorMessage: "the source is not registered yet")
        }
    }
}

extension Application {
    /// Builds the poller over the configured accounts, telling the read views after every written poll.
    func makePoller() -> GatewayPoller {
        let views = views
        let poller = UsagePoller(
            store: store,
            reader: sourceReader,
            configuration: .init(replicaID: configuration.replicaID),
            logger: logger.with(["component": "poller"]),
            now: now,
            forecastFeatures: forecastFeatures,
            onPolled: { [self] result in views.invalidate(source: result.source); opsPolled(result) })
        let sources = configuration.sources
        return GatewayPoller(poller: poller, sources: sources)
    }
}
