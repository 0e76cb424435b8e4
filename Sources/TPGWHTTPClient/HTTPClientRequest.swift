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

    package init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        connectTimeout: Duration? = nil, totalTimeout: Duration? = nil, concurrencyKey: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.concurrencyKey = concurrencyKey
    }
}
