import TPGWCore

/// GB amounts (binary: 1 GB = 1024³ bytes) to bytes. Pure, checked: never traps.
package enum TencentAmount {
    package static let bytesPerGB: Int64 = 1 << 30

    /// Bytes of a JSON number's text in GB: `round(GB × 1073741824)`; a reason instead when the text is not a
    /// finite, non-negative number whose byte count is at most `UpstreamBounds.maxBytes` (NaN, ±inf, `1e400`,
    /// negative, more than 1073741824 GB…).
    package static func bytes(gigabytesText text: String) -> Result<Int64, Problem> {
        guard let gb = Double(text) else { return .failure(.notANumber(text)) }
        return bytes(gigabytes: gb, text: text)
    }

    /// Bytes of `gb` GB, checked as `bytes(gigabytesText:)`.
    package static func bytes(gigabytes gb: Double, text: String? = nil) -> Result<Int64, Problem> {
        let shown = text ?? "\(gb)"
        guard gb.isFinite else { return .failure(.notFinite(shown)) }
        guard gb >= 0 else { return .failure(.negative(shown)) }
        // × 2^30 is exact in binary floating point; only the rounding to whole bytes remains.
        let b = (gb * Double(bytesPerGB)).rounded(.toNearestOrAwayFromZero)
        // `maxBytes` (2^60) is exact as a Double, so the comparison is too; below it the conversion cannot trap.
        guard b <= Double(UpstreamBounds.maxBytes) else { return .failure(.tooLarge(shown)) }
        return .success(Int64(b))
    }

    /// Bytes of a whole number of GB (the purchase sizes), nil on overflow.
    package static func bytes(wholeGB: Int) -> Int64? {
        let (v, o) = Int64(wholeGB).multipliedReportingOverflow(by: bytesPerGB)
        return o || wholeGB < 0 ? nil : v
    }

    package enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case notANumber(String)
        case notFinite(String)
        case negative(String)
        /// Above `UpstreamBounds.maxBytes` once in bytes.
        case tooLarge(String)

        package var description: String {
            switch self {
            case .notANumber(let s): "\(s) is not a number"
            case .notFinite(let s): "\(s) GB is not finite"
            case .negative(let s): "\(s) GB is negative"
            case .tooLarge(let s): "\(s) GB is above \(UpstreamBounds.maxBytesText)"
            }
        }
    }
}
