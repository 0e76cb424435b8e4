import Foundation

/// Arithmetic on numbers that come from upstream (byte counts, rates, times), which must never trap.
///
/// Integer sums, differences and products clamp to the type's range instead of overflowing, and a
/// floating-point value becomes an integer clamped to the range, with NaN as 0. Use these for anything
/// derived from provider data (a listing, or rows stored from one): a capacity near `Int64.max` then
/// gives a saturated total, never a crashed process.
extension FixedWidthInteger {
    /// `self + other`, clamped to `min...max`.
    @inlinable
    package func saturatingAdding(_ other: Self) -> Self {
        let (v, overflow) = addingReportingOverflow(other)
        guard overflow else { return v }
        return other > 0 ? .max : .min
    }

    /// `self - other`, clamped to `min...max`.
    @inlinable
    package func saturatingSubtracting(_ other: Self) -> Self {
        let (v, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return v }
        return other > 0 ? .min : .max
    }

    /// Adds `other` in place, clamped to `min...max`.
    @inlinable
    package mutating func saturatingAdd(_ other: Self) {
        self = saturatingAdding(other)
    }

    /// `value` rounded towards zero and clamped to `min...max`; NaN is 0. Unlike `Int64(value)`, never traps.
    @inlinable
    package init<F: BinaryFloatingPoint>(saturating value: F) {
        if value.isNaN {
            self = 0
        } else if let exact = Self(exactly: value.rounded(.towardZero)) {
            self = exact
        } else {
            self = value < 0 ? .min : .max
        }
    }
}
