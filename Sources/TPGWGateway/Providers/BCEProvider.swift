import Foundation
import TPGWBCE
import TPGWCore
import TPGWStore

/// Baidu AI Cloud `eiptp` through `BCEClient`: reads by marker paging, an idempotent create by clientToken (a
/// re-send returns the package the first create bought), a price API.
struct BCEProvider: CloudProvider {
    let client: BCEClient
    /// Per account and region.
    let endpoints: [String: [String: BCEEndpoint]]
    let reader: BCESourceReader

    var profile: ProviderProfile { .bce }

    init(client: BCEClient, endpoints: [String: [String: BCEEndpoint]]) {
        self.client = client
        self.endpoints = endpoints
        var credentials: [String: BCECredentials] = [:]
        for (account, regions) in endpoints { credentials[account] = regions.values.first?.credentials }
        reader = BCESourceReader(client: client, credentials: credentials)
    }

    func read(_ source: SourceConfig) async -> SourceRead { await reader.read(source) }
    func breakerOpen(_ source: SourceID, now: Date) -> Bool { reader.breakerOpen(source, now: now) }

    private func endpoint(_ account: String, _ region: String) throws(ProviderError) -> BCEEndpoint {
        guard let e = endpoints[account]?[region] else {
            throw .notConfigured("account \(account) region \(region) is not configured on this replica")
        }
        return e
    }

    /// Whether an upstream error is a definite answer that the purchase did not happen.
    static func isDefiniteRejection(_ error: BCEError) -> Bool {
        error.kind == .service && (error.status ?? 500) < 500 && error.status != 429
    }

    static func providerError(_ error: BCEError) -> ProviderError {
        ProviderError(
            outcome: isDefiniteRejection(error) ? .rejected : .undecided, appError: error.appError,
            code: error.code ?? error.kind.rawValue, message: error.message, requestID: error.requestID)
    }

    func buy(_ order: PurchaseRequest, clientToken: String) async throws(ProviderError) -> ProviderPurchase {
        let endpoint = try endpoint(order.account, order.region)
        let bceOrder = BCEPackageOrder(
            reservationLength: order.reservationLength, capacity: order.capacity, deductPolicy: order.policy, packageType: order.lineType)
        let packageID: String
        do {
            packageID = try await client.createPackage(endpoint, order: bceOrder, clientToken: clientToken)
        } catch let error as BCEError {
            throw Self.providerError(error)
        } catch {
            throw ProviderError(outcome: .undecided, appError: AppError(.upstreamUnavailable, "Baidu create interrupted"), code: "interrupted",
                                message: "\(error)")
        }
        let now = Date()
        do {
            let bought = try await client.getPackage(endpoint, id: packageID)
            return ProviderPurchase(packages: [ObservedPackage(
                state: bought.state(source: endpoint.source, observedAt: now),
                raw: bought.raw.isEmpty ? "{}" : String(decoding: bought.raw, as: UTF8.self))])
        } catch {
            // Bought but not yet readable: store what we know; the next poll fills in the rest.
            return ProviderPurchase(packages: [order.provisionalPackage(id: packageID, provider: profile.name, at: now)])
        }
    }

    func quote(_ order: PurchaseRequest) async throws(ProviderError) -> Decimal? {
        let endpoint = try endpoint(order.account, order.region)
        let bceOrder = BCEPackageOrder(
            reservationLength: order.reservationLength, capacity: order.capacity, deductPolicy: order.policy, packageType: order.lineType)
        do {
            let price = try await client.quote(endpoint, order: bceOrder)
            guard let value = Decimal(string: price, locale: Locale(identifier: "en_US_POSIX")) else {
                throw ProviderError(outcome: .rejected, appError: AppError(.upstreamUnavailable, "Baidu answered a price that is not a number"),
                                    code: "malformed", message: "price is not a decimal")
            }
            return value
        } catch let error as BCEError {
            throw Self.providerError(error)
        } catch let error as ProviderError {
            throw error
        } catch {
            throw ProviderError(outcome: .undecided, appError: AppError(.upstreamUnavailable, "Baidu quote interrupted"), code: "interrupted",
                                message: "\(error)")
        }
    }

    func list(account: String, region: String) async throws(ProviderError) -> [ObservedPackage] {
        let endpoint = try endpoint(account, region)
        let read = await reader.read(SourceConfig(id: endpoint.source, endpoint: endpoint.baseURL))
        switch read.result {
        case .success(let packages): return packages
        case .failure(let e):
            throw ProviderError(outcome: .undecided, appError: AppError(.upstreamUnavailable, e.message), code: e.code, message: e.message)
        }
    }
}
