import Foundation
import Testing
@testable import TPGWCore
@testable import TPGWGateway

@Suite struct ChannelPayloadTests {
    typealias F = ChannelFixtures

    @Test func alertmanager_postsLabelledAlertsToTheV2API() throws {
        let r = ChannelFormatter.makeRequest(event: F.event(), settings: F.settings(.alertmanager, url: "http://am:9093/"), deliveryID: "d", now: F.now)
        #expect(r.url == "http://am:9093/api/v2/alerts")
        let alerts = try #require(try F.json(r) as? [[String: Any]])
        let alert = try #require(alerts.first { ($0["labels"] as? [String: String])?["severity"] == "critical" })
        let labels = try #require(alert["labels"] as? [String: String])
        #expect(labels == [
            "alertname": "TPGWUsedRatio", "severity": "critical", "budget": "bj runway", "subject": "package:bce:prod:bj:tp-87V5cnkwqO",
            "account": "prod", "region": "bj", "package": "bce:prod:bj:tp-87V5cnkwqO",
        ])
        let annotations = try #require(alert["annotations"] as? [String: String])
        #expect(annotations["summary"] == "bce:prod:bj:tp-87V5cnkwqO is 96% used (threshold 95%)")
        #expect(annotations["description"]?.hasPrefix("[Firing] Package usage high") == true)
        #expect(alert["startsAt"] as? String == "2023-11-14T21:13:20Z")
        #expect(alert["endsAt"] as? String == "2023-11-15T23:13:20Z")  // now + 25 h validity
        #expect(alert["generatorURL"] as? String == "https://tpgw.example.internal/#pkg-bce:prod:bj:tp-87V5cnkwqO")
    }

    @Test func alertmanager_resolvedAlertEndsAtItsResolveTime() throws {
        let r = ChannelFormatter.makeRequest(event: F.event(.resolved), settings: F.settings(.alertmanager, url: "http://am:9093/api/v2/alerts"), deliveryID: "d", now: F.now)
        #expect(r.url == "http://am:9093/api/v2/alerts")
        let alerts = try #require(try F.json(r) as? [[String: Any]])
        #expect(alerts.count == 2)
        #expect(alerts.allSatisfy { $0["endsAt"] as? String == "2023-11-14T22:13:20Z" })
    }

    /// Severity is part of an Alertmanager alert's identity: a critical alert also ends its warning twin.
    @Test func alertmanager_escalationEndsTheLowerSeverity() throws {
        let r = ChannelFormatter.makeRequest(event: F.event(.escalated), settings: F.settings(.alertmanager, url: "http://am:9093"), deliveryID: "d", now: F.now)
        let alerts = try #require(try F.json(r) as? [[String: Any]])
        let ends = Dictionary(uniqueKeysWithValues: alerts.map { (($0["labels"] as? [String: String])?["severity"] ?? "", $0["endsAt"] as? String ?? "") })
        #expect(ends == ["warning": "2023-11-14T22:13:20Z", "critical": "2023-11-15T23:13:20Z"])
    }

    @Test func alertmanagerWebhook_isVersion4WithCommonLabelsAndFingerprints() throws {
        let events = [F.event(), F.event(.resolved, subject: .pool(F.key.source))]
        let r = ChannelFormatter.makeRequest(events: events, settings: F.settings(.alertmanagerWebhook), deliveryID: "d", now: F.now)
        let body = try F.object(r)
        #expect(body["version"] as? String == "4")
        #expect(body["status"] as? String == "firing")
        #expect(body["receiver"] as? String == "tpgw")
        #expect(body["groupKey"] as? String == #"{}:{budget="bj runway"}"#)
        #expect(body["groupLabels"] as? [String: String] == ["budget": "bj runway"])
        let common = try #require(body["commonLabels"] as? [String: String])
        #expect(common["budget"] == "bj runway")
        #expect(common["subject"] == nil)
        let alerts = try #require(body["alerts"] as? [[String: Any]])
        #expect(alerts.map { $0["status"] as? String } == ["firing", "resolved"])
        #expect(alerts[0]["endsAt"] as? String == "0001-01-01T00:00:00Z")
        #expect(alerts[1]["fingerprint"] as? String == events[1].alert.fingerprint.value)
        #expect(alerts[1]["generatorURL"] as? String == "https://tpgw.example.internal/")
    }

    @Test func slack_hasFallbackTextAndBlocks_escapingControlCharacters() throws {
        var event = F.event()
        event.alert.budgetName = "a<b>&c"
        let body = try F.object(ChannelFormatter.makeRequest(event: event, settings: F.settings(.slack), deliveryID: "d", now: F.now))
        let text = try #require(body["text"] as? String)
        #expect(text.hasPrefix("[Firing] Package usage high\n"))
        #expect(text.contains("a&lt;b&gt;&amp;c"))
        let blocks = try #require(body["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["header", "section", "context"])
        let context = try #require(((blocks[2]["elements"] as? [[String: Any]])?.first)?["text"] as? String)
        #expect(context == "<https://tpgw.example.internal/#pkg-bce:prod:bj:tp-87V5cnkwqO|Open in tpgw>")
    }

    @Test func chinese_messagesAreWrittenInChinese() throws {
        let r = ChannelFormatter.makeRequest(event: F.event(.escalated), settings: F.settings(.wecom, language: .zh), deliveryID: "d", now: F.now)
        let content = try #require(((try F.object(r))["markdown"] as? [String: Any])?["content"] as? String)
        #expect(content.hasPrefix("**[升级] 流量包用量过高**"))
        #expect(content.contains("流量包 bce:prod:bj:tp-87V5cnkwqO 已使用 96%（阈值 95%）"))
        #expect(content.contains("级别 1 → 2"))
        #expect(content.contains("开始于：2023-11-15 05:13 (UTC+8)"))
        #expect(content.contains("[查看详情](https://tpgw.example.internal/#pkg-bce:prod:bj:tp-87V5cnkwqO)"))
    }

    @Test func resolved_saysSoInBothLanguages() {
        let en = AlertMessageBuilder.make(F.event(.resolved), language: .en, publicURL: nil)
        #expect(en.title == "[Resolved] Package usage high")
        #expect(en.lines.first == "Back to normal. Last seen:")
        #expect(en.link == nil)
        #expect(en.tone == .resolved)
        let zh = AlertMessageBuilder.make(F.event(.resolved), language: .zh, publicURL: nil)
        #expect(zh.title == "[已恢复] 流量包用量过高")
    }

    @Test func wecom_groupOf200_staysWithin4096Bytes() throws {
        let events = (0..<200).map { _ in F.event() }
        let r = ChannelFormatter.makeRequest(events: events, settings: F.settings(.wecom, language: .zh), deliveryID: "d", now: F.now)
        let content = try #require(((try F.object(r))["markdown"] as? [String: Any])?["content"] as? String)
        #expect(content.utf8.count <= 4096)
        #expect(content.hasPrefix("**[bj runway] 200 条告警，0 条恢复"))
        #expect(content.contains("… 另有 190 条"), "a group lists the 10 most urgent and counts the rest")
    }

    @Test(arguments: [
        ("abc", 10, "abc"), ("abcdef", 5, "ab…"), ("流量包", 9, "流量包"), ("流量包池", 9, "流量…"), ("流量包池", 8, "流…"),
        ("a流量", 6, "a…"), ("ab流", 3, "…"),
    ])
    func truncate_neverSplitsAScalar(_ s: String, _ max: Int, _ expected: String) {
        let cut = WeComChannel.truncate(s, maxBytes: max)
        #expect(cut == expected)
        #expect(cut.utf8.count <= max)
    }

    @Test func digest_foldsSeveralEventsIntoOneMessage_mostUrgentFirst() {
        let events = [F.event(), F.event(.resolved), F.event(.repeat)]
        let m = AlertMessageBuilder.digest(events, language: .en, publicURL: "https://tpgw.example.internal")
        #expect(m.title == "[bj runway] 2 firing, 1 resolved")
        #expect(m.lines.count == 3)
        #expect(m.lines.map { String($0.prefix(while: { $0 != ":" })) } == ["Firing", "Still firing", "Resolved"])
        #expect(m.link == "https://tpgw.example.internal/")
        #expect(m.tone == .critical)
    }

    @Test func everyFormat_producesJSONBody() throws {
        for format in ChannelFormat.allCases {
            let r = ChannelFormatter.makeRequest(event: F.event(), settings: F.settings(format, secret: "s"), deliveryID: "d", now: F.now)
            #expect(r.method == "POST")
            #expect(r.header("content-type") == "application/json; charset=utf-8")
            #expect(throws: Never.self) { try F.json(r) }
        }
    }
}
