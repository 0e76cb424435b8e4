import Testing

/// Waits for what other tasks are doing (a poll in flight, a delivery, a view reload, a probe): checks `condition`
/// every `every` until it holds, and records an issue when it still does not after `within`. No timing is asserted,
/// so load only makes a test slower. The one such wait for every test target.
package func waitUntil(
    within: Duration = .seconds(30), every: Duration = .milliseconds(10), sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + within
    while clock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: every)
    }
    if try await condition() { return }
    Issue.record("condition not met within \(within)", sourceLocation: sourceLocation)
}
