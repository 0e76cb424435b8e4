import Foundation
import Synchronization
import Testing
import TPGWCore
@testable import TPGWGateway

@Suite struct KeyRingTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func stored(_ key: String, id: Int64 = 1, scopes: [Scope] = [.read]) -> StoredAPIKey {
        StoredAPIKey(id: id, name: "k\(id)", keyHash: APIKey.hash(key), scopes: scopes, createdAt: t0)
    }

    /// A load that counts its calls and takes `delay` (so concurrent callers overlap it).
    final class CountingLoad: Sendable {
        let calls = Atomic<Int>(0)
        let keys: Mutex<[StoredAPIKey]>
        let fails = Atomic<Bool>(false)
        let delay: Duration

        init(keys: [StoredAPIKey] = [], delay: Duration = .milliseconds(100)) {
            self.keys = Mutex(keys)
            self.delay = delay
        }

        func callAsFunction() async throws -> [StoredAPIKey] {
            calls.add(1, ordering: .relaxed)
            try await Task.sleep(for: delay)
            if fails.load(ordering: .relaxed) { throw AppError(.unavailable, "database down") }
            return keys.withLock { $0 }
        }
    }

    @Test func concurrentUnknownKeys_causeOneLoad() async throws {
        let load = CountingLoad()
        let ring = KeyRing(load: { try await load() })
        try await ring.reload(now: Self.t0)
        #expect(load.calls.load(ordering: .relaxed) == 1)
        let now = Self.t0.addingTimeInterval(10)
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<50 {
                group.addTask {
                    _ = try? await ring.authenticate(authorization: "Bearer tpgw_unknown\(i)", needs: .read, now: now)
                }
            }
        }
        #expect(load.calls.load(ordering: .relaxed) == 2, "50 unknown keys at once: one reload")
        // Within the same second, more unknown keys reload nothing; a second later, one more.
        _ = try? await ring.authenticate(authorization: "Bearer tpgw_more", needs: .read, now: now.addingTimeInterval(0.5))
        #expect(load.calls.load(ordering: .relaxed) == 2)
        _ = try? await ring.authenticate(authorization: "Bearer tpgw_more", needs: .read, now: now.addingTimeInterval(1.5))
        #expect(load.calls.load(ordering: .relaxed) == 3)
    }

    @Test func keyCreatedElsewhere_isFoundAfterTheReloadItTriggers() async throws {
        let load = CountingLoad(delay: .milliseconds(1))
        let ring = KeyRing(load: { try await load() })
        try await ring.reload(now: Self.t0)
        load.keys.withLock { $0 = [Self.stored("tpgw_new")] }
        let principal = try await ring.authenticate(authorization: "Bearer tpgw_new", needs: .read, now: Self.t0.addingTimeInterval(5))
        #expect(principal.name == "k1")
    }

    @Test func unknownKeyReload_fromTheGate_neverBlocksAndIsRateLimited() async throws {
        let load = CountingLoad(delay: .milliseconds(50))
        let ring = KeyRing(load: { try await load() })
        let now = Self.t0
        let first = ring.reloadForUnknownKey(now: now)
        let joined = ring.reloadForUnknownKey(now: now)  // the same reload, still running
        #expect(first != nil && joined != nil)
        try await first?.value
        #expect(ring.reloadForUnknownKey(now: now.addingTimeInterval(0.9)) == nil)
        #expect(load.calls.load(ordering: .relaxed) == 1)
    }

    @Test func reloadsFailingForFiveMinutes_makeTheRingStale() async throws {
        let load = CountingLoad(delay: .zero)
        let ring = KeyRing(load: { try await load() })
        try await ring.reload(now: Self.t0)
        load.fails.store(true, ordering: .relaxed)
        await #expect(throws: AppError.self) { try await ring.reload(now: Self.t0.addingTimeInterval(5)) }
        #expect(ring.staleness(now: Self.t0.addingTimeInterval(299)) == nil)
        let reason = ring.staleness(now: Self.t0.addingTimeInterval(301))
        #expect(reason?.contains("not reloaded for 301 s") == true)
        load.fails.store(false, ordering: .relaxed)
        try await ring.reload(now: Self.t0.addingTimeInterval(302))
        #expect(ring.staleness(now: Self.t0.addingTimeInterval(700)) == nil, "a success clears it")
    }
}
