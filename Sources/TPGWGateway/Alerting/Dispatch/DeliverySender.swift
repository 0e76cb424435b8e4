import Foundation
import TPGWCore
import TPGWHTTPClient

/// Transmits a formatted request with the HTTP client and reports what came back, without secrets.
struct DeliverySender: Sendable {
    let client: HTTPClient
    var timeout: Duration
    /// Checked on the address actually connected to, at every send.
    var policy: NetworkPolicy
    /// The most of a response body read; a receiver cannot make tpgw buffer more.
    static let maxResponseBytes = 64 << 10

    /// The result, the latency, and a short secret-free excerpt of the response body.
    func send(_ request: OutgoingRequest, secrets: [String]) async throws -> (result: DeliveryResult, latencyMs: Int, excerpt: String?) {
        let started = ContinuousClock.now
        let outgoing = HTTPClientRequest(
            method: request.method, url: request.url, headers: request.headers.map { ($0.name, $0.value) }, body: request.body,
            connectTimeout: min(timeout, .seconds(5)), totalTimeout: timeout, maxResponseBytes: Self.maxResponseBytes,
            addressPolicy: policy)
        do {
            let response = try await client.execute(outgoing)
            let ms = Int((ContinuousClock.now - started).milliseconds)
            let headers = response.headers.map { OutgoingRequest.Header($0.name, $0.value) }
            return (.response(status: response.status, headers: headers, body: response.body), ms,
                    Self.excerpt(response.body, secrets: secrets + [request.url]))
        } catch let error as HTTPClientError {
            let ms = Int((ContinuousClock.now - started).milliseconds)
            switch error.kind {
            case .timeout: return (.timedOut, ms, nil)
            case .shutdown: throw CancellationError()
            case .forbiddenAddress:
                return (.refused(reason: WebhookTarget.refusalMessage(range: error.detail)), ms, nil)
            default: return (.connectionFailed(reason: "\(error.kind.rawValue) (curl \(error.curlCode))"), ms, nil)
            }
        }
    }

    /// At most 200 characters of the body on one line, with any secret masked.
    static func excerpt(_ body: [UInt8], secrets: [String]) -> String? {
        guard !body.isEmpty else { return nil }
        return String(scrub(String(decoding: body.prefix(400), as: UTF8.self), secrets: secrets).prefix(200))
    }

    /// `text` on one line with every secret masked (``SecretMask``: each secret, and the token-carrying parts of a
    /// secret URL).
    static func scrub(_ text: String, secrets: [String]) -> String {
        String(SecretMask(secrets).apply(text).map { $0.isNewline ? " " : $0 })
    }
}
