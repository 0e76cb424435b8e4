import Foundation
import TPGWCore
import TPGWCrypto

/// tpgw's own signed JSON payload.
///
/// Headers: `X-TPGW-Delivery: <id>` (stable across retries: receivers deduplicate on it) and, with a secret,
/// `X-TPGW-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
package enum TPGWJSONChannel {
    static func request(
        _ message: AlertMessage, events: [AlertEvent], settings: ChannelSettings, deliveryID: String, now: Date
    ) -> OutgoingRequest {
        let alerts: [OrderedJSON] = events.map { e in
            let state = String(decoding: APIJSON.encode(e.alert), as: UTF8.self)
            return .object([
                ("event", .string(e.kind.rawValue)),
                ("at", .string(RFC3339.format(e.at))),
                ("previousLevel", e.previousLevel.map { .integer(Int64($0)) } ?? .null),
                ("alert", .raw(state)),
            ])
        }
        let body = OrderedJSON.object([
            ("version", .string("1")),
            ("deliveryId", .string(deliveryID)),
            ("event", .string(events.count == 1 ? events[0].kind.rawValue : "digest")),
            ("sentAt", .string(RFC3339.format(now))),
            ("severity", .string(message.tone.rawValue)),
            ("title", .string(message.title)),
            ("text", .string(message.lines.joined(separator: "\n"))),
            ("url", .optional(message.link)),
            ("events", .array(alerts)),
        ]).bytes
        var headers = [ChannelFormatter.jsonContentType, .init("X-TPGW-Delivery", deliveryID)]
        if let secret = settings.signingSecret {
            headers.append(.init("X-TPGW-Signature", signature(secret: secret, body: body, now: now)))
        }
        return OutgoingRequest(url: settings.url, headers: headers, body: body)
    }

    /// `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
    package static func signature(secret: String, body: [UInt8], now: Date) -> String {
        let t = Int64(now.timeIntervalSince1970.rounded(.down))
        let mac = Crypto.hmacSHA256(key: Array(secret.utf8), message: Array("\(t).".utf8) + body)
        return "t=\(t),v1=\(mac.hexString)"
    }
}
