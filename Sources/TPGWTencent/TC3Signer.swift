import Foundation
import TPGWCore
import TPGWCrypto

/// Tencent Cloud API 3.0 signature `TC3-HMAC-SHA256`, step by step as the Signature v3 reference describes it.
///
/// ```swift
/// let signer = TC3Signer(credentials: .init(secretID: "AKID…", secretKey: "…"))
/// let auth = signer.authorization(method: "POST", host: "vpc.tencentcloudapi.com", contentType: "application/json",
///                                 query: "", body: Array(#"{"Offset":0,"Limit":100}"#.utf8), timestamp: 1767225600)
/// ```
/// Unlike Baidu's signer, each step of the key chain is keyed with the raw 32-byte digest of the previous one.
package struct TC3Signer: Sendable {
    package static let algorithm = "TC3-HMAC-SHA256"
    /// The two headers the official SDKs sign, which the API requires.
    package static let defaultSignedHeaders = ["content-type", "host"]

    package var credentials: TencentCredentials
    package var service: String

    package init(credentials: TencentCredentials, service: String = "vpc") {
        self.credentials = credentials
        self.service = service
    }

    /// The UTC date `YYYY-MM-DD` of a UNIX timestamp (between 00:00 and 08:00 Beijing time it is Beijing's day before).
    package static func date(timestamp: Int64) -> String {
        String(RFC3339.format(Date(timeIntervalSince1970: TimeInterval(timestamp))).prefix(10))
    }

    /// `Date/service/tc3_request`.
    package static func credentialScope(date: String, service: String) -> String { "\(date)/\(service)/tc3_request" }

    /// Lowercase hex SHA-256 of the body bytes as sent (GET: of the empty body).
    package static func hashedPayload(_ body: [UInt8]) -> String { Crypto.sha256(body).hexString }

    /// The six-line canonical request. `headers` are the request's headers (any case, any order); those named in
    /// `signedHeaders` (lower-case) are rendered `name:value` with the value trimmed and lower-cased, sorted by name.
    /// A signed header the request lacks is rendered with an empty value (the signature then simply fails).
    package static func canonicalRequest(
        method: String, canonicalQuery: String, headers: [(String, String)], signedHeaders: [String], hashedPayload: String
    ) -> String {
        let names = signedHeaders.map { $0.lowercased() }.sorted()
        var canonicalHeaders = ""
        for name in names {
            let value = headers.first { $0.0.lowercased() == name }?.1 ?? ""
            canonicalHeaders += name + ":" + value.trimmingCharacters(in: .whitespaces).lowercased() + "\n"
        }
        return [method.uppercased(), "/", canonicalQuery, canonicalHeaders, names.joined(separator: ";"), hashedPayload]
            .joined(separator: "\n")
    }

    /// `TC3-HMAC-SHA256\nTimestamp\nCredentialScope\nhex(SHA-256(CanonicalRequest))`.
    package static func stringToSign(timestamp: Int64, credentialScope: String, canonicalRequest: String) -> String {
        [algorithm, String(timestamp), credentialScope, Crypto.sha256(canonicalRequest).hexString].joined(separator: "\n")
    }

    /// The key chain: `SecretDate`, `SecretService`, `SecretSigning` (raw digests).
    package func keyChain(date: String) -> (secretDate: [UInt8], secretService: [UInt8], secretSigning: [UInt8]) {
        let secretDate = Crypto.hmacSHA256(key: Array(("TC3" + credentials.secretKey).utf8), message: Array(date.utf8))
        let secretService = Crypto.hmacSHA256(key: secretDate, message: Array(service.utf8))
        let secretSigning = Crypto.hmacSHA256(key: secretService, message: Array("tc3_request".utf8))
        return (secretDate, secretService, secretSigning)
    }

    /// Lowercase hex HMAC of `stringToSign` with the signing key of `date`.
    package func signature(stringToSign: String, date: String) -> String {
        Crypto.hmacSHA256(key: keyChain(date: date).secretSigning, message: Array(stringToSign.utf8)).hexString
    }

    /// The `Authorization` header value for one request. `query` is the query string exactly as sent after `?`
    /// (empty for POST); `body` the bytes exactly as sent; `extraHeaders` more headers to sign besides
    /// `content-type` and `host` (name, value as sent).
    package func authorization(
        method: String, host: String, contentType: String, query: String, body: [UInt8], timestamp: Int64,
        extraHeaders: [(String, String)] = []
    ) -> String {
        let headers = [("content-type", contentType), ("host", host)] + extraHeaders
        let signed = (Self.defaultSignedHeaders + extraHeaders.map { $0.0.lowercased() }).sorted()
        let canonical = Self.canonicalRequest(
            method: method, canonicalQuery: query, headers: headers, signedHeaders: signed, hashedPayload: Self.hashedPayload(body))
        let date = Self.date(timestamp: timestamp)
        let scope = Self.credentialScope(date: date, service: service)
        let sts = Self.stringToSign(timestamp: timestamp, credentialScope: scope, canonicalRequest: canonical)
        return TC3Authorization(
            secretID: credentials.secretID, date: date, service: service, signedHeaders: signed,
            signature: signature(stringToSign: sts, date: date)
        ).headerValue
    }
}
