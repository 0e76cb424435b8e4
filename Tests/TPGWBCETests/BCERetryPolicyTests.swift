import Testing
import TPGWCore
@testable import TPGWBCE

@Suite struct BCERetryPolicyTests {
    static let source = SourceID(account: "prod", region: "bj")

    static func service(_ status: Int, _ code: String?) -> BCEError {
        BCEError(kind: .service, source: source, operation: "list", status: status, code: code, message: "")
    }

    static func kind(_ k: BCEError.Kind) -> BCEError { BCEError(kind: k, source: source, operation: "list", message: "") }

    struct Row: Sendable, CustomTestStringConvertible {
        var error: BCEError
        var retries: Bool
        var testDescription: String { "\(error.kind) \(error.status ?? 0) \(error.code ?? "-") -> \(retries)" }
    }

    static let table: [Row] = [
        Row(error: service(500, "InternalError"), retries: true),
        Row(error: service(502, nil), retries: true),
        Row(error: service(503, nil), retries: true),
        Row(error: service(504, nil), retries: true),
        Row(error: kind(.timeout), retries: true),
        Row(error: kind(.connection), retries: true),
        Row(error: service(501, nil), retries: false),
        Row(error: service(400, "SignatureDoesNotMatch"), retries: false),
        Row(error: service(403, "InvalidAccessKeyId"), retries: false),
        Row(error: service(403, "AccessDenied"), retries: false),
        Row(error: service(404, "NoSuchObject"), retries: false),
        Row(error: service(403, "IdempotentParameterMismatch"), retries: false),
        Row(error: service(413, "ExceedLimit"), retries: false),
        Row(error: service(400, "MalformedJSON"), retries: false),
        Row(error: kind(.decoding), retries: false),
        Row(error: kind(.circuitOpen), retries: false),
        Row(error: kind(.client), retries: false),
    ]

    @Test(arguments: table)
    func decide_classifiesErrors(_ row: Row) {
        let d = BCERetryPolicy().decide(row.error, backoffRetries: 0, expiredRetried: false, random: 0.5)
        if row.retries {
            #expect(d == .retry(after: .milliseconds(100)))
        } else {
            #expect(d == .fail)
        }
    }

    @Test func backoff_isExponentialWithFullJitter_andCapped() {
        let p = BCERetryPolicy(maxRetries: 10, baseDelay: .milliseconds(200), maxDelay: .seconds(5))
        #expect(p.ceiling(retry: 1) == .milliseconds(200))
        #expect(p.ceiling(retry: 2) == .milliseconds(400))
        #expect(p.ceiling(retry: 3) == .milliseconds(800))
        #expect(p.ceiling(retry: 5) == .milliseconds(3200))
        #expect(p.ceiling(retry: 6) == .seconds(5))
        #expect(p.ceiling(retry: 40) == .seconds(5))
        let e = Self.service(503, nil)
        #expect(p.decide(e, backoffRetries: 2, expiredRetried: false, random: 0) == .retry(after: .zero))
        #expect(p.decide(e, backoffRetries: 2, expiredRetried: false, random: 1) == .retry(after: .milliseconds(800)))
    }

    @Test func retries_stopAfterMaxRetries() {
        let p = BCERetryPolicy()
        let e = Self.kind(.timeout)
        #expect(p.decide(e, backoffRetries: 2, expiredRetried: false, random: 0.5) != .fail)
        #expect(p.decide(e, backoffRetries: 3, expiredRetried: false, random: 0.5) == .fail)
    }

    @Test func requestExpired_retriesOnceAtOnce() {
        let p = BCERetryPolicy()
        let e = Self.service(400, "RequestExpired")
        #expect(p.decide(e, backoffRetries: 0, expiredRetried: false, random: 0.9) == .retry(after: .zero))
        #expect(p.decide(e, backoffRetries: 0, expiredRetried: true, random: 0.9) == .fail)
    }
}
