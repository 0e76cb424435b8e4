/// A complete HTTP response as received.
package struct HTTPClientResponse: Sendable {
    package var status: Int
    /// Header fields in the order received (names as sent by the server).
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]
    /// Wall time from handing the request to the transfer thread until the last byte.
    package var latency: Duration
    /// The body was cut at the request's `maxResponseBytes`.
    package var truncated: Bool

    package init(status: Int, headers: [(name: String, value: String)], body: [UInt8], latency: Duration, truncated: Bool = false) {
        self.truncated = truncated
        self.status = status
        self.headers = headers
        self.body = body
        self.latency = latency
    }

    /// The first value of a header, compared case-insensitively.
    package func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}
