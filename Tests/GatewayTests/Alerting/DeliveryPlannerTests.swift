import Foundation
import Testing
@testable import TPGWGateway

/// The pure split of a channel's due deliveries under its rate limit (no database).
@Suite struct DeliveryPlannerTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func shape(_ steps: [DeliveryPlanner.Step<Int>]) -> [String] {
        steps.map {
            switch $0 {
            case .single(let i): "1:\(i)"
            case .digest(let items): "digest:\(items.count)"
            case .wait(let items, let until): "wait:\(items.count)@\(Int(until.timeIntervalSince(now)))"
            }
        }
    }

    @Test(arguments: [
        (ChannelFormat.json, 30, ["single x30"]),
        (ChannelFormat.feishu, 12, ["1:0", "1:1", "1:2", "1:3", "digest:8"]),
        (ChannelFormat.feishu, 5, ["1:0", "1:1", "1:2", "1:3", "1:4"]),
        (ChannelFormat.dingtalk, 25, (0..<19).map { "1:\($0)" } + ["digest:6"]),
        (ChannelFormat.wecom, 1, ["1:0"]),
    ])
    func plan_sendsAloneWhileThereIsRoom_thenFoldsTheRest(format: ChannelFormat, count: Int, expected: [String]) {
        var limiter = SlidingWindowLimiter(format: format)
        let steps = Self.shape(DeliveryPlanner.plan(Array(0..<count), limiter: &limiter, now: Self.now))
        if expected == ["single x30"] {
            #expect(steps == (0..<30).map { "1:\($0)" })
        } else {
            #expect(steps == expected)
        }
    }

    @Test func plan_withNoRoom_waitsForTheNextSlot_andDropsNothing() {
        var limiter = SlidingWindowLimiter(format: .dingtalk)
        for _ in 0..<20 { _ = limiter.tryAcquire(now: Self.now.addingTimeInterval(-30)) }
        let steps = Self.shape(DeliveryPlanner.plan([1, 2, 3], limiter: &limiter, now: Self.now))
        #expect(steps == ["wait:3@30"])
    }
}
