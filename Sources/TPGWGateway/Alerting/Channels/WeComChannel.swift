import Foundation
import TPGWCore

/// WeCom (企业微信) group robot, markdown message; `content` is at most 4096 bytes of UTF-8.
package enum WeComChannel {
    package static let maxContentBytes = 4096

    static func request(_ message: AlertMessage, settings: ChannelSettings) -> OutgoingRequest {
        let zh = settings.language == .zh
        let content = truncate(message.markdown(linkLabel: zh ? "查看详情" : "Open in tpgw"), maxBytes: maxContentBytes)
        let body = OrderedJSON.object([
            ("msgtype", .string("markdown")),
            ("markdown", .object([("content", .string(content))])),
        ])
        return OutgoingRequest(url: settings.url, headers: [ChannelFormatter.jsonContentType], body: body.bytes)
    }

    /// `s` cut to at most `maxBytes` of UTF-8 at a scalar boundary, ending in `…` when cut.
    package static func truncate(_ s: String, maxBytes: Int) -> String {
        let bytes = Array(s.utf8)
        guard bytes.count > maxBytes else { return s }
        let ellipsis = Array("…".utf8)
        var cut = max(0, maxBytes - ellipsis.count)
        // Never end inside a multi-byte sequence: back up to the start of the scalar.
        while cut > 0, bytes[cut] & 0b1100_0000 == 0b1000_0000 { cut -= 1 }
        return String(decoding: bytes[..<cut] + ellipsis, as: UTF8.self)
    }
}
