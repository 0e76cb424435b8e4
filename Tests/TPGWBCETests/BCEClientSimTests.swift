import Foundation
import TPGWTestSupport
import Testing
import TPGWBCE
import TPGWCore
import TPGWHTTPClient
@testable import bce_sim

@Suite struct BCEClientSimTests {
    @Test func listPackages_readsAllPagesOfInclusiveMarkers_withoutLossOrRepeats() async throws {
        let h = try await SimHarness.start(packages: 2500)
        let packages = try await h.client.listPackages(h.endpoint())
        let requests = h.sim.requestCount(region: "bj")
        await h.stop()
        #expect(packages.count == 2500)
        #expect(packages.map(\.id) == h.allIDs())
        #expect(Set(packages.map(\.id)).count == 2500)
        #expect(requests == 3)
    }

    @Test func listPackages_followsSimPageCapOf100() async throws {
        let h = try await SimHarness.start(packages: 2500, maxKeysCap: 100)
        let packages = try await h.client.listPackages(h.endpoint())
        let requests = h.sim.requestCount(region: "bj")
        await h.stop()
        #expect(packages.map(\.id) == h.allIDs())
        #expect(requests == 25)
    }

    @Test func injectedBadPackages_areSkippedAndReported_acrossPages_restListed() async throws {
        let h = try await SimHarness.start(packages: 45, maxKeysCap: 20)
        let body = #"{"region":"bj","packages":["#
            + #"{"id":"tp-frozen","deductPolicy":"FullTimeDurationPackage","status":"FROZEN","capacity":1,"usedCapacity":0,"createTime":"2026-11-01T00:00:00Z","expireTime":"2026-12-01T00:00:00Z"},"#
            + #"{"id":"tp-neg","deductPolicy":"FullTimeDurationPackage","status":"RUNNING","capacity":1,"usedCapacity":-1,"createTime":"2026-11-01T00:00:00Z","expireTime":"2026-12-01T00:00:00Z"},"#
            + #""{\"deductPolicy\":\"x\"}"]}"#
        let control = try await h.http.execute(HTTPClientRequest(
            method: "POST", url: h.sim.baseURL(for: "bj") + "/__sim/inject", headers: [], body: Array(body.utf8), totalTimeout: .seconds(5)))
        let listing = try await h.client.listing(h.endpoint())
        let reading = await h.client.read(h.endpoint())
        await h.stop()
        #expect(control.status == 200, "\(String(decoding: control.body, as: UTF8.self))")
        #expect(listing.packages.count == 46)
        #expect(listing.packages.last?.id == "tp-frozen" && listing.packages.last?.status == .unknown)
        #expect(listing.skipped.map(\.description) == ["tp-neg: field usedCapacity: negative", "packageList[7]: field id: missing"])
        #expect(reading.skipped == listing.skipped)
        #expect(reading.states?.count == 46)
    }

    @Test func capacityServedAsStrings_isDecoded() async throws {
        let h = try await SimHarness.start(packages: 5, capacityAsStrings: true)
        let packages = try await h.client.listPackages(h.endpoint())
        await h.stop()
        #expect(packages.count == 5)
        #expect(packages.allSatisfy { $0.capacity > 0 && String(decoding: $0.raw, as: UTF8.self).contains("\"capacity\":\"") })
    }

    @Test func getCreateQuote_roundTrip() async throws {
        let h = try await SimHarness.start(packages: 3)
        let e = h.endpoint()
        let order = BCEPackageOrder(reservationLength: 1, capacity: "10G", deductPolicy: .offPeak)
        let id = try await h.client.createPackage(e, order: order, clientToken: "token-round-trip")
        let p = try await h.client.getPackage(e, id: id)
        let price = try await h.client.quote(e, order: BCEPackageOrder(reservationLength: 1, capacity: "10G"))
        await h.expectNoSuchObject()
        await h.stop()
        #expect(p.id == id && p.capacity == 10 << 30 && p.deductPolicy == .offPeak && p.status == .active)
        #expect(price == "7.20000")
    }

    @Test func create_withSameTokenOtherParameters_isIdempotentParameterMismatch() async throws {
        let h = try await SimHarness.start(packages: 0)
        let e = h.endpoint()
        _ = try await h.client.createPackage(e, order: .init(reservationLength: 1, capacity: "10G"), clientToken: "tok-x")
        await #expect {
            try await h.client.createPackage(e, order: .init(reservationLength: 1, capacity: "50G"), clientToken: "tok-x")
        } throws: { ($0 as? BCEError)?.code == "IdempotentParameterMismatch" && ($0 as? BCEError)?.status == 403 }
        await h.stop()
    }

    @Test(arguments: ["error", "close"])
    func create_whenResponseIsLostAfterCommit_retryWithSameTokenReturnsSameID(_ kind: String) async throws {
        let h = try await SimHarness.start(packages: 0)
        var fault = kind == "error" ? SimFault.error(status: 500, code: "InternalError", times: 1) : SimFault()
        if kind == "close" {
            fault.closeConnection = true
            fault.times = 1
        }
        fault.afterCommit = true
        fault.operations = ["create"]
        h.sim.setFault(region: "bj", fault)
        let id = try await h.client.createPackage(h.endpoint(), order: .init(reservationLength: 6, capacity: "60G"), clientToken: "once-\(kind)")
        let ids = h.allIDs()
        let requests = h.sim.requestCount(region: "bj")
        await h.stop()
        #expect(ids == [id], "exactly one package exists")
        #expect(requests == 2)
    }

    @Test func serverErrors_areRetriedUntilSuccess() async throws {
        let h = try await SimHarness.start(packages: 10)
        h.sim.setFault(region: "bj", .error(status: 503, code: "ServiceUnavailable", times: 2))
        let packages = try await h.client.listPackages(h.endpoint())
        let requests = h.sim.requestCount(region: "bj")
        await h.stop()
        #expect(packages.count == 10)
        #expect(requests == 3)
    }

    @Test func serverErrors_giveUpAfterThreeRetries() async throws {
        let h = try await SimHarness.start(packages: 10)
        h.sim.setFault(region: "bj", .error(status: 500))
        await #expect { try await h.client.listPackages(h.endpoint()) } throws: { ($0 as? BCEError)?.status == 500 && ($0 as? BCEError)?.requestID != nil }
        let requests = h.sim.requestCount(region: "bj")
        await h.stop()
        #expect(requests == 4)
    }

    @Test func clientErrors_failAtOnce() async throws {
        let h = try await SimHarness.start(packages: 10)
        h.sim.setFault(region: "bj", .error(status: 403, code: "AccessDenied"))
        await #expect { try await h.client.listPackages(h.endpoint()) } throws: { ($0 as? BCEError)?.code == "AccessDenied" }
        let requests = h.sim.requestCount(region: "bj")
        await h.stop()
        #expect(requests == 1)
    }

    @Test func wrongSecret_isSignatureDoesNotMatch_andWrongKeyIsInvalidAccessKeyId() async throws {
        let h = try await SimHarness.start(packages: 1)
        await #expect { try await h.client.listPackages(h.endpoint(sk: "wrong")) } throws: {
            let e = $0 as? BCEError
            return e?.code == "SignatureDoesNotMatch" && e?.status == 400 && !"\(e!)".contains("wrong")
        }
        await #expect { try await h.client.listPackages(h.endpoint(ak: "NOPE")) } throws: { ($0 as? BCEError)?.code == "InvalidAccessKeyId" }
        let requests = h.sim.requestCount(region: "bj")
        await h.stop()
        #expect(requests == 2)
    }

    @Test func staleClock_getsRequestExpired_retriedOnceWithFreshTimestamp() async throws {
        let h = try await SimHarness.start(packages: 1, now: { Date().addingTimeInterval(-3600) })
        await #expect { try await h.client.listPackages(h.endpoint()) } throws: { ($0 as? BCEError)?.code == "RequestExpired" }
        let requests = h.sim.requestCount(region: "bj")
        await h.stop()
        #expect(requests == 2)
    }

    @Test func addedLatency_isWaitedFor() async throws {
        let h = try await SimHarness.start(packages: 5)
        var f = SimFault()
        f.latencyMs = 150
        h.sim.setFault(region: "bj", f)
        let reading = await h.client.read(h.endpoint())
        await h.stop()
        #expect(reading.states?.count == 5)
        #expect(reading.latency >= .milliseconds(150))
    }

    @Test func hang_timesOutWithinTheTotalTimeout() async throws {
        let h = try await SimHarness.start(packages: 5, configure: { $0.totalTimeout = .milliseconds(300); $0.retry.maxRetries = 1 })
        var f = SimFault()
        f.hang = true
        h.sim.setFault(region: "bj", f)
        let start = ContinuousClock.now
        await #expect { try await h.client.listPackages(h.endpoint()) } throws: { ($0 as? BCEError)?.kind == .timeout }
        let elapsed = ContinuousClock.now - start
        await h.stop()
        // Two attempts of 300 ms; without the timeout the hang lasts 10 minutes. Generous for a loaded machine.
        #expect(elapsed < .seconds(5))
    }

    @Test func closedConnection_isConnectionError_andRetried() async throws {
        let h = try await SimHarness.start(packages: 5)
        var f = SimFault()
        f.closeConnection = true
        f.times = 1
        h.sim.setFault(region: "bj", f)
        let packages = try await h.client.listPackages(h.endpoint())
        h.sim.setFault(region: "bj", { var g = SimFault(); g.closeConnection = true; return g }())
        await #expect { try await h.client.listPackages(h.endpoint()) } throws: { ($0 as? BCEError)?.kind == .connection }
        await h.stop()
        #expect(packages.count == 5)
    }

    @Test func malformedJSON_isDecodingError_notRetried() async throws {
        let h = try await SimHarness.start(packages: 5)
        var f = SimFault()
        f.malformedJSON = true
        h.sim.setFault(region: "bj", f)
        await #expect { try await h.client.listPackages(h.endpoint()) } throws: { ($0 as? BCEError)?.kind == .decoding }
        let requests = h.sim.requestCount(region: "bj")
        await h.stop()
        #expect(requests == 1)
    }

    @Test func failingOnlyPageTwo_isRetried_andNothingIsLost() async throws {
        let h = try await SimHarness.start(packages: 250, maxKeysCap: 100)
        var f = SimFault.error(status: 502, code: "BadGateway", times: 2)
        f.failPage = 2
        h.sim.setFault(region: "bj", f)
        let packages = try await h.client.listPackages(h.endpoint())
        let requests = h.sim.requestCount(region: "bj")
        await h.stop()
        #expect(packages.map(\.id) == h.allIDs())
        #expect(requests == 5)
    }

    @Test func breaker_skipsSourceAfterFailures_thenOneProbeCloses() async throws {
        let clock = ManualDate()
        let h = try await SimHarness.start(
            packages: 3, configure: { $0.breaker = .init(failureThreshold: 2, coolDown: 60); $0.retry.maxRetries = 0 }, now: { clock.now })
        let e = h.endpoint()
        h.sim.setFault(region: "bj", .error(status: 500))
        for _ in 0..<2 { _ = try? await h.client.listPackages(e) }
        await #expect { try await h.client.listPackages(e) } throws: { ($0 as? BCEError)?.kind == .circuitOpen }
        #expect(h.sim.requestCount(region: "bj") == 2, "an open breaker sends nothing")
        h.sim.clearFaults()
        clock.advance(61)
        let packages = try await h.client.listPackages(e)
        let state = h.client.breakerState(e.source)
        await h.stop()
        #expect(packages.count == 3)
        #expect(state == .closed(consecutiveFailures: 0))
    }

    @Test func controlEndpoints_setFaultsForAllRegions_andAdvanceTheClock() async throws {
        let h = try await SimHarness.start(regions: ["bj", "gz"], packages: 5)
        let base = h.sim.baseURL(for: "bj")
        let set = try await h.http.execute(HTTPClientRequest(
            method: "POST", url: base + "/__sim/faults", body: Array(#"{"region":"*","errorRate":1,"errorStatus":503,"errorCode":"ServiceUnavailable"}"#.utf8)))
        let faulted = await h.client.readAll([h.endpoint("bj"), h.endpoint("gz")])
        let cleared = try await h.http.execute(HTTPClientRequest(method: "DELETE", url: base + "/__sim/faults"))
        let before = try await h.client.listPackages(h.endpoint("gz"))
        let advanced = try await h.http.execute(HTTPClientRequest(method: "POST", url: base + "/__sim/advance", body: Array(#"{"seconds":86400}"#.utf8)))
        let after = try await h.client.listPackages(h.endpoint("gz"))
        let bad = try await h.http.execute(HTTPClientRequest(method: "POST", url: base + "/__sim/faults", body: Array(#"{"region":"nowhere"}"#.utf8)))
        await h.stop()
        #expect(set.status == 200 && cleared.status == 200 && advanced.status == 200 && bad.status == 400)
        #expect(faulted.allSatisfy { if case .failure(let e) = $0.result { e.status == 503 } else { false } })
        let usedBefore = before.reduce(Int64(0)) { $0 + $1.usedCapacity }
        let usedAfter = after.reduce(Int64(0)) { $0 + $1.usedCapacity }
        #expect(usedAfter > usedBefore, "a simulated day of usage")
    }

    /// The hanging region is listed first, so a fan-out that waited for it (or read sources one after
    /// another) would finish every other region after the hang's 8 s timeout: each other region must finish before
    /// the hanging one does (an order, which a loaded machine cannot break; an absolute bound of 5 s was missed at
    /// 6.1 s with two CPU hogs beside the parallel suite), and take less than half its time.
    @Test func fanOut_nineRegions_oneHangsOneFails_othersReturnWithinTheirOwnLatency() async throws {
        let regions = ["yq", "bj", "gz", "su", "hkg", "fwh", "bd", "nj", "cd"]
        let hangTimeout = Duration.seconds(8)
        let h = try await SimHarness.start(regions: regions, packages: 50, configure: {
            $0.totalTimeout = hangTimeout
            $0.retry.maxRetries = 0
        })
        var hang = SimFault()
        hang.hang = true
        h.sim.setFault(region: "yq", hang)
        h.sim.setFault(region: "cd", .error(status: 500))
        var slow = SimFault()
        slow.latencyMs = 50
        for r in regions.dropFirst().dropLast() { h.sim.setFault(region: r, slow) }
        let start = Date()
        let readings = await h.client.readAll(regions.map { h.endpoint($0) })
        await h.stop()
        #expect(readings.map(\.source.region) == regions)
        let hangReading = readings[0]
        #expect(hangReading.latency >= hangTimeout - .milliseconds(100), "the hanging region waited for its own timeout")
        for r in readings[1...7] {
            #expect(r.states?.count == 50)
            let finishedAfter = r.observedAt.timeIntervalSince(start)
            #expect(r.observedAt < hangReading.observedAt, "\(r.source.region) finished \(finishedAfter) s into the fan-out, after the hang's timeout")
            #expect(r.latency < hangReading.latency / 2)
        }
        guard case .failure(let hangError) = hangReading.result, case .failure(let failError) = readings[8].result else {
            Issue.record("hanging and failing regions must fail")
            return
        }
        #expect(hangError.kind == .timeout)
        #expect(failError.status == 500)
    }
}

extension SimHarness {
    func expectNoSuchObject() async {
        await #expect { try await client.getPackage(endpoint(), id: "tp-doesnotexist") } throws: {
            ($0 as? BCEError)?.status == 404 && ($0 as? BCEError)?.code == "NoSuchObject" && ($0 as? BCEError)?.appError.code == .notFound
        }
    }
}
