import TPGWCore

/// The stored alerts an engine keeps in memory, with the indexes a pass needs so that it never walks every alert:
/// the firing alerts of each budget (those no condition saw this pass are resolved), the firing alerts marked
/// silenced (all the muting looks at while no silence is active) and the firing count per rule kind (metrics).
///
/// A pass over thousands of firing alerts then touches only the alerts its conditions name.
package struct StoredAlerts: Sendable {
    private var states: [Fingerprint: AlertState] = [:]
    private var firingByBudget: [String: Set<Fingerprint>] = [:]
    /// Firing alerts with `silencedBy` set.
    private(set) var silenced: Set<Fingerprint> = []
    /// Firing alerts per rule kind.
    private(set) var firingCount: [AlertRule.Kind: Int] = [:]

    package init() {}

    package init(_ alerts: some Sequence<AlertState>) {
        for alert in alerts { upsert(alert) }
    }

    package subscript(fingerprint: Fingerprint) -> AlertState? { states[fingerprint] }

    package var count: Int { states.count }

    /// Fingerprints of the firing alerts of one budget.
    func firing(budgetID: String) -> Set<Fingerprint> { firingByBudget[budgetID] ?? [] }

    /// Fingerprints of every firing alert.
    var firingFingerprints: some Sequence<Fingerprint> { firingByBudget.values.joined() }

    /// Every firing alert.
    package var firing: [AlertState] { firingFingerprints.compactMap { states[$0] } }

    /// Stores `alert` (new or replacing the one with its fingerprint) and updates the indexes.
    package mutating func upsert(_ alert: AlertState) {
        if let old = states.updateValue(alert, forKey: alert.fingerprint) { unindex(old) }
        guard alert.status == .firing else { return }
        firingByBudget[alert.budgetID, default: []].insert(alert.fingerprint)
        if alert.silencedBy != nil { silenced.insert(alert.fingerprint) }
        firingCount[alert.kind, default: 0] += 1
    }

    private mutating func unindex(_ alert: AlertState) {
        guard alert.status == .firing else { return }
        firingByBudget[alert.budgetID]?.remove(alert.fingerprint)
        if firingByBudget[alert.budgetID]?.isEmpty == true { firingByBudget[alert.budgetID] = nil }
        silenced.remove(alert.fingerprint)
        firingCount[alert.kind, default: 0] -= 1
    }
}
