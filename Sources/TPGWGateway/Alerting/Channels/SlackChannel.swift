import Foundation
import TPGWCore

/// Slack incoming webhook: `text` (the notification fallback) plus header, section and context blocks.
package enum SlackChannel {
    static func request(_ message: AlertMessage, settings: ChannelSettings) -> OutgoingRequest {
        let zh = settings.language == .zh
        let lines = message.lines.map { "• " + escape($0) }.joined(separator: "\n")
        var blocks: [OrderedJSON] = [
            .object([("type", .string("header")), ("text", .object([("type", .string("plain_text")), ("text", .string(String(message.title.prefix(150))))]))]),
            .object([("type", .string("section")), ("text", .object([("type", .string("mrkdwn")), ("text", .string(String(lines.prefix(3000))))]))]),
        ]
        if let link = message.link {
            let label = zh ? "在 tpgw 中查看" : "Open in tpgw"
            blocks.append(.object([
                ("type", .string("context")),
                ("elements", .array([.object([("type", .string("mrkdwn")), ("text", .string("<\(link)|\(label)>"))])])),
            ]))
        }
        let body = OrderedJSON.object([
            ("text", .string(escape(([message.title] + message.lines).joined(separator: "\n")))),
            ("blocks", .array(blocks)),
        ])
        return OutgoingRequest(url: settings.url, headers: [ChannelFormatter.jsonContentType], body: body.bytes)
    }

    /// Slack's mrkdwn control characters.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
