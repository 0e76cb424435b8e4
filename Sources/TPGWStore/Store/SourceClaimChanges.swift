import TPGWCore

/// What one replica heartbeat changed: sources it turned on or off for every replica.
package struct SourceClaimChanges: Sendable, Equatable {
    package var enabled: [SourceID]
    package var disabled: [SourceID]

    package init(enabled: [SourceID] = [], disabled: [SourceID] = []) {
        self.enabled = enabled
        self.disabled = disabled
    }
}
