import Foundation
import TPGWCore
import TPGWCrypto

/// DingTalk custom robot, markdown message. With a secret ("加签"), `timestamp` (ms) and
/// `sign = urlencode(base64(HMAC-SHA256(key: secret, msg: timestamp + "\n" + secret)))` go in the query.
package enum DingTalkChannel {
    static func request(_ message: AlertMessage, settings: ChannelSettings, now: Date) -> OutgoingRequest {
        let zh = settings.language == .zh
        let body = OrderedJSON.object([
            ("msgtype", .string("markdown")),
            ("markdown", .object([
                ("title", .string(message.title)),
                ("text", .string(message.markdown(linkLabel: zh ? "查看详情" : "Open in tpgw"))),
            ])),
        ])
        var url = settings.url
        if let secret = settings.signingSecret {
            let timestamp = String(Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))
            url = PercentCoding.appendingQuery(url, [("timestamp", timestamp), ("sign", sign(secret: secret, timestamp: timestamp))])
        }
        return OutgoingRequest(url: url, headers: [ChannelFormatter.jsonContentType], body: body.bytes)
    }

    /// base64(HMAC-SHA256(key: secret, msg: "<timestamp>\n<secret>")), before URL-encoding.
    package static func sign(secret: String, timestamp: String) -> String {
        Crypto.hmacSHA256(key: secret, message: timestamp + "\n" + secret).base64String
    }
}
