/// Workload shapes the forecaster is measured on (tests and `bench/forecast`).
package enum SyntheticFamily: String, Sendable, CaseIterable {
    /// Flat traffic with +-15 % hourly noise.
    case steady
    /// Busy 09:00-19:00 Beijing, a sixth of that at night.
    case diurnal
    /// Business hours on weekdays, a quarter of the traffic at weekends.
    case weekly
    /// Diurnal traffic growing 2-5 % a day.
    case growth
    /// Traffic x1.8-2.5 from a moment 1.5-5 days before it runs out (scored: the 24 h after the step).
    case stepUp
    /// Traffic x0.35-0.55 from 4-7 days before it runs out (scored: the 24 h after the step).
    case stepDown
    /// A base with bursts of 3-5x lasting 1-2 hours starting in 5 % of the hours.
    case bursty
    /// An off-peak package: draws only 00:00-08:00 Beijing time.
    case offPeak
    /// A trickle of 2-100 MB an hour (+-30 %) plus a small job in one hour of eight.
    case nearIdle
    /// A workload that stops 2-6 days before it would have run out; half resume 1-3 days later (scored: the day
    /// after the resumption; the others never run out and count through their warnings).
    case stops
}
