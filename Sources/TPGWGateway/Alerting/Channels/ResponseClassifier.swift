import Foundation

/// Classifies a delivery result. Pure.
///
/// Success is a 2xx status AND, for IM robots, a zero error code in the body (DingTalk and WeCom `errcode`,
/// Feishu `code` or `StatusCode`, Slack `ok`; robots answer 200 with an error inside). 5xx, 408, 429, timeouts,
/// connection errors and a robot's own rate-limit codes are retryable; any other 4xx or robot error is permanent.
/// `Retry-After` is read only on 408, 429 and 503 (where RFC 9110 gives it a meaning) and clamped to an hour.
/// A connection refused by the network policy is permanent for this attempt's address.
package enum ResponseClassifier {
    package static func classify(_ result: DeliveryResult, format: ChannelFormat, now: Date) -> DeliveryOutcome {
        switch result {
        case .timedOut:
            return .retryable(reason: "timed out", retryAfter: nil)
        case .connectionFailed(let reason):
            return .retryable(reason: "connection failed: \(reason)", retryAfter: nil)
        case .refused(let reason):
            return .permanent(reason: reason)
        case .response(let status, let headers, let body):
            let retryAfter = [408, 429, 503].contains(status)
                ? headers.first { $0.name.lowercased() == "retry-after" }.flatMap { RetryAfter.parse($0.value, now: now) } : nil
            switch status {
            case 200..<300:
                return format.isRobot ? robotOutcome(format, body) : .delivered
            case 408, 429, 500..<600:
                return .retryable(reason: "HTTP \(status)", retryAfter: retryAfter)
            default:
                return .permanent(reason: "HTTP \(status)")
            }
        }
    }

    /// Robots' rate-limit error codes: DingTalk 130101 (send too fast), WeCom 45009 (api freq out of limit),
    /// Feishu 9499 and 11232 (frequency limited).
    static let robotRateLimitCodes: [ChannelFormat: Set<Int>] = [.dingtalk: [130101], .wecom: [45009], .feishu: [9499, 11232]]

    private static func robotOutcome(_ format: ChannelFormat, _ body: [UInt8]) -> DeliveryOutcome {
        if format == .slack {
            // Incoming webhooks answer the plain text `ok`; the Web API answers {"ok": true}.
            let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text == "ok" { return .delivered }
            guard let json = object(body), let ok = json["ok"] as? Bool else { return .permanent(reason: "slack: unexpected body") }
            if ok { return .delivered }
            let error = (json["error"] as? String).map(short) ?? "unknown"
            return error == "rate_limited" ? .retryable(reason: "slack: rate_limited", retryAfter: 60) : .permanent(reason: "slack: \(error)")
        }
        guard let json = object(body) else { return .permanent(reason: "\(format.rawValue): body is not JSON") }
        let code: Int?
        let message: String?
        switch format {
        case .feishu:
            code = int(json["code"]) ?? int(json["StatusCode"])
            message = (json["msg"] as? String) ?? (json["StatusMessage"] as? String)
        default:
            code = int(json["errcode"])
            message = json["errmsg"] as? String
        }
        guard let code else { return .permanent(reason: "\(format.rawValue): no error code in body") }
        if code == 0 { return .delivered }
        let reason = "\(format.rawValue) error \(code): \(short(message ?? ""))"
        if robotRateLimitCodes[format]?.contains(code) == true {
            return .retryable(reason: reason, retryAfter: format == .feishu ? 1 : 60)
        }
        return .permanent(reason: reason)
    }

    private static func object(_ body: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    /// An integral JSON number in a safe range; never traps on 1e300, NaN or a fraction.
    private static func int(_ v: Any?) -> Int? {
        if let i = v as? Int { return i }
        if let d = v as? Double, d.isFinite, d.rounded() == d, abs(d) < 9e15 { return Int(d) }
        return nil
    }

    /// Robot messages are echoed into stored errors: keep them short, on one line, without URLs (which may carry tokens).
    private static func short(_ s: String) -> String {
        let line = s.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let noURL = line.split(separator: " ").filter { !$0.contains("://") }.joined(separator: " ")
        return String(noURL.prefix(120))
    }
}
