import Foundation
import TPGWCore
import TPGWStore
import TPGWTencent

/// Reads a Tencent Cloud source (one account's key in one region) through `TencentClient`: every page of
/// `DescribeTrafficPackages`, walked again when `TotalCount` moves; a walk that cannot settle is a failed read.
package struct TencentSourceReader: SourceReader {
    package let client: TencentClient
    /// Credentials per account name.
    package let credentials: [String: TencentCredentials]

    package init(client: TencentClient, credentials: [String: TencentCredentials]) {
        self.client = client
        self.credentials = credentials
    }

    /// The Tencent client's read breaker for the source (the same mechanism as BCE's).
    package func breakerOpen(_ source: SourceID, now: Date) -> Bool {
        if case .open(let until) = client.breakerState(source) { return until > now }
        return false
    }

    package func read(_ source: SourceConfig) async -> SourceRead {
        let started = ContinuousClock.now
        guard let creds = credentials[source.id.account] else {
            return .failed(source.id, code: "noCredentials", message: "no credentials for account \(source.id.account)")
        }
        let endpoint = TencentEndpoint(account: source.id.account, region: source.id.region, credentials: creds, baseURL: source.endpoint)
        do {
            let inventory = try await client.listPackages(endpoint)
            let observedAt = Date()
            let packages = inventory.packages.map { p in
                ObservedPackage(state: p.state(source: source.id, observedAt: observedAt), raw: p.raw.isEmpty ? "{}" : String(decoding: p.raw, as: UTF8.self))
            }
            let skipped = inventory.skipped.map {
                SkippedPackage(id: $0.id, position: "TrafficPackageSet[\($0.index)]", field: $0.field, reason: $0.reason)
            }
            return SourceRead(source: source.id, result: .success(packages), skipped: skipped, observedAt: observedAt,
                              latency: ContinuousClock.now - started)
        } catch let error as TencentError {
            // UnauthorizedOperation, UnsupportedRegion, throttling past its retries: shown on the source, never zero packages.
            let code = error.kind == .service ? (error.code ?? "service") : error.kind.rawValue
            return SourceRead(source: source.id, result: .failure(ReadError(code: code, message: error.message)), observedAt: Date(),
                              latency: ContinuousClock.now - started)
        } catch {
            return SourceRead(source: source.id, result: .failure(ReadError(code: "client", message: "\(error)")), observedAt: Date(),
                              latency: ContinuousClock.now - started)
        }
    }
}

/// Sends each source to the reader of its provider.
package struct ProviderSourceReader: SourceReader {
    package let readers: [String: any SourceReader]

    package init(_ readers: [String: any SourceReader]) {
        self.readers = readers
    }

    package func breakerOpen(_ source: SourceID, now: Date) -> Bool {
        readers[source.provider]?.breakerOpen(source, now: now) ?? false
    }

    package func read(_ source: SourceConfig) async -> SourceRead {
        guard let reader = readers[source.id.provider] else {
            return .failed(source.id, code: "unsupportedProvider", message: "no reader for provider \(source.id.provider)")
        }
        return await reader.read(source)
    }
}
