import TPGWCore

/// One outgoing HTTP request, generic enough for BCE calls and alert webhooks.
package struct HTTPClientRequest: Sendable {
    package var method: String
    /// Absolute `http://` or `https://` URL, query string included.
    package var url: String
    /// Header fields in order; names are sent as given.
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]
    /// Overrides `HTTPClient.Configuration.connectTimeout` for this request.
    package var connectTimeout: Duration?
    /// Overrides `HTTPClient.Configuration.totalTimeout` for this request.
    package var totalTimeout: Duration?
    /// Requests with the same key share a concurrency limit (e.g. one upstream source); nil means unlimited.
    package var concurrencyKey: String?
    /// Read at most this many body bytes: the rest is not read, the transfer ends there and the response comes back
    /// with `truncated` set (a receiver cannot make us buffer more). nil: the client's `maxResponseSize` (an error).
    package var maxResponseBytes: Int?
    /// Checked on every address actually connected to (after DNS, so rebinding cannot slip past); a refused address
    /// fails the request with `.forbiddenAddress`. Proxies from the environment are not used when set.
    package var addressPolicy: NetworkPolicy?
    /// Send on a new connection, closed afterwards. For a request that must never be sent twice (a create without an
    /// idempotency token): libcurl silently re-sends a request whose reused keep-alive connection died before any
    /// answer byte, which would buy twice; a fresh connection is never retried that way.
    package var freshConnection = false

    package init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        connectTimeout: Duration? = nil, totalTimeout: Duration? = nil, concurrencyKey: String? = nil,
        maxResponseBytes: Int? = nil, addressPolicy: NetworkPolicy? = nil
    ) {
        self.maxResponseBytes = maxResponseBytes
        self.addressPolicy = addressPolicy
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.concurrencyKey = concurrencyKey
    }
}
