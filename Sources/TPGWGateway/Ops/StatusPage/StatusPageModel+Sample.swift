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
                        emptyAt: offset == 3 ? nil : now.addingTimeInterval(Double(18 + offset * 40) * 3600), usage: points,
                        assumes: HumanFormat.assumptions(.bce)))
            }
        }
        let firstKey = packages.first?.key.description ?? "bce:prod:bj:tp-1"
        return StatusPageModel(
            regions: regionRows, packages: packages, pools: pools,
            alerts: [
                Alert(title: "Pool runs empty within 24 h", subject: "prod/bj", since: now.addingTimeInterval(-5_400), severity: .critical,
                      budget: "prod runway", kind: "Pool gap: pay-as-you-go billing"),
                Alert(title: "Package exhausts before expiry", subject: firstKey, since: now.addingTimeInterval(-26 * 3600), severity: .warning,
                      budget: "prod runway", kind: "Runs out before expiry", acknowledged: true),
                Alert(title: "Source stale", subject: "staging/bd", since: now.addingTimeInterval(-2_400), severity: .info,
                      budget: "staging", kind: "Source not read", silenced: true),
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

extension StatusPageModel {
    /// A very large inventory for screenshots and scale tests: `packageRows` rows of 100,000 packages (the rest
    /// omitted, as the app does), 8 accounts x 6 regions of pools (some never read), and `alertCount` firing alerts
    /// over 25 budgets and 4 kinds, some silenced or acknowledged.
    static func large(now: Date, packageRows: Int = 500, alertCount: Int = 10_000) -> StatusPageModel {
        var model = sample(now: now, packageCount: packageRows)
        model.omittedPackages = 100_000 - packageRows
        let accounts = ["prod", "media", "staging", "games", "cdn", "search", "ads", "video"]
        let regions = ["bj", "gz", "su", "hkg", "fwh", "bd"]
        let template = model.pools[0].usage
        model.pools = accounts.enumerated().flatMap { a, account in
            regions.enumerated().map { r, region in
                let i = a * regions.count + r
                return Pool(
                    account: account, region: region, remainingBytes: Int64(1 + i % 17) << 40,
                    emptyAt: i % 5 == 4 ? nil : now.addingTimeInterval(Double(6 + i * 7) * 3600),
                    usage: template.map { Pool.UsagePoint(at: $0.at, usedBytes: $0.usedBytes / Int64(1 + i % 4)) }, unknown: i == 13,
                    assumes: HumanFormat.assumptions(.bce))
            }
        }
        let kinds = ["Package usage high", "Traffic runs out soon", "Runs out before expiry", "Traffic will expire unused"]
        model.alerts = (0..<alertCount).map { i in
            let key = PackageKey(provider: "bce", account: accounts[i % accounts.count], region: regions[(i / 8) % regions.count],
                                 id: "tp-" + String(0x7A3F1 + i * 104_729, radix: 36))
            let kind = kinds[(i / 3) % kinds.count]
            return Alert(
                title: kind + ": " + key.description + " is \(80 + i % 20)% used", subject: key.description,
                since: now.addingTimeInterval(-Double(60 + (i * 37) % 86_400)), severity: i % 7 == 0 ? .critical : .warning,
                budget: "budget-\(i % 25)", kind: kind, silenced: i % 11 == 0, acknowledged: i % 13 == 0)
        }
        model.sources = accounts.flatMap { account in
            regions.map { region in
                let failing = account == "games" && region == "su"
                return Source(account: account, region: region, status: failing ? .failing : .ok,
                              lastSuccessAt: now.addingTimeInterval(failing ? -7200 : -90), lastError: failing ? "upstream 503" : nil,
                              latencyMs: failing ? nil : 80)
            }
        }
        model.regions = regions.map { Region(name: $0, capacityBytes: 900 << 40, remainingBytes: Int64(100 + $0.count * 90) << 40) }
        return model
    }
}
