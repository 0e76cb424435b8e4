// libFuzzer harness for the BCE list decoder. Built by scripts/fuzz-bce-list with TPGWCore and the decoder sources.
//
// Oracle: besides not crashing (no trap on any number, date or shape), every package a decoded page keeps is
// within what tpgw represents (ids usable in a PackageKey, byte counts in 0...UpstreamBounds.maxBytes, dates in
// UpstreamBounds.dates), every skipped one names a field, and the kept packages total, forecast and summarise
// without trapping. The detail decoder and the paging reader run on the same input.
import Foundation
import TPGWCore

let decoder = BCEWireDecoder(source: SourceID(account: "fuzz", region: "bj"), operation: "list")
let observedAt = Date(timeIntervalSince1970: 1_795_000_000)

func check(_ p: BCEPackage) {
    precondition(!p.id.isEmpty && p.id.utf8.count <= UpstreamBounds.maxIDLength, "id out of range: \(p.id)")
    precondition(!p.id.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: ":") || $0 == 0x7F }, "id not usable in a key: \(p.id)")
    precondition((0...UpstreamBounds.maxBytes).contains(p.capacity), "capacity out of range: \(p.capacity)")
    precondition((0...UpstreamBounds.maxBytes).contains(p.usedCapacity), "usedCapacity out of range: \(p.usedCapacity)")
    precondition(UpstreamBounds.dates.contains(p.createTime) && UpstreamBounds.dates.contains(p.expireTime), "date out of range")
    if let a = p.activeTime { precondition(UpstreamBounds.dates.contains(a), "activeTime out of range") }
    precondition(!p.raw.isEmpty && p.raw.first == UInt8(ascii: "{") && p.raw.last == UInt8(ascii: "}"), "raw is not the object")
    precondition(PackageKey(p.state(source: decoder.source, observedAt: observedAt).key.description) != nil, "key does not round-trip")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let body = Array(UnsafeBufferPointer(start: start, count: count))
    if let page = try? decoder.listPage(body) {
        for p in page.packages { check(p) }
        for s in page.skipped {
            precondition(!s.field.isEmpty && !s.reason.isEmpty && s.position.hasPrefix("packageList["), "skip report incomplete: \(s)")
        }
        if !page.skipped.isEmpty { _ = SkippedPackage.report(page.skipped) }
        let states = page.packages.map { $0.state(source: decoder.source, observedAt: observedAt) }
        let forecasts = states.map { ForecastProjection.project(package: $0, burnBytesPerHour: Double($0.usedBytes) / 24) }
        let summary = SummaryAggregator.summarize(packages: states, alignedForecasts: forecasts, pools: [], groupBy: .status)
        precondition(summary.total.packageCount == states.count && summary.total.capacityBytes >= 0, "summary lost packages")
        _ = PoolDemand.estimate(packages: states, alignedForecasts: forecasts)
        if (try? decoder.listPaging(body)) == nil { preconditionFailure("listPage decoded a body listPaging rejects") }
    }
    if let p = try? decoder.package(body) { check(p) }
    return 0
}
