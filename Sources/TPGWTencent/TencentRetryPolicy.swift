import TPGWCore

/// When to retry a failed Tencent *read* attempt, and after how long. Pure: randomness is passed in.
/// Creates never come here: `CreateTrafficPackages` has no idempotency token and is sent once.
///
/// - throttled (`RequestLimitExceeded*`) and transient (internal errors, non-200, not JSON, timeouts, network):
///   up to `maxRetries` retries with exponential backoff and equal jitter,
///   `delay = c/2 + random * c/2` with `c = min(maxDelay, baseDelay * 2^(retry-1))`. With the defaults (1 s, 8 s cap,
///   the SDK's helper starts at 1 s too) the ceilings are 1 s, 2 s, 4 s, 8 s, 8 s…, so a throttled call never
///   comes back at once.
/// - `AuthFailure.SignatureExpire`: retry once at once (the caller re-signs with a fresh timestamp).
/// - everything else (auth, CAM, region, parameters, decoding): fail at once.
/// Every attempt is signed anew by the caller.
package struct TencentRetryPolicy: Sendable, Equatable {
    package enum Decision: Sendable, Equatable {
        case retry(after: Duration)
        case fail
    }

    package var maxRetries: Int
    package var baseDelay: Duration
    package var maxDelay: Duration

    package init(maxRetries: Int = 3, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(8)) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// - Parameters:
    ///   - error: what the last attempt returned.
    ///   - backoffRetries: backoff retries already made for this call (0 before the first).
    ///   - expiredRetried: whether the one `SignatureExpire` retry was used.
    ///   - random: a value in `0..<1`.
    package func decide(_ error: TencentError, backoffRetries: Int, expiredRetried: Bool, random: Double) -> Decision {
        switch error.errorClass {
        case .throttled, .transient:
            return backoff.delay(afterRetries: backoffRetries, random: random).map { .retry(after: $0) } ?? .fail
        case .signatureExpired:
            return expiredRetried ? .fail : .retry(after: .zero)
        case .authFailure, .invalidCredentials, .unauthorized, .unsupportedRegion, .badRequest, .purchaseRefused, .notFound, .other:
            return .fail
        }
    }

    /// The back-off this policy waits with (equal jitter: a throttled call never comes back at once).
    package var backoff: Backoff { Backoff(maxRetries: maxRetries, baseDelay: baseDelay, maxDelay: maxDelay, jitter: .equal) }

    /// The backoff ceiling before retry number `retry` (1-based).
    package func ceiling(retry: Int) -> Duration { backoff.ceiling(retry: retry) }
}
