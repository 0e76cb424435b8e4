/// What an error means for the caller, per the retry classes of Tencent's error-code reference.
package enum TencentErrorClass: String, Sendable, Equatable, CaseIterable {
    /// `RequestLimitExceeded[.*]`: back off, re-sign, retry.
    case throttled
    /// `InternalError`, `InternalServerError`, `ServiceUnavailable`, non-200, not JSON, network: retry reads.
    case transient
    /// `AuthFailure.SignatureExpire`: re-sign with a fresh timestamp once, then report the clock.
    case signatureExpired
    /// `AuthFailure.SignatureFailure`, `.InvalidAuthorization`, `.TokenFailure`, `.MFAFailure`: do not retry.
    case authFailure
    /// `AuthFailure.SecretIdNotFound`, `.InvalidSecretId`: the key is gone or wrong; mark the account broken.
    case invalidCredentials
    /// `UnauthorizedOperation`, `AuthFailure.UnauthorizedOperation`: CAM permission missing.
    case unauthorized
    /// `UnsupportedRegion`, `UnsupportedOperation.UnsupportedRegion`: the region is unavailable (never zero packages).
    case unsupportedRegion
    /// Our request is wrong (`InvalidParameter*`, `MissingParameter`, `UnknownParameter`, `InvalidAction`, …).
    case badRequest
    /// `LimitExceeded.TrafficPackageQuota`, `FailedOperation.BalanceInsufficient`: a purchase refused.
    case purchaseRefused
    /// `ResourceNotFound`, `InvalidParameterValue.TrafficPackageNotFound`.
    case notFound
    /// A JSON answer of the wrong shape, or any other code: do not retry.
    case other

    /// Classifies an API error code, matching dotted sub-codes by prefix.
    package static func classify(code: String) -> TencentErrorClass {
        func matches(_ base: String) -> Bool { code == base || code.hasPrefix(base + ".") }
        if matches("RequestLimitExceeded") { return .throttled }
        if matches("InternalError") || matches("InternalServerError") || matches("ServiceUnavailable") { return .transient }
        if code == "AuthFailure.SignatureExpire" { return .signatureExpired }
        if code == "AuthFailure.SecretIdNotFound" || code == "AuthFailure.InvalidSecretId" { return .invalidCredentials }
        if matches("UnauthorizedOperation") || matches("AuthFailure.UnauthorizedOperation") { return .unauthorized }
        if matches("AuthFailure") { return .authFailure }
        if matches("UnsupportedRegion") || matches("UnsupportedOperation.UnsupportedRegion") { return .unsupportedRegion }
        if matches("LimitExceeded.TrafficPackageQuota") || matches("FailedOperation.BalanceInsufficient") { return .purchaseRefused }
        if matches("ResourceNotFound") || code == "InvalidParameterValue.TrafficPackageNotFound" { return .notFound }
        for base in ["InvalidParameter", "InvalidParameterValue", "MissingParameter", "UnknownParameter", "InvalidAction", "NoSuchVersion",
                     "UnsupportedOperation", "LimitExceeded", "InvalidFilter"]
        where matches(base) {
            return .badRequest
        }
        return .other
    }
}
