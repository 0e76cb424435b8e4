import TPGWCore
import TPGWCrypto
import TPGWHTTP

/// Pre-rendered JSON bytes with a strong ETag, rendered once per data change and served as is.
struct CachedResponse: Sendable {
    let body: [UInt8]
    let etag: String

    init(body: [UInt8]) {
        self.body = body
        self.etag = "\"" + String(Crypto.sha256(body).hexString.prefix(32)) + "\""
    }

    /// 200 with the bytes, or 304 when `If-None-Match` names this ETag.
    func response(for request: HTTPRequest) -> HTTPResponse {
        if let inm = request.headers["If-None-Match"], Self.matches(inm, etag) {
            return HTTPResponse(status: .notModified, headers: ["ETag": etag, "Cache-Control": "no-cache"])
        }
        var response = HTTPResponse.json(body)
        response.headers.add("ETag", etag)
        response.headers.add("Cache-Control", "no-cache")
        return response
    }

    static func matches(_ header: String, _ etag: String) -> Bool {
        HeaderValue.list(header).contains { $0 == etag || $0 == "*" }
    }
}
