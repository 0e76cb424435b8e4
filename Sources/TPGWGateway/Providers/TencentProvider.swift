import Foundation
import TPGWCore
import TPGWStore
import TPGWTencent

/// Tencent Cloud VPC shared traffic packages through `TencentClient`: reads by offset paging (walked again when
/// `TotalCount` moves), a create with no idempotency token, sent exactly once, no price API.
struct TencentProvider: CloudProvider {
    let client: TencentClient
    /// Credentials and domain per account.
    let accounts: [String: (credentials: TencentCredentials, baseURL: String)]
    let reader: TencentSourceReader

    var profile: ProviderProfile { .tencent }

    init(client: TencentClient, accounts: [String: (credentials: TencentCredentials, baseURL: String)]) {
        self.client = client
        self.accounts = accounts
        reader = TencentSourceReader(client: client, credentials: accounts.mapValues(\.credentials))
    }

    func read(_ source: SourceConfig) async -> SourceRead { await reader.read(source) }
    func breakerOpen(_ source: SourceID, now: Date) -> Bool { reader.breakerOpen(source, now: now) }

    private func endpoint(_ account: String, _ region: String) throws(ProviderError) -> TencentEndpoint {
        guard let a = accounts[account] else { throw .notConfigured("account \(account) is not configured on this replica") }
        return TencentEndpoint(account: account, region: region, credentials: a.credentials, baseURL: a.baseURL)
    }

    static func providerError(_ error: TencentError) -> ProviderError {
        let outcome: ProviderError.Outcome
        switch error.kind {
        case .ambiguous: outcome = .undecided
        case .service: outcome = error.errorClass == .throttled ? .notSent : .rejected
        // The create client throws these only when nothing reached the API (no connection, request not built).
        case .connection, .client, .timeout, .httpStatus, .malformed, .decoding, .circuitOpen: outcome = .notSent
        case .unsettled, .unsupported: outcome = .rejected
        }
        return ProviderError(outcome: outcome, appError: error.appError, code: error.code ?? error.kind.rawValue, message: error.message,
                             requestID: error.requestID)
    }

    func buy(_ order: PurchaseRequest, clientToken: String) async throws(ProviderError) -> ProviderPurchase {
        let endpoint = try endpoint(order.account, order.region)
        let purchase: TencentPurchase
        do {
            purchase = try await client.createPackages(endpoint, order: order.tencentOrder)
        } catch {
            throw Self.providerError(error)
        }
        // Read the new packages back by id (one read, retried as reads are); a failure keeps what the order says.
        let now = Date()
        var byID: [String: ObservedPackage] = [:]
        if let inventory = try? await client.listPackages(endpoint, filter: TencentListFilter(ids: purchase.packageIDs)) {
            for p in inventory.packages {
                byID[p.id] = ObservedPackage(state: p.state(source: endpoint.source, observedAt: now), raw: p.raw.isEmpty ? "{}" : String(decoding: p.raw, as: UTF8.self))
            }
        }
        let packages = purchase.packageIDs.map { id in byID[id] ?? order.provisionalPackage(id: id, provider: profile.name, at: now) }
        return ProviderPurchase(packages: packages, requestID: purchase.requestID)
    }

    func quote(_ order: PurchaseRequest) async throws(ProviderError) -> Decimal? { nil }

    func list(account: String, region: String) async throws(ProviderError) -> [ObservedPackage] {
        let endpoint = try endpoint(account, region)
        do {
            let inventory = try await client.listPackages(endpoint)
            let now = Date()
            return inventory.packages.map { p in
                ObservedPackage(state: p.state(source: endpoint.source, observedAt: now), raw: p.raw.isEmpty ? "{}" : String(decoding: p.raw, as: UTF8.self))
            }
        } catch let error as TencentError {
            var e = Self.providerError(error)
            e.outcome = .undecided
            throw e
        } catch {
            throw ProviderError(outcome: .undecided, appError: AppError(.upstreamUnavailable, "Tencent list interrupted"), code: "interrupted",
                                message: "\(error)")
        }
    }
}

extension PurchaseRequest {
    /// The Tencent create for this order (size in whole GB; the size fixes the validity).
    var tencentOrder: TencentPurchaseOrder {
        TencentPurchaseOrder(
            gigabytes: TencentCapacityTable.gigabytes(capacity: capacity) ?? 0, count: count,
            deductType: policy == .offPeak ? .idleTime : .fullTime)
    }
}
