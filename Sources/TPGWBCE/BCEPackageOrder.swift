import TPGWCore

/// What to buy (or price): `reservationLength` months of `capacity` (e.g. `10G`).
package struct BCEPackageOrder: Sendable, Equatable {
    package var reservationLength: Int
    package var capacity: String
    package var deductPolicy: PackagePolicy
    package var packageType: String

    package init(reservationLength: Int, capacity: String, deductPolicy: PackagePolicy = .fullTime, packageType: String = "WebOutBytes") {
        self.reservationLength = reservationLength
        self.capacity = capacity
        self.deductPolicy = deductPolicy
        self.packageType = packageType
    }

    /// The JSON body BCE documents for create and price.
    package var jsonBody: [UInt8] {
        OrderedJSON.object([
            ("reservationLength", .integer(Int64(reservationLength))), ("capacity", .string(capacity)),
            ("deductPolicy", .string(deductPolicy.bceName)), ("packageType", .string(packageType)),
        ]).bytes
    }
}
