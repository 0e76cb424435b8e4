import Foundation
import Testing
import TPGWCore
import TPGWHTTPClient
@testable import TPGWTencent

@Suite struct TencentRetryPolicyTests {
    static func service(_ code: String) -> TencentError {
        TencentError(kind: .service, source: TencentFixture.source, operation: "describe", code: code, message: "")
    }

    static func kind(_ kind: TencentError.Kind) -> TencentError {
        TencentError(kind: kind, source: TencentFixture.source, operation: "describe", message: "")
    }

    /// A transfer that got no answer becomes the kind its `HTTPClientError.failure` names, as `BCEError` does (the
    /// classification's table is in TPGWBCETests' `HTTPClientTests`): timeouts and connection failures are transient
    /// (they count against the breaker), a fault on this side is not.
    @Test(arguments: HTTPClientError.Kind.allCases)
    func transportFailure_becomesTheTencentErrorOfItsClass(_ kind: HTTPClientError.Kind) {
        let transport = HTTPClientError(kind: kind, curlCode: 7, operation: "POST", url: "https://vpc.tencentcloudapi.com/", detail: "boom")
        let error = TencentError(transport, source: TencentFixture.source, operation: "describe")
        #expect("\(error.kind)" == "\(transport.failure)")
        #expect(error.isUnavailability == (transport.failure != .client))
        #expect(error.curlCode == 7)
        #expect(error.message == transport.description)
    }

    @Test(arguments: [
        ("RequestLimitExceeded", TencentErrorClass.throttled), ("RequestLimitExceeded.UinLimitExceeded", .throttled),
        ("RequestLimitExceeded.IPLimitExceeded", .throttled), ("RequestLimitExceeded.GlobalRegionUinLimitExceeded", .throttled),
        ("InternalError", .transient), ("InternalServerError", .transient), ("ServiceUnavailable", .transient),
        ("AuthFailure.SignatureExpire", .signatureExpired), ("AuthFailure.SignatureFailure", .authFailure),
        ("AuthFailure.InvalidAuthorization", .authFailure), ("AuthFailure.TokenFailure", .authFailure), ("AuthFailure.MFAFailure", .authFailure),
        ("AuthFailure.SecretIdNotFound", .invalidCredentials), ("AuthFailure.InvalidSecretId", .invalidCredentials),
        ("UnauthorizedOperation", .unauthorized), ("AuthFailure.UnauthorizedOperation", .unauthorized),
        ("UnsupportedRegion", .unsupportedRegion), ("UnsupportedOperation.UnsupportedRegion", .unsupportedRegion),
        ("InvalidParameter", .badRequest), ("InvalidParameter.InvalidFilter", .badRequest), ("InvalidParameter.Coexist", .badRequest),
        ("InvalidParameterValue", .badRequest), ("InvalidParameterValue.TrafficPackageIdMalformed", .badRequest),
        ("InvalidParameterValue.Range", .badRequest), ("InvalidParameterValue.LimitExceeded", .badRequest), ("MissingParameter", .badRequest),
        ("UnknownParameter", .badRequest), ("InvalidAction", .badRequest), ("NoSuchVersion", .badRequest),
        ("LimitExceeded.TrafficPackageQuota", .purchaseRefused), ("FailedOperation.BalanceInsufficient", .purchaseRefused),
        ("ResourceNotFound", .notFound), ("InvalidParameterValue.TrafficPackageNotFound", .notFound),
        ("RequestLimitExceededX", .other), ("SomethingNew", .other), ("", .other),
    ])
    func errorCode_isClassifiedWithSubCodesByPrefix(_ code: String, _ expected: TencentErrorClass) {
        #expect(TencentErrorClass.classify(code: code) == expected)
    }

    @Test(arguments: [
        (TencentError.Kind.httpStatus, TencentErrorClass.transient), (.malformed, .transient), (.timeout, .transient), (.connection, .transient),
        (.decoding, .other), (.client, .other), (.unsettled, .other), (.ambiguous, .other), (.unsupported, .other),
    ])
    func transportFailures_areTransient_butWrongShapesAreNot(_ kind: TencentError.Kind, _ expected: TencentErrorClass) {
        #expect(Self.kind(kind).errorClass == expected)
    }

    @Test(arguments: ["RequestLimitExceeded", "RequestLimitExceeded.UinLimitExceeded", "InternalError"])
    func throttlingAndInternalErrors_areRetriedWithBackoff_upToTheLimit(_ code: String) {
        let policy = TencentRetryPolicy(maxRetries: 3, baseDelay: .seconds(1), maxDelay: .seconds(8))
        let e = Self.service(code)
        #expect(policy.decide(e, backoffRetries: 0, expiredRetried: false, random: 0) == .retry(after: .milliseconds(500)))
        #expect(policy.decide(e, backoffRetries: 1, expiredRetried: false, random: 1) == .retry(after: .seconds(2)))
        #expect(policy.decide(e, backoffRetries: 2, expiredRetried: false, random: 0.5) == .retry(after: .seconds(3)))
        #expect(policy.decide(e, backoffRetries: 3, expiredRetried: false, random: 0.5) == .fail)
    }

    @Test func backoffCeilings_doubleFromOneSecondAndCap() {
        let policy = TencentRetryPolicy(maxRetries: 10, baseDelay: .seconds(1), maxDelay: .seconds(8))
        #expect((1...6).map { policy.ceiling(retry: $0) } == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8), .seconds(8)])
    }

    @Test func throttledRetry_neverComesBackAtOnce() {
        let policy = TencentRetryPolicy()
        if case .retry(let d) = policy.decide(Self.service("RequestLimitExceeded"), backoffRetries: 0, expiredRetried: false, random: 0) {
            #expect(d > .zero)
        } else {
            Issue.record("not retried")
        }
    }

    @Test func signatureExpire_isRetriedOnceAtOnce() {
        let policy = TencentRetryPolicy()
        let e = Self.service("AuthFailure.SignatureExpire")
        #expect(policy.decide(e, backoffRetries: 0, expiredRetried: false, random: 0.5) == .retry(after: .zero))
        #expect(policy.decide(e, backoffRetries: 0, expiredRetried: true, random: 0.5) == .fail)
    }

    @Test(arguments: [
        "UnauthorizedOperation", "AuthFailure.UnauthorizedOperation", "UnsupportedRegion", "UnsupportedOperation.UnsupportedRegion",
        "AuthFailure.SignatureFailure", "AuthFailure.SecretIdNotFound", "InvalidParameterValue.LimitExceeded", "UnknownParameter",
        "FailedOperation.BalanceInsufficient", "SomethingNew",
    ])
    func permanentErrors_areNotRetried(_ code: String) {
        #expect(TencentRetryPolicy().decide(Self.service(code), backoffRetries: 0, expiredRetried: false, random: 0.5) == .fail)
    }

    @Test func appError_mapsClassesToGatewayCodes() {
        #expect(Self.service("RequestLimitExceeded").appError.code == .rateLimited)
        #expect(Self.service("UnauthorizedOperation").appError.code == .upstreamRejected)
        #expect(Self.service("InternalError").appError.code == .upstreamUnavailable)
        #expect(Self.kind(.ambiguous).appError.code == .upstreamUnavailable)
        #expect(Self.kind(.unsettled).appError.code == .upstreamUnavailable)
    }
}
