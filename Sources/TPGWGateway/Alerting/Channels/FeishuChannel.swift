import Foundation
import TPGWCore
import TPGWCrypto

/// Feishu (Lark) custom bot, an interactive card with a markdown element. With a secret ("签名校验"), the body
/// carries `timestamp` (seconds, as a string) and `sign = base64(HMAC-SHA256(key: timestamp + "\n" + secret, msg: ""))`.
package enum FeishuChannel {
    static func request(_ message: AlertMessage, settings: ChannelSettings, now: Date) -> OutgoingRequest {
        let zh = settings.language == .zh
        let template: String =
            switch message.tone {
            case .critical: "red"
            case .warning: "orange"
            case .resolved: "green"
            }
        var lines = message.lines.map { "- " + $0 }.joined(separator: "\n")
        if let link = message.link { lines += "\n[\(zh ? "查看详情" : "Open in tpgw")](\(link))" }
        var fields: [(String, OrderedJSON)] = []
        if let secret = settings.signingSecret {
            let timestamp = String(Int64(now.timeIntervalSince1970.rounded(.down)))
            fields += [("timestamp", .string(timestamp)), ("sign", .string(sign(secret: secret, timestamp: timestamp)))]
        }
        fields += [
            ("msg_type", .string("interactive")),
            ("card", .object([
                ("config", .object([("wide_screen_mode", .bool(true))])),
                ("header", .object([
                    ("title", .object([("tag", .string("plain_text")), ("content", .string(message.title))])),
                    ("template", .string(template)),
                ])),
                ("elements", .array([.object([("tag", .string("markdown")), ("content", .string(lines))])])),
            ])),
        ]
        return OutgoingRequest(url: settings.url, headers: [ChannelFormatter.jsonContentType], body: OrderedJSON.object(fields).bytes)
    }

    /// base64(HMAC-SHA256 keyed by "<timestamp>\n<secret>" over an empty message).
    package static func sign(secret: String, timestamp: String) -> String {
        Crypto.hmacSHA256(key: timestamp + "\n" + secret, message: "").base64String
    }
}
