import Foundation
import Synchronization
import TPGWCore

/// The orders the view keeps its packages in (one sort order per field and segment).
package enum PackageSortField: String, Sendable, CaseIterable { case expiresAt, exhaustsAt, usedRatio, remainingBytes }

/// Which packages to read from the view, in which order, from where: the read model's own question. The API turns
/// its query parameters and cursor into one (`PackageQuery.selection`); the view knows nothing of HTTP.
struct PackageSelection: Sendable, Equatable {
    var provider: String?
    var account: String?
    var region: String?
    var status: PackageStatus?
    var policy: PackagePolicy?
    var expiresBefore: Date?
    var minUsedRatio: Double?
    var sort: PackageSortField = .expiresAt
    var descending = false
    var limit = 100
    /// Start after this (sort value, package key); nil from the beginning.
    var after: Position?

    struct Position: Sendable, Equatable {
        var value: Double
        var key: PackageKey
    }

    /// Whether the source filters admit `source`.
    func admits(_ source: SourceID) -> Bool {
        (provider == nil || source.provider == provider) && (account == nil || source.account == account) && (region == nil || source.region == region)
    }

    /// Whether the package filters admit `p`.
    func admits(_ p: PackageState) -> Bool {
        if let v = status, p.status != v { return false }
        if let v = policy, p.policy != v { return false }
        if let v = expiresBefore, p.expiresAt >= v { return false }
        if let v = minUsedRatio, p.usedRatio < v { return false }
        return true
    }
}

/// Per-view storage for what readers derive from a view (the API's rendered responses): made once per view on
/// first use, dropped with the view. The view does not know what is kept in it.
final class ViewMemo: Sendable {
    private let values = Mutex<[AnyHashable: any Sendable]>([:])

    /// The value under `key`, made by `make` on first use (two racing makers keep the first one stored).
    func get<Key: Hashable & Sendable, Value: Sendable>(_ key: Key, _ make: () -> Value) -> Value {
        if let value = values.withLock({ $0[AnyHashable(key)] }) as? Value { return value }
        let made = make()
        return values.withLock { values in
            if let existing = values[AnyHashable(key)] as? Value { return existing }
            values[AnyHashable(key)] = made
            return made
        }
    }
}
