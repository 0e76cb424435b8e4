import TPGWCore

extension ProviderProfile {
    /// Baidu AI Cloud `eiptp` (docs/bce-eip-tp.md): sizes per validity, one package per create, a price API, an
    /// idempotent create (`clientToken`), off-peak 00:00-08:00 UTC+8 and earliest expiry drawn first.
    package static let bce = ProviderProfile(
        name: "bce", displayName: "Baidu AI Cloud", currency: "CNY", capacities: CapacityTable.validCapacities, sizeFixesValidity: false,
        maxCount: 1, lineTypes: ["WebOutBytes"], hasPriceAPI: true, idempotentCreate: true, poolRules: .bce)
}
