import Foundation
import TPGWCore
import TPGWHTTP
import TPGWStore

/// Settles purchases left `pending` by a crash, a lost response or an upstream outage, in the background of
/// `tpgw serve`.
///
/// Each pass claims the pending rows whose lease ran out (the request that made them died or gave up) and, while
/// the row is younger than `giveUpAfter`:
/// - Baidu (idempotent create): sends the create again with the row's clientToken: BCE answers with the package
///   the first create bought, or buys it now if the first never arrived; either way exactly one package.
/// - Tencent (no idempotency token): a row whose create was sent (`attempted_at`) is never sent again: the pass
///   lists the region for packages of the ordered size and kind created since the attempt that no other purchase
///   claims, and settles it `succeeded` (those ids), `failed` (none once the settle time passed) or `unknown`
///   (too few or too many). A row whose create was never sent is sent once.
/// A row older than `giveUpAfter` (kept well inside BCE's 24 h clientToken retention, after which a re-send could
/// buy twice) is never sent again: it becomes `unknown`, with what was checked, for a human to look at.
struct PurchaseReconciler: Sendable {
    struct Configuration: Sendable {
        /// Time between passes.
        var period: Duration = .seconds(60)
        /// How long a pass holds a row it checks (other replicas skip it meanwhile).
        var lease: TimeInterval = 120
        /// Age after which a pending row is no longer sent upstream and becomes `unknown`.
        var giveUpAfter: TimeInterval = 6 * 3600
        /// Rows per pass.
        var batch = 20
    }

    /// What one pass does with one claimed row. Pure.
    enum Decision: Equatable, Sendable {
        /// Send the create (again, with the row's clientToken, for an idempotent provider; for the first time otherwise).
        case resend(PurchaseRequest)
        /// The create was sent and its provider has no idempotency token: list the region, never send again.
        case reconcile(PurchaseRequest)
        /// Stop: mark the row `unknown` with this reason.
        case giveUp(String)
        /// Leave it pending for a replica whose configuration has its account and region (a rolling update may
        /// run replicas with different accounts); the age bound still applies.
        case skip(String)
    }

    /// What one pass did.
    struct Report: Equatable, Sendable {
        var checked = 0
        var succeeded = 0
        var failed = 0
        var unknown = 0
        var stillPending = 0
        var skipped = 0
    }

    static let actor = "reconciler"

    let executor: PurchaseExecutor
    let configuration: Configuration
    let logger: Logger

    var store: PostgresStore { executor.store }

    /// Decides what to do with a claimed pending row at `now`.
    static func decide(
        _ record: PurchaseRecord, now: Date, giveUpAfter: TimeInterval, accounts: [String: PurchaseRequest.Account]
    ) -> Decision {
        let age = now.timeIntervalSince(record.createdAt)
        let last = record.errorCode.map { "; last error: \($0)" + (record.errorMessage.map { " - \($0)" } ?? "") } ?? ""
        let profile = accounts[record.account]?.profile
        if age >= giveUpAfter {
            let how = record.attemptedAt != nil && profile?.idempotentCreate != true
                ? "by listing the region for the packages the one create may have bought"
                : "by re-sending the create with the purchase's clientToken"
            return .giveUp(
                "no definite answer from \(profile?.displayName ?? record.provider) within \(Int(giveUpAfter / 60)) minutes (\(record.checks) check(s) "
                    + "\(how))\(last); check the account's packages in the console before buying again")
        }
        guard let order = try? PurchaseRequest.validate(body: Array(record.requestBody.utf8), accounts: accounts),
              order.provider == record.provider
        else {
            return .skip("account \(record.account) region \(record.region) is not configured on this replica")
        }
        if record.attemptedAt != nil && profile?.idempotentCreate == false { return .reconcile(order) }
        return .resend(order)
    }

    /// One pass at `now`: claims the stale pending rows and settles what it can. Tests call it directly.
    func pass(now: Date) async throws -> Report {
        var report = Report()
        let rows = try await store.claimStalePurchases(now: now, lease: configuration.lease, limit: configuration.batch)
        for record in rows {
            report.checked += 1
            switch Self.decide(record, now: now, giveUpAfter: configuration.giveUpAfter, accounts: executor.accounts) {
            case .giveUp(let reason):
                let error = AppError(.conflict, "purchase \(record.id) has an unknown outcome: \(reason)")
                let problem = APIError.response(for: error, requestID: "reconciler")
                var r = PurchaseReconciliation.parse(record.reconciliation)
                r?.result = "unknown"
                r?.reason = reason
                try await store.finishPurchase(
                    id: record.id, state: .unknown, packageID: nil, responseStatus: problem.status.code, responseBody: problem.body,
                    upstreamRequestID: record.upstreamRequestID, errorCode: "outcomeUnknown", errorMessage: reason, reconciliation: r?.json)
                await executor.audit(record, actor: Self.actor, outcome: "unknown", errorCode: "outcomeUnknown", errorMessage: reason)
                logger.error("purchase outcome unknown", metadata: ["purchase.id": "\(record.id)", "caller": record.caller, "reason": reason])
                report.unknown += 1
            case .skip(let reason):
                // Keep the lease this pass took: another replica (with the account) gets the row once it runs out.
                logger.info("purchase left for another replica", metadata: ["purchase.id": "\(record.id)", "reason": reason])
                report.skipped += 1
            case .resend(let order), .reconcile(let order):
                // The executor never sends a create whose provider has no token once it was sent: it reconciles.
                switch try await executor.execute(record, order: order, requestID: "reconciler", actor: Self.actor, now: now) {
                case .succeeded: report.succeeded += 1
                case .rejected: report.failed += 1
                case .undecided: report.stillPending += 1
                }
            }
        }
        if report.checked > 0 {
            logger.notice("purchases reconciled", metadata: [
                "checked": "\(report.checked)", "succeeded": "\(report.succeeded)", "failed": "\(report.failed)",
                "unknown": "\(report.unknown)", "pending": "\(report.stillPending)", "skipped": "\(report.skipped)",
            ])
        }
        return report
    }

    /// A service running a pass every `period` on `clock` (the first one a period after start) until shutdown.
    func service<C: Clock<Duration>>(clock: C) -> ClosureService {
        ClosureService("purchases") { shutdown in
            await PeriodicRunner(interval: configuration.period, clock: clock, runImmediately: false).run(until: shutdown) {
                do {
                    _ = try await pass(now: executor.now())
                } catch {
                    logger.warning("purchase reconciliation failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
