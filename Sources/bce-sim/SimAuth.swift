import Foundation
import TPGWBCE
import TPGWCore
import TPGWCrypto

/// Verifies `bce-auth-v1` the way the service does: from the request's own `signedHeaders`
/// (empty = `host`, `content-length`, `content-type`, `content-md5` and every `x-bce-*` header).
enum SimAuth {
    struct Failure: Error, Equatable, Sendable {
        var status: Int
        var code: String
        var message: String
    }

    /// The largest allowed distance between `x-bce-date` and the server's real clock.
    static let maxSkew: TimeInterval = 30 * 60

    /// Nil when the request is authentic and fresh at real time `now`.
    static func verify(_ request: SimRequest, accessKeyID: String, secretAccessKey: String, now: Date) -> Failure? {
        guard let header = request.header("Authorization"), !header.isEmpty else {
            return Failure(status: 403, code: "AccessDenied", message: "Access denied: no Authorization header.")
        }
        let parts = header.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "bce-auth-v1", let expiration = Int(parts[3]), expiration > 0,
              let timestamp = RFC3339.parse(String(parts[2]))
        else {
            return Failure(status: 400, code: "InvalidHTTPAuthHeader", message: "The Authorization header you provided is invalid.")
        }
        guard String(parts[1]) == accessKeyID else {
            return Failure(status: 403, code: "InvalidAccessKeyId", message: "The Access Key Id you provided does not exist in our records.")
        }
        let signedField = String(parts[4])
        let signedHeaders: [String]? = signedField.isEmpty ? nil : signedField.split(separator: ";").map { String($0).lowercased() }
        if let signedHeaders, !signedHeaders.contains("host") {
            return Failure(status: 400, code: "InvalidHTTPAuthHeader", message: "The host header must be signed.")
        }
        if now > timestamp.addingTimeInterval(TimeInterval(expiration)) {
            return Failure(status: 400, code: "RequestExpired", message: "Request has expired. Timestamp date is \(parts[2]).")
        }
        let dateText = request.header("x-bce-date") ?? String(parts[2])
        guard let date = RFC3339.parse(dateText) else {
            return Failure(status: 400, code: "InvalidHTTPAuthHeader", message: "x-bce-date is malformed.")
        }
        if abs(date.timeIntervalSince(now)) > maxSkew || abs(timestamp.timeIntervalSince(now)) > maxSkew + TimeInterval(expiration) {
            return Failure(status: 400, code: "RequestExpired", message: "The difference between the request time and the server's time is too large.")
        }
        let signer = BCESigner(credentials: BCECredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey))
        let path = PercentCoding.decode(Substring(request.path))
        let canonical = BCESigner.canonicalRequest(
            method: request.method, path: path, query: request.queryItems, headers: request.headers, signedHeaders: signedHeaders)
        let key = signer.signingKey(timestamp: String(parts[2]), expiration: expiration)
        let expected = Crypto.hmacSHA256(key: key, message: canonical).hexString
        guard Crypto.constantTimeEquals(Array(expected.utf8), Array(parts[5].utf8)) else {
            return Failure(status: 400, code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match the signature you provided.")
        }
        return nil
    }
}
