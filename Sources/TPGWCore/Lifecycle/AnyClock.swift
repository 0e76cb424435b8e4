/// Any `Clock<Duration>` behind one concrete type, so the composition root can hold the gateway's one clock (a
/// `ContinuousClock` in `tpgw serve`, a `ManualClock` in tests) and hand it to every service.
///
/// Instants are offsets from the moment the wrapper was made; sleeping sleeps on the wrapped clock.
package struct AnyClock: Clock, Sendable {
    package struct Instant: InstantProtocol, Sendable {
        package var offset: Duration
        package init(offset: Duration) { self.offset = offset }
        package func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        package func duration(to other: Instant) -> Duration { other.offset - offset }
        package static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    private let elapsed: @Sendable () -> Duration
    private let sleepUntil: @Sendable (Duration, Duration?) async throws -> Void
    package let minimumResolution: Duration

    package init<C: Clock<Duration>>(_ base: C) {
        let origin = base.now
        elapsed = { origin.duration(to: base.now) }
        sleepUntil = { offset, tolerance in try await base.sleep(until: origin.advanced(by: offset), tolerance: tolerance) }
        minimumResolution = base.minimumResolution
    }

    package var now: Instant { Instant(offset: elapsed()) }

    package func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try await sleepUntil(deadline.offset, tolerance)
    }
}
