/// What tpgw knows about one cloud's traffic packages that is not a call: units, the sizes sold and the validity
/// each implies, how many one create may buy, whether it can price or retry a create, and the forecast defaults.
/// Pure data; each provider target defines its own (`ProviderProfile.bce` in TPGWBCE, `.tencent` in TPGWTencent).
package struct ProviderProfile: Sendable, Equatable {
    /// `bce`, `tencent`: the first part of package keys.
    package var name: String
    /// For messages: `Baidu AI Cloud`, `Tencent Cloud`.
    package var displayName: String
    /// Currency of prices.
    package var currency: String
    /// Capacities sold (binary units: `10G`, `5T`, `1P`) per validity in months.
    package var capacities: [Int: [String]]
    /// Whether the size fixes the validity (Tencent): `reservationLength` may then be left out.
    package var sizeFixesValidity: Bool
    /// Most packages one create may buy (`count`).
    package var maxCount: Int
    /// `lineType` values the create accepts; empty when the provider has none (only the default is allowed).
    package var lineTypes: [String]
    /// Whether there is a price API (`POST /v1/packages/quote` answers a price).
    package var hasPriceAPI: Bool
    /// Whether a create may be sent again safely (an idempotency token): otherwise tpgw sends it exactly once
    /// and reconciles an ambiguous answer by listing the region.
    package var idempotentCreate: Bool
    /// Forecast defaults (off-peak window, draw order) when the account configures none.
    package var poolRules: PoolRules

    package init(
        name: String, displayName: String, currency: String, capacities: [Int: [String]], sizeFixesValidity: Bool, maxCount: Int,
        lineTypes: [String], hasPriceAPI: Bool, idempotentCreate: Bool, poolRules: PoolRules
    ) {
        self.name = name
        self.displayName = displayName
        self.currency = currency
        self.capacities = capacities
        self.sizeFixesValidity = sizeFixesValidity
        self.maxCount = maxCount
        self.lineTypes = lineTypes
        self.hasPriceAPI = hasPriceAPI
        self.idempotentCreate = idempotentCreate
        self.poolRules = poolRules
    }

    /// The validities (months) sold, ascending.
    package var validities: [Int] { capacities.keys.sorted() }

    /// Whether `capacity` is sold for `months`.
    package func isValid(months: Int, capacity: String) -> Bool {
        capacities[months]?.contains(capacity) ?? false
    }

    /// The validities `capacity` is sold with, ascending.
    package func validities(of capacity: String) -> [Int] {
        capacities.filter { $0.value.contains(capacity) }.keys.sorted()
    }

    /// Every capacity sold, in size order.
    package var allCapacities: [String] {
        Array(Set(capacities.values.joined())).sorted { (CapacityTable.bytes(of: $0) ?? 0) < (CapacityTable.bytes(of: $1) ?? 0) }
    }
}
