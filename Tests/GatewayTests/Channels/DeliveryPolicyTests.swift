import Foundation
import Testing
@testable import TPGWCore
@testable import TPGWGateway

@Suite struct DeliveryPolicyTests {
    typealias F = ChannelFixtures

    static func ok(_ body: String, status: Int = 200, headers: [OutgoingRequest.Header] = []) -> DeliveryResult {
        .response(status: status, headers: headers, body: Array(body.utf8))
    }

    @Test(arguments: [
        (ChannelFormat.json, ok("", status: 204), "delivered"),
        (.json, ok("", status: 503), "retry"),
        (.json, ok("", status: 408), "retry"),
        (.json, ok("", status: 429), "retry"),
        (.json, ok("", status: 404), "permanent"),
        (.json, ok("", status: 400), "permanent"),
        (.json, .timedOut, "retry"),
        (.json, .connectionFailed(reason: "refused"), "retry"),
        (.alertmanager, ok("", status: 200), "delivered"),
        (.dingtalk, ok(#"{"errcode":0,"errmsg":"ok"}"#), "delivered"),
        (.dingtalk, ok(#"{"errcode":310000,"errmsg":"sign not match"}"#), "permanent"),
        (.dingtalk, ok(#"{"errcode":130101,"errmsg":"send too fast"}"#), "retry"),
        (.wecom, ok(#"{"errcode":0,"errmsg":"ok"}"#), "delivered"),
        (.wecom, ok(#"{"errcode":93000,"errmsg":"invalid webhook url"}"#), "permanent"),
        (.wecom, ok(#"{"errcode":45009,"errmsg":"api freq out of limit"}"#), "retry"),
        (.feishu, ok(#"{"code":0,"msg":"success"}"#), "delivered"),
        (.feishu, ok(#"{"StatusCode":0,"StatusMessage":"success"}"#), "delivered"),
        (.feishu, ok(#"{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}"#), "permanent"),
        (.feishu, ok(#"{"code":9499,"msg":"too many request"}"#), "retry"),
        (.slack, ok("ok"), "delivered"),
        (.slack, ok(#"{"ok":true}"#), "delivered"),
        (.slack, ok(#"{"ok":false,"error":"invalid_blocks"}"#), "permanent"),
        (.slack, ok("no_service", status: 404), "permanent"),
        (.dingtalk, ok("<html>"), "permanent"),
        (.dingtalk, ok("", status: 502), "retry"),
    ])
    func classify_followsStatusAndRobotErrorCodes(_ format: ChannelFormat, _ result: DeliveryResult, _ expected: String) {
        let outcome = ResponseClassifier.classify(result, format: format, now: F.now)
        let name: String
        switch outcome {
        case .delivered: name = "delivered"
        case .retryable: name = "retry"
        case .permanent: name = "permanent"
        }
        #expect(name == expected, "\(outcome)")
    }

    @Test func tooManyRequests_honoursRetryAfterSecondsAndDates() {
        let seconds = ResponseClassifier.classify(Self.ok("", status: 429, headers: [.init("Retry-After", "120")]), format: .json, now: F.now)
        #expect(seconds == .retryable(reason: "HTTP 429", retryAfter: 120))
        // 2023-11-14T22:13:20Z + 90 s
        let date = ResponseClassifier.classify(Self.ok("", status: 503, headers: [.init("retry-after", "Tue, 14 Nov 2023 22:14:50 GMT")]), format: .json, now: F.now)
        #expect(date == .retryable(reason: "HTTP 503", retryAfter: 90))
        #expect(RetryAfter.parse("soon", now: F.now) == nil)
    }

    /// F.now is 2023-11-14T22:13:20Z.
    @Test(arguments: [
        ("120", 120.0), ("  120\t", 120), ("0", 0), ("3600", 3600), ("3601", 3600), ("99999999999999999999999999", 3600),
        ("Tue, 14 Nov 2023 22:14:50 GMT", 90), ("Tue, 14 Nov 2023 22:00:00 GMT", 0), ("Fri, 31 Dec 9999 23:59:59 GMT", 3600),
        ("Thu, 29 Feb 2024 00:00:00 GMT", 3600),
    ] as [(String, Double)])
    func retryAfter_acceptsDeltaSecondsAndIMFFixdate_clampedToAnHour(_ value: String, _ expected: Double) {
        #expect(RetryAfter.parse(value, now: F.now) == expected)
    }

    @Test(arguments: [
        "Sun, 06 Nov 999999999999 08:49:37 GMT", "Sun, 06 Nov 1969 08:49:37 GMT", "Sun, 06 Nov 10000 08:49:37 GMT",
        "Sun, 31 Feb 2024 08:49:37 GMT", "Thu, 29 Feb 2023 00:00:00 GMT", "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "-1", "+5", "1.5", "0x10", "", " ", "12 34",
        "99999999999999999999999#", "Sun, 06 Nov 1994 08:49:37 GMT\r", String(repeating: "9", count: 100),
    ])
    func retryAfter_refusesEverythingElse(_ value: String) {
        #expect(RetryAfter.parse(value, now: F.now) == nil)
    }

    @Test(arguments: [200, 201, 204, 400, 404, 500, 502, 504])
    func retryAfter_isReadOnlyOn408_429And503(_ status: Int) {
        let outcome = ResponseClassifier.classify(
            Self.ok(#"{"ok":true}"#, status: status, headers: [.init("Retry-After", "120")]), format: .json, now: F.now)
        if case .retryable(_, let wait) = outcome { #expect(wait == nil) }
    }

    @Test func robotErrorReason_dropsURLs() {
        let outcome = ResponseClassifier.classify(
            Self.ok(#"{"errcode":300001,"errmsg":"token is not exist, more: [https://open.dingtalk.com/x?access_token=SECRET]"}"#),
            format: .dingtalk, now: F.now)
        guard case .permanent(let reason) = outcome else { Issue.record("\(outcome)"); return }
        #expect(!reason.contains("SECRET"))
        #expect(reason.hasPrefix("dingtalk error 300001: token is not exist"))
    }

    @Test(arguments: [(1, 0.0, 30.0), (2, 0.0, 60.0), (3, 0.0, 120.0), (8, 0.0, 3600.0), (40, 0.0, 3600.0), (1, 1.0, 36.0), (1, -1.0, 24.0)])
    func backoff_doublesUpToTheCapWithJitter(_ attempt: Int, _ jitter: Double, _ seconds: Double) {
        #expect(abs(DeliveryRetryPolicy().backoff(attempt: attempt, jitter: jitter) - seconds) < 1e-9)
    }

    @Test func decide_retriesUntilMaxAgeThenDead() {
        let policy = DeliveryRetryPolicy()
        let first = F.now
        let retryable = DeliveryOutcome.retryable(reason: "HTTP 503", retryAfter: nil)
        #expect(policy.decide(retryable, attempt: 1, firstAttemptAt: first, now: first, jitter: 0) == .retry(at: first + 30))
        #expect(policy.decide(.retryable(reason: "HTTP 429", retryAfter: 600), attempt: 1, firstAttemptAt: first, now: first, jitter: 0) == .retry(at: first + 600))
        let late = first + 23.5 * 3600
        guard case .dead = policy.decide(retryable, attempt: 30, firstAttemptAt: first, now: late, jitter: 0) else {
            Issue.record("expected dead")
            return
        }
        #expect(policy.decide(.permanent(reason: "HTTP 404"), attempt: 1, firstAttemptAt: first, now: first, jitter: 0) == .failed(reason: "HTTP 404"))
        #expect(policy.decide(.delivered, attempt: 3, firstAttemptAt: first, now: late, jitter: 0) == .delivered)
    }
}
