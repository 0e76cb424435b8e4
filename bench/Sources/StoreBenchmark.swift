import Foundation
import TPGWCore
import TPGWStore
import TPGWTestSupport

/// `tpgw-bench store` (bench/store/run.sh), on a fresh schema of `TPGW_TEST_DATABASE_URL`; prints `BENCH name=value` lines.
enum StoreBenchmark {
    static let sources = 20
    static let perSource = 5_000

    static func run(_ env: [String: String]) async throws {
        try await onePollOf20SourcesAnd100kPackages_andCopyCeiling()
        try await storageForOneDayAt60sWith1PercentChanging()
    }

    static func report(_ name: String, _ value: String) { Bench.report(name, value) }

    private static func listing(source: SourceID, count: Int, step: Int, at t: Date) -> [ObservedPackage] {
        (0..<count).map { i in
            let id = "tp-\(source.account)-\(source.region)-\(String(format: "%06d", i))"
            let capacity: Int64 = 1 << 40
            let used = Int64(i % 997) << 24 + Int64(step) << 20
            let state = PackageState(
                key: PackageKey(provider: "bce", account: source.account, region: source.region, id: id), policy: i % 3 == 0 ? .offPeak : .fullTime,
                status: .active, capacityBytes: capacity, usedBytes: used, createdAt: Date(timeIntervalSince1970: 1_790_000_000),
                activatedAt: Date(timeIntervalSince1970: 1_790_000_060), expiresAt: Date(timeIntervalSince1970: 1_800_000_000 + Double(i) * 60),
                observedAt: t)
            let raw = #"{"id":"\#(id)","deductPolicy":"\#(state.policy.bceName)","packageType":"WebOutBytes","status":"RUNNING","capacity":\#(capacity),"usedCapacity":\#(used),"createTime":"2026-09-21T12:26:40Z","activeTime":"2026-09-21T12:27:40Z","expireTime":"2027-01-15T08:00:00Z"}"#
            return ObservedPackage(state: state, raw: raw)
        }
    }

    /// Runs `psql` on a thread of its own; returns seconds.
    private static func psql(_ url: String, _ command: String) async -> Double {
        await withCheckedContinuation { continuation in
            Thread {
                let start = Date()
                let status = system("psql -X -q -v ON_ERROR_STOP=1 '\(url)' -c \"\(command)\" >/dev/null")
                continuation.resume(returning: status == 0 ? Date().timeIntervalSince(start) : -1)
            }.start()
        }
    }

    static func onePollOf20SourcesAnd100kPackages_andCopyCeiling() async throws {
        try await TestDatabase.with { db in
            let sources = (0..<Self.sources).map { SourceID(account: "acct\($0 / 5)", region: Regions.bce[$0 % 5]) }
            try await db.store.upsertSources(sources.map { SourceConfig(id: $0, endpoint: "http://127.0.0.1:1") })
            let t0 = Date.t0
            func pollAll(step: Int, at t: Date) async throws -> (seconds: Double, snapshots: Int, seen: Int) {
                let listings = sources.map { Self.listing(source: $0, count: Self.perSource, step: step, at: t) }
                let start = ContinuousClock.now
                let results = try await withThrowingTaskGroup(of: PollWriteResult.self) { group in
                    for (n, source) in sources.enumerated() {
                        let packages = listings[n]
                        group.addTask {
                            try await db.store.applyPoll(source: source, startedAt: t, observedAt: t, packages: packages, latency: .milliseconds(100))
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let d = ContinuousClock.now - start
                let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
                return (seconds, results.map(\.snapshotsWritten).reduce(0, +), results.map(\.packagesSeen).reduce(0, +))
            }
            let first = try await pollAll(step: 0, at: t0)
            report("first_poll_seconds", String(format: "%.3f", first.seconds))
            let changed = try await pollAll(step: 1, at: t0.addingTimeInterval(60))
            try Bench.check(changed.snapshots == Self.sources * Self.perSource, "changed poll wrote \(changed.snapshots) snapshots")
            let rows = changed.seen + changed.snapshots
            report("changed_poll_seconds", String(format: "%.3f", changed.seconds))
            report("changed_poll_rows", "\(rows)")
            report("changed_poll_rows_per_second", String(format: "%.0f", Double(rows) / changed.seconds))
            report("peak_rss_mib", String(format: "%.1f", Double(BenchProcess.peakRSSKiB()) / 1024))

            // Ceiling: the same number of rows into the same tables with psql \copy.
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tpgw-bench-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let firstPK: Int64 = try await db.scalar("SELECT min(id) FROM packages")
            var snapCSV = ""
            snapCSV.reserveCapacity(rows * 60)
            let copyAt = PostgresTimestamp.format(t0.addingTimeInterval(120))
            for i in 0..<(Self.sources * Self.perSource) {
                snapCSV += "\(firstPK + Int64(i)),\(copyAt),\(Int64(i) << 20),\(Int64(1) << 40),active\n"
            }
            try snapCSV.write(toFile: dir + "/snapshots.csv", atomically: false, encoding: .utf8)
            // Packages: the same listings as rows of 20 more sources (\copy cannot upsert).
            let copySources = (0..<Self.sources).map { SourceID(account: "copy\($0 / 5)", region: Regions.bce[$0 % 5]) }
            try await db.store.upsertSources(copySources.map { SourceConfig(id: $0, endpoint: "http://127.0.0.1:1") })
            let ids = try await db.pool.query("SELECT id, account, region FROM sources WHERE account LIKE 'copy%'")
            var sourcePK: [SourceID: Int64] = [:]
            for row in ids {
                let (id, account, region) = try row.decode((Int64, String, String).self)
                sourcePK[SourceID(account: account, region: region)] = id
            }
            var pkgCSV = ""
            pkgCSV.reserveCapacity(rows * 400)
            let ts = PostgresTimestamp.format(t0)
            for source in copySources {
                for p in Self.listing(source: source, count: Self.perSource, step: 1, at: t0) {
                    let s = p.state
                    let raw = "\"" + p.raw.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                    pkgCSV += "\(sourcePK[source]!),bce,\(source.account),\(source.region),\(s.key.id),\(s.policy.rawValue),\(s.lineType),active,"
                    pkgCSV += "\(s.capacityBytes),\(s.usedBytes),\(PostgresTimestamp.format(s.createdAt)),\(PostgresTimestamp.format(s.activatedAt!)),"
                    pkgCSV += "\(PostgresTimestamp.format(s.expiresAt)),\(ts),\(ts),\(ts),\(raw)\n"
                }
            }
            try pkgCSV.write(toFile: dir + "/packages.csv", atomically: false, encoding: .utf8)
            let url = db.url
            let pkgSeconds = await Self.psql(url, "\\\\copy packages (source_id, provider, account, region, package_id, policy, line_type, status, capacity_bytes, used_bytes, created_at, activated_at, expires_at, first_seen_at, last_seen_at, last_snapshot_at, raw) FROM '\(dir)/packages.csv' WITH (FORMAT csv)")
            let snapSeconds = await Self.psql(url, "\\\\copy snapshots (package_pk, observed_at, used_bytes, capacity_bytes, status) FROM '\(dir)/snapshots.csv' WITH (FORMAT csv)")
            try Bench.check(pkgSeconds > 0 && snapSeconds > 0, "psql copy failed")
            let copyRate = Double(rows) / (pkgSeconds + snapSeconds)
            report("copy_packages_seconds", String(format: "%.3f", pkgSeconds))
            report("copy_snapshots_seconds", String(format: "%.3f", snapSeconds))
            report("copy_rows_per_second", String(format: "%.0f", copyRate))
            report("poll_vs_copy_ratio", String(format: "%.2f", Double(rows) / changed.seconds / copyRate))

            // Latest-state query for the 100,000 polled packages (the copied ones are excluded by filter).
            try await db.execute("VACUUM ANALYZE packages")
            var times: [Double] = []
            for _ in 0..<5 {
                let start = ContinuousClock.now
                let accounts = Set((0..<4).map { "acct\($0)" })
                let all = try await db.store.latestPackages().filter { accounts.contains($0.key.account) }
                let d = ContinuousClock.now - start
                try Bench.check(all.count == Self.sources * Self.perSource, "latest state read \(all.count) packages")
                times.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
            }
            times.sort()
            report("latest_state_100k_seconds_median", String(format: "%.3f", times[2]))
            report("latest_state_100k_seconds_min", String(format: "%.3f", times[0]))
        }
    }

    /// One simulated day at a 60 s interval with 1% of packages changing per poll, then bytes on disk.
    static func storageForOneDayAt60sWith1PercentChanging() async throws {
        let packages = 1_000
        try await TestDatabase.with { db in
            try await db.store.upsertSources([SourceConfig(id: .test, endpoint: "http://127.0.0.1:1", pollIntervalSeconds: 60)])
            var listing = Self.listing(source: .test, count: packages, step: 0, at: .t0)
            try await db.store.poll(listing, at: .t0)
            let baseline: Int = try await db.scalar("SELECT pg_total_relation_size('snapshots')")
            let baselineRows: Int = try await db.scalar("SELECT count(*) FROM snapshots")
            var generator = SystemRandomNumberGenerator()
            let start = ContinuousClock.now
            for minute in 1...1440 {
                for _ in 0..<(packages / 100) {
                    let i = Int.random(in: 0..<packages, using: &generator)
                    listing[i].state.usedBytes += 1 << 20
                }
                try await db.store.poll(listing, at: .t0.addingTimeInterval(Double(minute) * 60))
            }
            let d = ContinuousClock.now - start
            try await db.execute("VACUUM ANALYZE snapshots")
            try await db.execute("VACUUM ANALYZE packages")
            let size: Int = try await db.scalar("SELECT pg_total_relation_size('snapshots')")
            let rows: Int = try await db.scalar("SELECT count(*) FROM snapshots")
            let packagesSize: Int = try await db.scalar("SELECT pg_total_relation_size('packages')")
            let runsSize: Int = try await db.scalar("SELECT pg_total_relation_size('poll_runs')")
            report("day_polls", "1440")
            report("day_poll_seconds_total", String(format: "%.1f", Double(d.components.seconds)))
            report("day_snapshot_rows_per_package", String(format: "%.1f", Double(rows - baselineRows) / Double(packages)))
            report("day_snapshot_bytes_per_package", String(format: "%.0f", Double(size - baseline) / Double(packages)))
            report("day_snapshot_bytes_per_row", String(format: "%.0f", Double(size - baseline) / Double(rows - baselineRows)))
            report("packages_table_bytes_per_package", String(format: "%.0f", Double(packagesSize) / Double(packages)))
            report("poll_runs_bytes_per_source_day", "\(runsSize)")
        }
    }
}
