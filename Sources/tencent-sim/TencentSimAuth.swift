import Foundation
import TPGWCrypto
import TPGWTencent

/// Verifies `TC3-HMAC-SHA256` the way the API does: from the request's own `SignedHeaders` (which must include
/// `content-type` and `host`), with the scope date of `X-TC-Timestamp` in UTC and service `vpc`.
enum TencentSimAuth {
    struct Failure: Error, Equatable, Sendable {
        var code: String
        var message: String
    }

    /// Largest allowed distance between `X-TC-Timestamp` and the server's clock.
    static let maxSkew: TimeInterval = 300

    /// Nil when the request is authentic and fresh at real time `now`.
    static func verify(_ request: TencentSimRequest, secretID: String, secretKey: String, now: Date) -> Failure? {
        guard let header = request.header("Authorization"), !header.isEmpty else {
            return Failure(code: "AuthFailure.InvalidAuthorization", message: "Authorization header is missing.")
        }
        guard let auth = TC3Authorization(header) else {
            return Failure(code: "AuthFailure.InvalidAuthorization", message: "Authorization header is not a valid TC3-HMAC-SHA256 header.")
        }
        guard auth.secretID == secretID else {
            return Failure(code: "AuthFailure.SecretIdNotFound", message: "The SecretId is not found, please ensure that your SecretId is correct.")
        }
        guard let tsText = request.header("X-TC-Timestamp"), let ts = Int64(tsText.trimmingCharacters(in: .whitespaces)) else {
            return Failure(code: "MissingParameter", message: "The request is missing a required parameter `X-TC-Timestamp`.")
        }
        if abs(TimeInterval(ts) - now.timeIntervalSince1970) > maxSkew {
            return Failure(code: "AuthFailure.SignatureExpire", message: "Signature expired. Timestamp is \(ts), server time is \(Int64(now.timeIntervalSince1970)).")
        }
        guard auth.date == TC3Signer.date(timestamp: ts), auth.service == "vpc" else {
            return Failure(code: "AuthFailure.SignatureFailure", message: "The credential scope must be the UTC date of X-TC-Timestamp and service vpc.")
        }
        guard auth.signedHeaders.contains("content-type"), auth.signedHeaders.contains("host") else {
            return Failure(code: "AuthFailure.SignatureFailure", message: "SignedHeaders must include content-type and host.")
        }
        let payload: String
        if request.header("X-TC-Content-SHA256") == "UNSIGNED-PAYLOAD" {
            payload = TC3Signer.hashedPayload(Array("UNSIGNED-PAYLOAD".utf8))
        } else {
            payload = TC3Signer.hashedPayload(request.method == "GET" ? [] : request.body)
        }
        let canonical = TC3Signer.canonicalRequest(
            method: request.method, canonicalQuery: request.method == "GET" ? request.rawQuery : "", headers: request.headers,
            signedHeaders: auth.signedHeaders, hashedPayload: payload)
        let scope = TC3Signer.credentialScope(date: auth.date, service: "vpc")
        let sts = TC3Signer.stringToSign(timestamp: ts, credentialScope: scope, canonicalRequest: canonical)
        let expected = TC3Signer(credentials: TencentCredentials(secretID: secretID, secretKey: secretKey)).signature(stringToSign: sts, date: auth.date)
        guard Crypto.constantTimeEquals(Array(expected.utf8), Array(auth.signature.utf8)) else {
            return Failure(code: "AuthFailure.SignatureFailure", message: "The provided credentials could not be validated. Please check your signature is correct.")
        }
        return nil
    }
}
