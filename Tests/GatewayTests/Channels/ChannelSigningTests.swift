import Foundation
import Testing
import TPGWCrypto
@testable import TPGWCore
@testable import TPGWGateway

@Suite struct ChannelSigningTests {
    typealias F = ChannelFixtures

    @Test func dingtalkSign_matchesKnownVector() {
        #expect(DingTalkChannel.sign(secret: "SECtest0123456789abcdef", timestamp: "1700000000000") == "/lfnxUUu80FwVTsIlv2F1cMGBb+PxEKAwYh/bsRxXcc=")
    }

    @Test func dingtalkRequest_putsMillisecondTimestampAndEncodedSignInTheQuery() throws {
        let r = ChannelFormatter.makeRequest(event: F.event(), settings: F.settings(.dingtalk, secret: "SECtest0123456789abcdef"), deliveryID: "d1", now: F.now)
        #expect(r.url == "https://hooks.example.com/robot/send?access_token=TOKEN123&timestamp=1700000000000&sign=%2FlfnxUUu80FwVTsIlv2F1cMGBb%2BPxEKAwYh%2FbsRxXcc%3D")
        let body = try F.object(r)
        #expect(body["msgtype"] as? String == "markdown")
        let text = try #require((body["markdown"] as? [String: Any])?["text"] as? String)
        #expect(text.contains("[Open in tpgw](https://tpgw.example.internal/#pkg-bce:prod:bj:tp-87V5cnkwqO)"))
    }

    @Test func dingtalkWithoutSecret_leavesTheURLAlone() {
        let r = ChannelFormatter.makeRequest(event: F.event(), settings: F.settings(.dingtalk), deliveryID: "d1", now: F.now)
        #expect(r.url == "https://hooks.example.com/robot/send?access_token=TOKEN123")
    }

    @Test func feishuSign_matchesKnownVector() {
        #expect(FeishuChannel.sign(secret: "feishu-test-secret", timestamp: "1700000000") == "e3MJ8Q5llVxGJ8pVkGPBhexDAgjvYqpjPP1GkY9XceI=")
    }

    @Test func feishuRequest_putsSecondTimestampAndSignInTheBody() throws {
        let r = ChannelFormatter.makeRequest(event: F.event(), settings: F.settings(.feishu, secret: "feishu-test-secret"), deliveryID: "d1", now: F.now)
        let body = try F.object(r)
        #expect(body["timestamp"] as? String == "1700000000")
        #expect(body["sign"] as? String == "e3MJ8Q5llVxGJ8pVkGPBhexDAgjvYqpjPP1GkY9XceI=")
        #expect(body["msg_type"] as? String == "interactive")
        #expect(r.url == F.settings(.feishu).url)
    }

    /// Recomputed here from the documented recipe over the exact body bytes sent.
    @Test func jsonSignature_isHMACOfTimestampDotBody() throws {
        let r = ChannelFormatter.makeRequest(event: F.event(), settings: F.settings(.json, secret: "whsec"), deliveryID: "dlv-42", now: F.now)
        let expected = Crypto.hmacSHA256(key: Array("whsec".utf8), message: Array("1700000000.".utf8) + r.body).hexString
        #expect(r.header("X-TPGW-Signature") == "t=1700000000,v1=\(expected)")
        #expect(r.header("X-TPGW-Delivery") == "dlv-42")
        let body = try F.object(r)
        #expect(body["deliveryId"] as? String == "dlv-42")
        #expect(body["event"] as? String == "firing")
        let events = try #require(body["events"] as? [[String: Any]])
        let alert = try #require(events.first?["alert"] as? [String: Any])
        #expect(alert["fingerprint"] as? String == F.event().alert.fingerprint.value)
        #expect(alert["subject"] as? String == "package:bce:prod:bj:tp-87V5cnkwqO")
    }

    @Test func jsonWithoutSecret_isUnsigned() {
        let r = ChannelFormatter.makeRequest(event: F.event(), settings: F.settings(.json), deliveryID: "d", now: F.now)
        #expect(r.header("X-TPGW-Signature") == nil)
        #expect(r.header("X-TPGW-Delivery") == "d")
    }

    @Test func secretsAndTokens_neverAppearInDescriptions() {
        let settings = F.settings(.dingtalk, secret: "SECtest0123456789abcdef", url: "https://user:pw@oapi.dingtalk.com/robot/send?access_token=TOKEN123")
        let r = ChannelFormatter.makeRequest(event: F.event(), settings: settings, deliveryID: "d1", now: F.now)
        for text in [r.description, settings.description, r.redactedURL] {
            #expect(!text.contains("TOKEN123"))
            #expect(!text.contains("SECtest"))
            #expect(!text.contains("pw@"))
            #expect(!text.contains("sign="))
        }
        #expect(r.redactedURL == "https://oapi.dingtalk.com/…")
    }
}
