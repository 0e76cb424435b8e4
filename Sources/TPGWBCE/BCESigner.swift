import Foundation
import TPGWCore
import TPGWCrypto

/// `bce-auth-v1` request signing, exactly as Baidu's "Generate Authentication String" reference describes:
///
/// ```
/// authStringPrefix = bce-auth-v1/{ak}/{timestamp}/{expiration}
/// signingKey       = hex(HMAC-SHA256(sk, authStringPrefix))
/// canonicalRequest = METHOD \n canonicalURI \n canonicalQuery \n canonicalHeaders
/// signature        = hex(HMAC-SHA256(signingKey, canonicalRequest))
/// Authorization    = authStringPrefix/{signedHeaders}/{signature}
/// ```
/// The client always lists its signed headers (`host;x-bce-date` at least). An empty list means the
/// server's default set (`host`, `content-length`, `content-type`, `content-md5` and every `x-bce-*`),
/// which the verifier in bce-sim must accept because the official SDKs send it.
package struct BCESigner: Sendable {
    package static let defaultExpiration = 1800
    /// Headers signed by default when the `signedHeaders` field is empty.
    package static let defaultSignedHeaders: Set<String> = ["host", "content-length", "content-type", "content-md5"]

    package var credentials: BCECredentials

    package init(credentials: BCECredentials) {
        self.credentials = credentials
    }

    /// `bce-auth-v1/{ak}/{timestamp}/{expiration}`.
    package func authStringPrefix(timestamp: String, expiration: Int) -> String {
        "bce-auth-v1/\(credentials.accessKeyID)/\(timestamp)/\(expiration)"
    }

    /// The hex signing key derived from the secret and the auth string prefix.
    package func signingKey(timestamp: String, expiration: Int) -> String {
        Crypto.hmacSHA256(key: credentials.secretAccessKey, message: authStringPrefix(timestamp: timestamp, expiration: expiration)).hexString
    }

    /// The `Authorization` value.
    /// - Parameters:
    ///   - path: the request path, not yet encoded (`/v1/eiptp/tp-1`).
    ///   - query: decoded query parameters; order does not matter.
    ///   - headers: the request's headers (any case); only signed ones are used.
    ///   - signedHeaders: lowercase names to sign; nil signs the default set and leaves the field empty.
    ///   - timestamp: `YYYY-MM-DDThh:mm:ssZ`, the same value as the `x-bce-date` header.
    package func authorization(
        method: String, path: String, query: [(String, String)], headers: [(String, String)], signedHeaders: [String]?,
        timestamp: String, expiration: Int = BCESigner.defaultExpiration
    ) -> String {
        let names = signedHeaders.map { Array(Set($0.map { $0.lowercased() })).sorted() }
        let canonical = Self.canonicalRequest(method: method, path: path, query: query, headers: headers, signedHeaders: names)
        let signature = Crypto.hmacSHA256(key: signingKey(timestamp: timestamp, expiration: expiration), message: canonical).hexString
        return authStringPrefix(timestamp: timestamp, expiration: expiration) + "/" + (names?.joined(separator: ";") ?? "") + "/" + signature
    }

    /// `METHOD\ncanonicalURI\ncanonicalQuery\ncanonicalHeaders`.
    package static func canonicalRequest(
        method: String, path: String, query: [(String, String)], headers: [(String, String)], signedHeaders: [String]?
    ) -> String {
        method.uppercased() + "\n" + canonicalURI(path) + "\n" + canonicalQuery(query) + "\n"
            + canonicalHeaders(headers, signedHeaders: signedHeaders.map(Set.init))
    }

    /// The path URI-encoded except `/`; an empty path is `/`.
    package static func canonicalURI(_ path: String) -> String {
        let p = path.hasPrefix("/") ? path : "/" + path
        return PercentCoding.encode(p, keepSlash: true)
    }

    /// Every parameter but `authorization`, `k=v` encoded, sorted, joined by `&`.
    package static func canonicalQuery(_ items: [(String, String)]) -> String {
        items.filter { $0.0.lowercased() != "authorization" }
            .map { PercentCoding.encode($0.0) + "=" + PercentCoding.encode($0.1) }
            .sorted()
            .joined(separator: "&")
    }

    /// Signed headers as `name:value` (lowercase name, trimmed value, both encoded), sorted, joined by `\n`.
    /// Headers with empty values are skipped. `signedHeaders == nil` selects the default set.
    package static func canonicalHeaders(_ headers: [(String, String)], signedHeaders: Set<String>?) -> String {
        var lines: [String] = []
        for (name, value) in headers {
            let lower = name.trimmingCharacters(in: .whitespaces).lowercased()
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            let signed: Bool
            if let signedHeaders {
                signed = signedHeaders.contains(lower)
            } else {
                signed = defaultSignedHeaders.contains(lower) || lower.hasPrefix("x-bce-")
            }
            if signed { lines.append(PercentCoding.encode(lower) + ":" + PercentCoding.encode(trimmed)) }
        }
        return lines.sorted().joined(separator: "\n")
    }

    /// `YYYY-MM-DDThh:mm:ssZ` for `date`.
    package static func timestamp(_ date: Date) -> String { RFC3339.format(date) }

    /// The headers to send: `Host`, `x-bce-date`, `Authorization` signing `host;x-bce-date` plus `extraSigned`.
    package func signedHeaders(
        method: String, host: String, path: String, query: [(String, String)], date: Date,
        otherHeaders: [(String, String)] = [], extraSigned: [String] = [], expiration: Int = BCESigner.defaultExpiration
    ) -> [(String, String)] {
        let ts = Self.timestamp(date)
        var headers = otherHeaders
        headers.append(("Host", host))
        headers.append(("x-bce-date", ts))
        let auth = authorization(
            method: method, path: path, query: query, headers: headers, signedHeaders: ["host", "x-bce-date"] + extraSigned,
            timestamp: ts, expiration: expiration)
        headers.append(("Authorization", auth))
        return headers
    }
}
