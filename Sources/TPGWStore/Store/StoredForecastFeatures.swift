import Foundation

/// One package's encoded forecast features as stored in `forecast_features` (see `ForecastFeatures.Codec`): written by
/// the poll that folded them, read at a start. The bytes are whatever the row holds: the reader validates them.
package struct StoredForecastFeatures: Sendable, Equatable {
    package var packageID: String
    /// The codec's format version the row was written with.
    package var format: Int
    /// The last observation folded in.
    package var observedAt: Date
    package var data: [UInt8]

    package init(packageID: String, format: Int, observedAt: Date, data: [UInt8]) {
        self.packageID = packageID
        self.format = format
        self.observedAt = observedAt
        self.data = data
    }
}
