import Foundation
import Testing
import TPGWCore
@testable import TPGWTencent

@Suite struct TencentRetryPolicyTests {
    static func service(_ code: String) -> TencentError {
        TencentError(kind: .service, source: TencentFixture.source, operation: "describe", code: code, message: "")
    }

    static func kind(_ kind: TencentError.Kind) -> TencentError {
        TencentError(kind: kind, source: TencentFixture.source, operation: "describe", message: "")
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

@Suite struct TencentPurchaseOrderTests {
    @Test(arguments: [
        (10, 1), (50, 1), (512, 1), (1024, 1), (5120, 1), (51200, 1),
        (60, 6), (300, 6), (3072, 6), (6144, 6), (30720, 6), (61440, 6), (307200, 6),
    ])
    func soldSizes_fixTheValidity(_ gb: Int, _ months: Int) {
        #expect(TencentCapacityTable.validityMonths(gigabytes: gb) == months)
        #expect(TencentPurchaseOrder(gigabytes: gb).problem == nil)
    }

    @Test(arguments: [0, 1, 100, 600, 1000, 10240, -10])
    func unsoldSizes_areRefusedBeforeSending(_ gb: Int) {
        #expect(TencentPurchaseOrder(gigabytes: gb).problem != nil)
    }

    @Test(arguments: [(0, false), (1, true), (20, true), (21, false)])
    func packageCount_mustBeOneToTwenty(_ count: Int, _ ok: Bool) {
        #expect((TencentPurchaseOrder(gigabytes: 10, count: count).problem == nil) == ok)
    }

    @Test func body_hasNoClientToken_andFixedKeyOrder() {
        let body = String(decoding: TencentPurchaseOrder(gigabytes: 5120, count: 3, deductType: .idleTime).jsonBody, as: UTF8.self)
        #expect(body == #"{"TrafficAmount":5120,"TrafficPackageCount":3,"DeductType":"IDLE_TIME"}"#)
    }

    @Test func reconciliation_matchesSameSizeAndKindCreatedSinceTheAttempt() {
        let t = RFC3339.parse("2026-12-02T05:00:00Z")!
        let order = TencentPurchaseOrder(gigabytes: 10, count: 2)
        func pkg(_ gb: Int64, _ type: TencentDeductType, _ created: TimeInterval) -> TencentPackage {
            TencentPackage(id: "tfp-x", status: .available, deductType: type, totalBytes: gb << 30, usedBytes: 0,
                           createdAt: t.addingTimeInterval(created), deadline: t.addingTimeInterval(86_400))
        }
        #expect(order.couldHaveBought(pkg(10, .fullTime, 2), attemptedAt: t))
        #expect(order.couldHaveBought(pkg(10, .fullTime, -60), attemptedAt: t))   // within the clock slack
        #expect(!order.couldHaveBought(pkg(10, .fullTime, -3600), attemptedAt: t))
        #expect(!order.couldHaveBought(pkg(50, .fullTime, 2), attemptedAt: t))
        #expect(!order.couldHaveBought(pkg(10, .idleTime, 2), attemptedAt: t))
    }

    @Test func filterBody_alwaysSendsLimit_andRefusesIdsWithFilters() {
        #expect(String(decoding: TencentListFilter().jsonBody(offset: 200, limit: 100), as: UTF8.self) == #"{"Offset":200,"Limit":100}"#)
        let f = TencentListFilter(statuses: [.available, .exhausted], names: ["未命名"])
        #expect(String(decoding: f.jsonBody(offset: 0, limit: 100), as: UTF8.self)
            == #"{"Filters":[{"Name":"status","Values":["AVAILABLE","EXHAUSTED"]},{"Name":"traffic-package-name","Values":["未命名"]}],"Offset":0,"Limit":100}"#)
        #expect(TencentListFilter(ids: ["tfp-1"], statuses: [.available]).problem != nil)
        #expect(TencentListFilter(statuses: [.refunded]).problem != nil)
    }

    @Test func endpoint_hostHeaderOmitsDefaultPortsOnly() {
        let c = TencentCredentials(secretID: "a", secretKey: "b")
        #expect(TencentEndpoint(account: "a", region: "r", credentials: c).hostHeader == "vpc.tencentcloudapi.com")
        #expect(TencentEndpoint(account: "a", region: "r", credentials: c, baseURL: "http://127.0.0.1:9300/").hostHeader == "127.0.0.1:9300")
        #expect(TencentEndpoint(account: "a", region: "r", credentials: c, baseURL: "https://vpc.intl.tencentcloudapi.com:443").hostHeader == "vpc.intl.tencentcloudapi.com")
        #expect(TencentEndpoint(account: "a", region: "r", credentials: c).source.provider == "tencent")
    }
}
