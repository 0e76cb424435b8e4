/// A long-running part of the gateway (HTTP server, poller, dispatcher, maintenance, ...).
///
/// `run` works until `shutdown` is triggered, then finishes what it is doing (an in-flight poll, a send) and
/// returns; it must also return promptly when its task is cancelled (the group cancels services that miss the
/// shutdown deadline). Returning or throwing on its own stops the whole group.
package protocol Service: Sendable {
    /// For logs: `http`, `poller`, `maintenance`, ...
    var name: String { get }
    func run(until shutdown: ShutdownSignal) async throws
}

/// A service made of a closure, for small loops and tests.
package struct ClosureService: Service {
    package let name: String
    private let body: @Sendable (ShutdownSignal) async throws -> Void

    package init(_ name: String, _ body: @escaping @Sendable (ShutdownSignal) async throws -> Void) {
        self.name = name
        self.body = body
    }

    package func run(until shutdown: ShutdownSignal) async throws { try await body(shutdown) }
}
