import Foundation
import TPGWCore

/// The composition root: the one place the gateway's parts are built and wired. `tpgw serve`, the tests and the
/// benchmarks all start a gateway through it.
///
/// It builds one authenticator (one key ring, one per-key rate limiter, one per-address failure limiter), one
/// replica identity (`configuration.replicaID`, used by the poller's and the dispatcher's claims), one pool, one
/// HTTP client; it reads no environment variable (`GatewayConfiguration.load` did, secrets included).
package enum Gateway {
    /// Builds the gateway; opens no connection yet (`Application.start` / `serve` do).
    /// - Parameters:
    ///   - clock: what every background service waits on.
    ///   - now: wall time, for what the database decides; tests move it with their manual clock.
    package static func make<C: Clock<Duration>>(
        configuration: GatewayConfiguration, clock: C, now: @escaping @Sendable () -> Date = { Date() }, logger: Logger
    ) throws -> Application {
        try Application(configuration: configuration, clock: AnyClock(clock), now: now, logger: logger)
    }
}
