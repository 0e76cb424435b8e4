// libFuzzer harness for the Tencent list decoder. Built by scripts/fuzz-tencent-list with TPGWCore and the decoder
// sources.
//
// Oracle: besides not crashing (no trap on any number, date, escape or shape), every package a decoded page keeps
// is within what tpgw represents (an id usable in a PackageKey: non-empty, at most UpstreamBounds.maxIDLength bytes,
// no ':' or control character, the key round-trips; byte amounts in 0...UpstreamBounds.maxBytes; dates in
// UpstreamBounds.dates; the raw object kept), every skipped one names a field and a reason, and the kept packages turn into
// PackageStates that forecast, summarise and estimate pool demand without trapping. A page whose elements were all
// accounted for counts them (`received`). The create decoder runs on the same input, and any TencentError either
// decoder throws (Response.Error included) classifies and renders without trapping.
import Foundation
import TPGWCore

let decoder = TencentWireDecoder(source: SourceID(provider: "tencent", account: "fuzz", region: "ap-guangzhou"), operation: "describe")
let creator = TencentWireDecoder(source: decoder.source, operation: "create")
let observedAt = Date(timeIntervalSince1970: 1_795_000_000)
let bytesBound = 0...UpstreamBounds.maxBytes

func check(_ p: TencentPackage) {
    precondition(!p.id.isEmpty && p.id.utf8.count <= UpstreamBounds.maxIDLength, "id length out of range: \(p.id.utf8.count)")
    precondition(!p.id.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: ":") || $0 == 0x7F }, "id not usable in a key: \(p.id.debugDescription)")
    for b in [p.totalBytes, p.usedBytes, p.remainingBytes ?? 0] { precondition(bytesBound.contains(b), "amount out of range: \(b)") }
    for d in [p.createdAt, p.deadline] {
        precondition(UpstreamBounds.dates.contains(d), "date out of range: \(d.timeIntervalSince1970)")
    }
    precondition(!p.raw.isEmpty && p.raw.first == UInt8(ascii: "{") && p.raw.last == UInt8(ascii: "}"), "raw is not the object")
    for t in p.tags { _ = t.key.utf8.count + t.value.utf8.count }
    let state = p.state(source: decoder.source, observedAt: observedAt)
    precondition(PackageKey(state.key.description) == state.key, "key does not round-trip: \(state.key.description.debugDescription)")
    precondition(state.capacityBytes == p.totalBytes && state.usedBytes == p.usedBytes, "state lost the amounts")
    _ = RFC3339.format(p.createdAt)
    _ = RFC3339.format(p.expiresAt)
}

func check(_ e: TencentError) {
    _ = e.errorClass
    _ = e.isUnavailability
    _ = e.appError
    _ = e.description
    if e.kind == .service { precondition(e.code.map { !$0.isEmpty } ?? false, "service error without a code: \(e)") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let body = Array(UnsafeBufferPointer(start: start, count: count))
    do {
        let page = try decoder.listPage(body)
        precondition(page.totalCount >= 0, "negative TotalCount")
        for p in page.packages { check(p) }
        for s in page.skipped {
            precondition(!s.field.isEmpty && !s.reason.isEmpty && s.index >= 0, "skip report incomplete: \(s)")
            _ = s.description
        }
        let indexes = page.skipped.map(\.index)
        precondition(Set(indexes).count == indexes.count && indexes.allSatisfy { $0 < page.received }, "skip indexes wrong: \(indexes)")
        let offPeak = ProviderProfile.tencent.poolRules.offPeak
        let states = page.packages.map { $0.state(source: decoder.source, observedAt: observedAt) }
        let forecasts = states.map { ForecastProjection.project(package: $0, burnBytesPerHour: Double($0.usedBytes) / 24, offPeak: offPeak) }
        let summary = SummaryAggregator.summarize(packages: states, alignedForecasts: forecasts, pools: [], groupBy: .status)
        precondition(summary.total.packageCount == states.count && summary.total.capacityBytes >= 0, "summary lost packages")
        _ = PoolDemand.estimate(packages: states, alignedForecasts: forecasts, window: offPeak)
        // A package the order could have bought is judged without trapping (the reconciliation of an ambiguous create).
        let order = TencentPurchaseOrder(gigabytes: 10)
        for p in page.packages { _ = order.couldHaveBought(p, attemptedAt: observedAt) }
    } catch {
        check(error)
    }
    do {
        let (ids, _) = try creator.createdIDs(body)
        precondition(ids.allSatisfy { !$0.isEmpty }, "empty created id")
    } catch {
        check(error)
    }
    return 0
}
