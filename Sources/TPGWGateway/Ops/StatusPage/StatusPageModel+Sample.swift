import Foundation
import TPGWCore

extension StatusPageModel {
    /// A realistic, deterministic model for demos, screenshots and tests.
    /// - Parameters:
    ///   - now: the page's "now"; every time in the model is relative to it.
    ///   - packageCount: how many package rows to make (spread over 3 accounts and 6 regions).
    static func sample(now: Date, packageCount: Int = 24) -> StatusPageModel {
        let accounts = ["prod", "media", "staging"]
        let regions = ["bj", "gz", "su", "hkg", "fwh", "bd"]
        var packages: [Package] = []
        for index in 0..<packageCount {
            let account = accounts[index % accounts.count]
            let region = regions[(index / accounts.count) % regions.count]
            let capacity = Int64([10, 50, 100, 500, 1024, 5120][index % 6]) << 30
            let used = capacity / 100 * Int64((index * 37) % 100)
            let burn = index % 5 == 4 ? 0 : Double(capacity) / Double(24 * (3 + index % 40))
            let remaining = capacity - used
            let exhaustsAt = burn > 0 ? now.addingTimeInterval(Double(remaining) / burn * 3600) : nil
            let expiresAt = now.addingTimeInterval(Double(2 + (index * 11) % 60) * 86_400)
            let unused = exhaustsAt.map { $0 > expiresAt } ?? true ? Int64(Double(remaining) * 0.4) : 0
            packages.append(
                Package(
                    key: PackageKey(provider: "bce", account: account, region: region, id: "tp-" + String(0x5F3A + index * 7919, radix: 36) + "qO"),
                    policy: index % 3 == 0 ? .offPeak : .fullTime, status: used >= capacity ? .usedUp : .active,
                    capacityBytes: capacity, usedBytes: used, remainingBytes: remaining, burnBytesPerHour: burn,
                    exhaustsAt: exhaustsAt, expiresAt: expiresAt, unusedAtExpiryBytes: unused))
        }
        let regionRows = regions.map { name in
            let inRegion = packages.filter { $0.region == name }
            return Region(
                name: name, capacityBytes: inRegion.reduce(0) { $0 + $1.capacityBytes },
                remainingBytes: inRegion.reduce(0) { $0 + $1.remainingBytes })
        }
        var pools: [Pool] = []
        for account in accounts.prefix(2) {
            for (offset, region) in regions.prefix(4).enumerated() {
                let points = (0..<(7 * 24)).map { hour in
                    // A daily rhythm with a busier evening, growing slowly over the week.
                    let daily = 0.55 + 0.45 * sin(Double(hour % 24 - 8) / 24 * 2 * .pi)
                    return Pool.UsagePoint(
                        at: now.addingTimeInterval(Double(hour - 7 * 24) * 3600),
                        usedBytes: Int64((daily * (1 + Double(hour) / 400) + 0.05) * Double(Int64(2 + offset) << 30)))
                }
                pools.append(
                    Pool(
                        account: account, region: region, remainingBytes: Int64(3 + offset * 5) << 40,
                        emptyAt: offset == 3 ? nil : now.addingTimeInterval(Double(18 + offset * 40) * 3600), usage: points))
            }
        }
        let firstKey = packages.first?.key.description ?? "bce:prod:bj:tp-1"
        return StatusPageModel(
            regions: regionRows, packages: packages, pools: pools,
            alerts: [
                Alert(title: "Pool runs empty within 24 h", subject: "prod/bj", since: now.addingTimeInterval(-5_400), severity: .critical),
                Alert(title: "Package exhausts before expiry", subject: firstKey, since: now.addingTimeInterval(-26 * 3600), severity: .warning),
                Alert(title: "Source stale", subject: "staging/bd", since: now.addingTimeInterval(-2_400), severity: .info),
            ],
            sources: accounts.flatMap { account in
                regions.map { region in
                    let failing = account == "staging" && region == "bd"
                    return Source(
                        account: account, region: region, status: failing ? .failing : .ok,
                        lastSuccessAt: now.addingTimeInterval(failing ? -2 * 3600 : -120), lastError: failing ? "upstream 503: ServiceUnavailable" : nil,
                        latencyMs: failing ? nil : 60 + region.count * 11)
                }
            },
            refreshSeconds: 60, generatedAt: now, version: "0.1.0")
    }
}
