import Foundation
import TPGWCore

/// Splits one channel's claimed deliveries into sends under its rate limit. Pure.
///
/// While the limiter has room for more than one send, deliveries go out one by one; at the last free slot
/// everything left is folded into one digest; with no free slot everything waits until the next one.
/// Unlimited channels send each delivery on its own. Nothing is ever dropped.
enum DeliveryPlanner {
    enum Step<Item: Sendable>: Sendable {
        case single(Item)
        case digest([Item])
        case wait([Item], until: Date)
    }

    static func plan<Item: Sendable>(_ items: [Item], limiter: inout SlidingWindowLimiter, now: Date) -> [Step<Item>] {
        guard !limiter.limits.isEmpty else { return items.map { .single($0) } }
        var steps: [Step<Item>] = []
        var i = 0
        while i < items.count {
            let next = limiter.nextAllowed(now: now)
            if next > now {
                steps.append(.wait(Array(items[i...]), until: next))
                break
            }
            var probe = limiter
            _ = probe.tryAcquire(now: now)
            if items.count - i == 1 || probe.nextAllowed(now: now) <= now {
                steps.append(.single(items[i]))
                limiter = probe
                i += 1
            } else {
                steps.append(.digest(Array(items[i...])))
                limiter = probe
                break
            }
        }
        return steps
    }
}
