import TPGWCore

/// One package as read upstream in a poll: its normalised state and its raw JSON object (kept for audit).
package struct ObservedPackage: Sendable, Equatable {
    package var state: PackageState
    /// The upstream JSON object, verbatim. Stored as `jsonb`, so it must be valid JSON.
    package var raw: String

    package init(state: PackageState, raw: String) {
        self.state = state
        self.raw = raw
    }
}
