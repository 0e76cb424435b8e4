import Foundation
import TPGWBCE
import TPGWCore
import TPGWStore

/// Reads a BCE source through `BCEClient` (all pages, retries, circuit breaker) and normalises it.
package struct BCESourceReader: SourceReader {
    package let client: BCEClient
    /// Credentials per account name.
    package let credentials: [String: BCECredentials]

    package init(client: BCEClient, credentials: [String: BCECredentials]) {
        self.client = client
        self.credentials = credentials
    }

    /// The BCE client's own breaker for the source.
    package func breakerOpen(_ source: SourceID, now: Date) -> Bool {
        if case .open(let until) = client.breakerState(source) { return until > now }
        return false
    }

    package func read(_ source: SourceConfig) async -> SourceRead {
        guard let creds = credentials[source.id.account] else {
            return .failed(source.id, code: "noCredentials", message: "no credentials for account \(source.id.account)")
        }
        let endpoint = BCEEndpoint(account: source.id.account, region: source.id.region, credentials: creds, baseURL: source.endpoint)
        return Self.convert(await client.read(endpoint))
    }

    /// Maps a BCE reading to the poller's terms.
    static func convert(_ reading: SourceReading<BCEPackage, BCEError>) -> SourceRead {
        reading.map(
            packages: { package in
                ObservedPackage(
                    state: package.state(source: reading.source, observedAt: reading.observedAt),
                    raw: package.raw.isEmpty ? "{}" : String(decoding: package.raw, as: UTF8.self))
            },
            failure: { error in
                let code = error.kind == .service ? (error.code ?? "HTTP\(error.status ?? 0)") : error.kind.rawValue
                return ReadError(code: code, message: error.appError.message)
            })
    }
}
