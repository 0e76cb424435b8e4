import TPGWCore

/// A generic async HTTP client over one libcurl multi handle driven by a thread of its own.
///
/// Connections are reused per host (curl's connection cache lives in the multi handle), HTTPS goes
/// through libcurl's OpenSSL, and cancelling the calling task removes the transfer at once.
/// ```swift
/// let client = HTTPClient(configuration: .init())
/// let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:9101/v1/eiptp"))
/// await client.shutdown()
/// ```
package final class HTTPClient: Sendable {
    /// Defaults for every request; each can be overridden per request where noted.
    package struct Configuration: Sendable {
        /// Time allowed to establish a connection (TCP + TLS). Default 3 s.
        package var connectTimeout: Duration = .seconds(3)
        /// Time allowed for the whole transfer. Default 15 s.
        package var totalTimeout: Duration = .seconds(15)
        /// Largest response body accepted; larger ones fail with `.responseTooLarge`. Default 32 MiB.
        package var maxResponseSize: Int = 32 << 20
        /// In-flight requests allowed per `HTTPClientRequest.concurrencyKey`. Default 4.
        package var concurrencyPerKey: Int = 4
        /// Open connections allowed per host. Default 16.
        package var maxConnectionsPerHost: Int = 16
        /// PEM file of the certificate authorities to trust for HTTPS instead of the system's (nil). Peers and host
        /// names are always verified.
        package var caBundlePath: String?

        package init(
            connectTimeout: Duration = .seconds(3), totalTimeout: Duration = .seconds(15), maxResponseSize: Int = 32 << 20,
            concurrencyPerKey: Int = 4, maxConnectionsPerHost: Int = 16, caBundlePath: String? = nil
        ) {
            self.caBundlePath = caBundlePath
            self.connectTimeout = connectTimeout
            self.totalTimeout = totalTimeout
            self.maxResponseSize = maxResponseSize
            self.concurrencyPerKey = concurrencyPerKey
            self.maxConnectionsPerHost = maxConnectionsPerHost
        }
    }

    package let configuration: Configuration
    private let loop: CurlMultiLoop
    /// The per-key (per-source) in-flight limit.
    package let limiter: KeyedConcurrencyLimiter

    package init(configuration: Configuration = .init()) {
        self.configuration = configuration
        self.loop = CurlMultiLoop(maxConnectionsPerHost: configuration.maxConnectionsPerHost)
        self.limiter = KeyedConcurrencyLimiter(limit: configuration.concurrencyPerKey)
    }

    /// Sends `request` and returns the response, whatever its status.
    /// Throws `HTTPClientError` when no response arrived, `CancellationError` when the task was cancelled.
    package func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        if let key = request.concurrencyKey {
            return try await limiter.withPermit(key) { try await perform(request) }
        }
        return try await perform(request)
    }

    private func perform(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        try Task.checkCancellation()
        let id = loop.makeID()
        guard let transfer = CurlTransfer(
            id: id, request: request, maxResponseSize: configuration.maxResponseSize, caBundlePath: configuration.caBundlePath,
            connectTimeout: request.connectTimeout ?? configuration.connectTimeout,
            totalTimeout: request.totalTimeout ?? configuration.totalTimeout)
        else {
            throw HTTPClientError(kind: .invalidRequest, operation: request.method, url: request.url, detail: "curl_easy_init failed")
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<HTTPClientResponse, any Error>) in
                transfer.attach(c)
                if Task.isCancelled {
                    transfer.cancelled()
                    return
                }
                loop.submit(transfer)
            }
        } onCancel: {
            loop.cancel(id)
        }
    }

    /// Fails transfers still running with `.shutdown` and stops the transfer thread.
    package func shutdown() async {
        await loop.shutdown()
    }
}
