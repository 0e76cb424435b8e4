import Foundation
import TPGWCore
import TPGWHTTPClient
import TPGWStore

/// `POST /v1/channels/{id}/test`: sends one made-up alert to a channel right now, outside the outbox.
struct ChannelTester: Sendable {
    /// What the test send did; secret-free.
    struct Result: Sendable, Encodable {
        var delivered: Bool
        var status: Int?
        var error: String?
        var latencyMs: Int
        var responseExcerpt: String?
    }

    let sender: DeliverySender
    let publicURL: String?

    func test(_ channel: ChannelRecord, now: Date = Date()) async throws -> Result {
        guard let settings = DeliveryDispatcher.settings(channel, publicURL: publicURL) else {
            return Result(delivered: false, status: nil, error: "channel format is unknown", latencyMs: 0)
        }
        let key = PackageKey(provider: "bce", account: "test", region: "bj", id: "tp-test")
        let condition = AlertCondition(
            fingerprint: Fingerprint(budgetID: "test", ruleIndex: 0, kind: .usedRatio, subject: .package(key)), budgetID: "test",
            budgetName: "tpgw test message", ruleIndex: 0, kind: .usedRatio, subject: .package(key), level: 0, heldLevel: 0,
            value: 0.85, threshold: 0.8, summary: "Test message from tpgw: \(key) is 85% used (threshold 80%)")
        let event = AlertEvent(kind: .firing, alert: AlertState(condition: condition, level: 0, now: now), at: now)
        let request = ChannelFormatter.makeRequest(event: event, settings: settings, deliveryID: "test-" + AlertEngine.newDeliveryID(), now: now)
        let secrets = [settings.url, request.url, settings.secret ?? ""]
        let (result, latency, excerpt) = try await sender.send(request, secrets: secrets)
        let outcome = ResponseClassifier.classify(result, format: settings.format, now: Date())
        var status: Int?
        if case .response(let code, _, _) = result { status = code }
        // Only a real response has an excerpt: refused or failed connections say nothing about what is there.
        return Result(
            delivered: outcome == .delivered, status: status,
            error: DeliveryDispatcher.reason(outcome).map { DeliverySender.scrub($0, secrets: secrets) }, latencyMs: latency,
            responseExcerpt: status == nil ? nil : excerpt)
    }
}
