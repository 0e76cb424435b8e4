import Foundation

/// What tpgw accepts from either cloud about one package. Both decoders (`BCEWireDecoder`, `TencentWireDecoder`)
/// skip a listed package with a byte count, a time or an id outside these bounds, naming the field (with
/// `PackageKey.isUsableID`, the rest of the id rule).
package enum UpstreamBounds {
    /// The largest byte count accepted: 1 EiB (2^60 bytes, 2^30 GB), 1,024 times the largest package either cloud
    /// sells (BCE 1P; Tencent 300 TB). Anything above is not a real package; the bound also keeps
    /// `capacity - used` and sums of a few such packages far from `Int64` overflow (sums saturate anyway).
    package static let maxBytes: Int64 = 1 << 60
    /// `maxBytes` in words, for skip reasons.
    package static let maxBytesText = "1 EiB"

    /// Times accepted: 2000-01-01T00:00:00Z up to (not including) 2200-01-01T00:00:00Z.
    package static let dates = Date(timeIntervalSince1970: 946_684_800)..<Date(timeIntervalSince1970: 7_258_118_400)
    /// `dates` in words, for skip reasons.
    package static let datesText = "2000-2199 (UTC)"

    /// The longest package id accepted, in UTF-8 bytes of the decoded id (after invalid UTF-8 is repaired to U+FFFD,
    /// which can make it longer than the wire bytes).
    package static let maxIDLength = 128
    /// Why an id is longer than `maxIDLength`, as a skipped package's reason.
    package static let idTooLongReason = "longer than \(maxIDLength) bytes"
}
