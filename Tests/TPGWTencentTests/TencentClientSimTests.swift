import Foundation
import Synchronization
import Testing
import TPGWCore
import TPGWHTTPClient
@testable import TPGWTencent
@testable import tencent_sim

/// The client against tencent-sim on loopback, over real libcurl and real TC3 signatures.
@Suite struct TencentClientSimTests {
    @Test func listPackages_walksOffsetPagesOfAtMost100_andReturnsEveryPackageOnce() async throws {
        let h = try await TencentSimHarness.start(packages: 250)
        defer { Task { await h.stop() } }
        let inventory = try await h.client.listPackages(h.endpoint())
        #expect(inventory.totalCount == 250)
        #expect(inventory.packages.count == 250)
        #expect(Set(inventory.packages.map(\.id)) == Set(h.simIDs()))
        #expect(inventory.pages == 3)
        #expect(inventory.walks == 1)
        #expect(inventory.skipped.isEmpty)
        // REFUNDED and DELETED come back distinct from EXPIRED.
        let statuses = Set(inventory.packages.map(\.status))
        #expect(statuses.isSuperset(of: [.available, .expired, .exhausted, .refunded, .deleted]))
        await h.stop()
    }

    @Test func listPackages_sendsLimitExplicitly_soAServerDefaultOf20CannotTruncate() async throws {
        let h = try await TencentSimHarness.start(packages: 45)
        let page = try await h.client.describePage(h.endpoint(), offset: 0)
        #expect(page.packages.count == 45)
        #expect(page.totalCount == 45)
        await h.stop()
    }

    @Test func listPackages_followsAServerThatCutsPagesShorterThanAsked() async throws {
        let h = try await TencentSimHarness.start(packages: 95, limitCap: 20)
        let inventory = try await h.client.listPackages(h.endpoint())
        #expect(inventory.packages.count == 95)
        #expect(inventory.pages == 5)
        await h.stop()
    }

    @Test func limitAbove100_isRejectedByTheSimulator_soTheClientClampsIt() async throws {
        let h = try await TencentSimHarness.start(packages: 150, configure: { $0.pageLimit = 1000 })
        let inventory = try await h.client.listPackages(h.endpoint())
        #expect(inventory.packages.count == 150)
        await h.stop()
    }

    @Test func totalCountChangingMidWalk_walksAgain_andDeduplicates() async throws {
        let h = try await TencentSimHarness.start(packages: 250)
        var fault = TencentSimFault()
        fault.totalCountDrift = true
        fault.times = 2
        h.sim.setFault(region: TencentSimHarness.region, fault)
        let inventory = try await h.client.listPackages(h.endpoint())
        #expect(inventory.walks >= 2)
        #expect(inventory.totalCount == 252)
        #expect(inventory.packages.count == 252)
        #expect(Set(inventory.packages.map(\.id)) == Set(h.simIDs()))
        await h.stop()
    }

    @Test func totalCountNeverSettling_isAFailedRead_notAPartialInventory() async throws {
        let h = try await TencentSimHarness.start(packages: 250, configure: { $0.maxWalks = 3 })
        var fault = TencentSimFault()
        fault.totalCountDrift = true
        h.sim.setFault(region: TencentSimHarness.region, fault)
        do {
            let inventory = try await h.client.listPackages(h.endpoint())
            Issue.record("got \(inventory.packages.count) packages")
        } catch let e as TencentError {
            #expect(e.kind == .unsettled)
            #expect(e.message.contains("TotalCount changed"))
        }
        await h.stop()
    }

    @Test func throttling_isRetriedWithBackoff_andEveryAttemptIsSignedAnew() async throws {
        let clock = Mutex<TimeInterval>(Date().timeIntervalSince1970.rounded(.down))
        // Each signing reads a clock one second later, so a re-signed attempt differs from the last.
        let h = try await TencentSimHarness.start(packages: 5, now: { Date(timeIntervalSince1970: clock.withLock { $0 += 1; return $0 }) })
        h.sim.setFault(region: TencentSimHarness.region, .error("RequestLimitExceeded.UinLimitExceeded", times: 2))
        let inventory = try await h.client.listPackages(h.endpoint())
        #expect(inventory.packages.count == 5)
        let auths = h.authorizations()
        #expect(auths.count == 3)
        #expect(Set(auths).count == 3)
        #expect(h.sleeps.all.count == 2)
        #expect(h.sleeps.all.allSatisfy { $0 > .zero })
        await h.stop()
    }

    @Test func throttlingBeyondTheRetryBudget_surfacesAsThrottled() async throws {
        let h = try await TencentSimHarness.start(packages: 5, configure: { $0.retry.maxRetries = 2 })
        var fault = TencentSimFault()
        fault.throttle = true
        h.sim.setFault(region: TencentSimHarness.region, fault)
        await #expect(throws: TencentError.self) { try await h.client.listPackages(h.endpoint()) }
        #expect(h.sim.requestCount(region: TencentSimHarness.region) == 3)
        await h.stop()
    }

    @Test func signatureExpire_isRetriedOnceWithAFreshTimestamp() async throws {
        let calls = Mutex(0)
        // The first signing uses a clock 10 minutes slow, then the real one.
        let h = try await TencentSimHarness.start(packages: 5, now: {
            let n = calls.withLock { $0 += 1; return $0 }
            return n == 1 ? Date().addingTimeInterval(-600) : Date()
        })
        let inventory = try await h.client.listPackages(h.endpoint())
        #expect(inventory.packages.count == 5)
        #expect(h.sim.requestCount(region: TencentSimHarness.region) == 2)
        await h.stop()
    }

    @Test func signatureExpire_withAClockThatStaysWrong_isRetriedOnlyOnce() async throws {
        let h = try await TencentSimHarness.start(packages: 5, now: { Date().addingTimeInterval(-600) })
        do {
            _ = try await h.client.listPackages(h.endpoint())
            Issue.record("no error")
        } catch let e as TencentError {
            #expect(e.code == "AuthFailure.SignatureExpire")
            #expect(e.errorClass == .signatureExpired)
        }
        #expect(h.sim.requestCount(region: TencentSimHarness.region) == 2)
        await h.stop()
    }

    @Test(arguments: ["UnauthorizedOperation", "AuthFailure.UnauthorizedOperation", "UnsupportedOperation.UnsupportedRegion"])
    func permissionAndRegionErrors_areNotRetried_andNeverReadAsZeroPackages(_ code: String) async throws {
        let h = try await TencentSimHarness.start(packages: 5)
        h.sim.setFault(region: TencentSimHarness.region, .error(code))
        do {
            let inventory = try await h.client.listPackages(h.endpoint())
            Issue.record("got an inventory of \(inventory.packages.count)")
        } catch let e as TencentError {
            #expect(e.kind == .service)
            #expect(e.code == code)
            #expect(e.requestID != nil)
        }
        #expect(h.sim.requestCount(region: TencentSimHarness.region) == 1)
        #expect(h.sleeps.all.isEmpty)
        await h.stop()
    }

    @Test func regionTheSimulatorDoesNotServe_isUnsupportedRegion() async throws {
        let h = try await TencentSimHarness.start(packages: 5)
        do {
            _ = try await h.client.listPackages(h.endpoint("eu-frankfurt"))
            Issue.record("no error")
        } catch let e as TencentError {
            #expect(e.errorClass == .unsupportedRegion)
        }
        await h.stop()
    }

    @Test func wrongSecretKey_isASignatureFailure_notRetried() async throws {
        let h = try await TencentSimHarness.start(packages: 5)
        do {
            _ = try await h.client.listPackages(h.endpoint(secretKey: "wrong"))
            Issue.record("no error")
        } catch let e as TencentError {
            #expect(e.code == "AuthFailure.SignatureFailure")
            #expect(!e.description.contains("wrong"))
        }
        #expect(h.sleeps.all.isEmpty)
        await h.stop()
    }

    @Test(arguments: ["malformed", "http502", "close", "internal"])
    func transientFailuresOfAPage_areRetried(_ kind: String) async throws {
        let h = try await TencentSimHarness.start(packages: 5)
        var fault = TencentSimFault()
        switch kind {
        case "malformed": fault.malformedJSON = true
        case "http502": fault.httpStatus = 502
        case "close": fault.closeConnection = true
        default: fault = .error("InternalError")
        }
        fault.times = 1
        h.sim.setFault(region: TencentSimHarness.region, fault)
        let inventory = try await h.client.listPackages(h.endpoint())
        #expect(inventory.packages.count == 5)
        #expect(h.sleeps.all.count == 1)
        await h.stop()
    }

    @Test func addedLatency_delaysEveryAnswer() async throws {
        let h = try await TencentSimHarness.start(packages: 5)
        var fault = TencentSimFault()
        fault.latencyMs = 300
        h.sim.setFault(region: TencentSimHarness.region, fault)
        let start = ContinuousClock.now
        _ = try await h.client.describePage(h.endpoint(), offset: 0)
        #expect(ContinuousClock.now - start >= .milliseconds(300))
        await h.stop()
    }

    @Test func hangingRead_timesOut_isRetried_thenFailsAsTimeout() async throws {
        let h = try await TencentSimHarness.start(packages: 5, http: .init(totalTimeout: .milliseconds(500)), configure: { $0.retry.maxRetries = 1 })
        var fault = TencentSimFault()
        fault.hang = true
        h.sim.setFault(region: TencentSimHarness.region, fault)
        do {
            _ = try await h.client.listPackages(h.endpoint())
            Issue.record("no error")
        } catch let e as TencentError {
            #expect(e.kind == .timeout)
        }
        #expect(h.sim.requestCount(region: TencentSimHarness.region) == 2)
        await h.stop()
    }

    @Test func unrepresentablePackages_areSkippedAndReported_whileTheRestIsListed() async throws {
        let h = try await TencentSimHarness.start(packages: 150)
        var fault = TencentSimFault()
        fault.corruptAmount = true
        h.sim.setFault(region: TencentSimHarness.region, fault)
        let inventory = try await h.client.listPackages(h.endpoint())
        #expect(inventory.packages.count == 148)
        #expect(inventory.skipped.count == 2)
        #expect(inventory.skipped.allSatisfy { $0.field == "TotalAmount" && $0.id != nil })
        await h.stop()
    }

    @Test func filters_reachTheSimulator() async throws {
        let h = try await TencentSimHarness.start(packages: 40)
        let available = try await h.client.listPackages(h.endpoint(), filter: TencentListFilter(statuses: [.available]))
        #expect(!available.packages.isEmpty)
        #expect(available.packages.allSatisfy { $0.status == .available })
        let id = h.simIDs()[3]
        let one = try await h.client.listPackages(h.endpoint(), filter: TencentListFilter(ids: [id]))
        #expect(one.packages.map(\.id) == [id])
        await h.stop()
    }

    // MARK: Purchase

    @Test func create_buysSeveralPackages_inOneRequest() async throws {
        let h = try await TencentSimHarness.start(packages: 3)
        let purchase = try await h.client.createPackages(h.endpoint(), order: TencentPurchaseOrder(gigabytes: 512, count: 3, deductType: .idleTime))
        #expect(purchase.packageIDs.count == 3)
        #expect(purchase.requestID != nil)
        let inventory = try await h.client.listPackages(h.endpoint())
        let bought = inventory.packages.filter { purchase.packageIDs.contains($0.id) }
        #expect(bought.count == 3)
        #expect(bought.allSatisfy { $0.totalBytes == 512 << 30 && $0.deductType == .idleTime && $0.status == .available })
        await h.stop()
    }

    @Test func create_droppedAfterCommit_isAmbiguous_notRetried_andReconcilableByListing() async throws {
        let h = try await TencentSimHarness.start(packages: 3)
        var fault = TencentSimFault()
        fault.closeConnection = true
        fault.afterCommit = true
        fault.actions = ["CreateTrafficPackages"]
        h.sim.setFault(region: TencentSimHarness.region, fault)
        let order = TencentPurchaseOrder(gigabytes: 50, count: 2)
        do {
            _ = try await h.client.createPackages(h.endpoint(), order: order)
            Issue.record("no error")
        } catch {
            #expect(error.kind == .ambiguous)
            #expect(error.order == order)
            let attemptedAt = try #require(error.attemptedAt)
            #expect(h.sim.requestCount(region: TencentSimHarness.region) == 1)
            #expect(h.sleeps.all.isEmpty)
            // The packages were bought: listing finds them by size, kind and time.
            let inventory = try await h.client.listPackages(h.endpoint())
            #expect(inventory.packages.filter { order.couldHaveBought($0, attemptedAt: attemptedAt) }.count == 2)
        }
        await h.stop()
    }

    @Test(arguments: ["InternalError", "http502", "hang"])
    func create_withUnknownOutcome_isAmbiguous_andSentOnce(_ kind: String) async throws {
        let h = try await TencentSimHarness.start(packages: 3, http: .init(totalTimeout: .seconds(1)))
        var fault = kind == "InternalError" ? TencentSimFault.error("InternalError") : TencentSimFault()
        if kind == "http502" { fault.httpStatus = 502 }
        if kind == "hang" { fault.hang = true }
        fault.afterCommit = true
        fault.actions = ["CreateTrafficPackages"]
        h.sim.setFault(region: TencentSimHarness.region, fault)
        do {
            _ = try await h.client.createPackages(h.endpoint(), order: TencentPurchaseOrder(gigabytes: 10))
            Issue.record("no error")
        } catch {
            #expect(error.kind == .ambiguous)
            #expect(error.attemptedAt != nil)
        }
        #expect(h.sim.requestCount(region: TencentSimHarness.region) == 1)
        await h.stop()
    }

    @Test(arguments: ["RequestLimitExceeded", "FailedOperation.BalanceInsufficient", "UnauthorizedOperation"])
    func create_refusedByTheAPI_isAServiceError_notAmbiguous_andNotRetried(_ code: String) async throws {
        let h = try await TencentSimHarness.start(packages: 3)
        h.sim.setFault(region: TencentSimHarness.region, .error(code, actions: ["CreateTrafficPackages"]))
        do {
            _ = try await h.client.createPackages(h.endpoint(), order: TencentPurchaseOrder(gigabytes: 10))
            Issue.record("no error")
        } catch {
            #expect(error.kind == .service)
            #expect(error.code == code)
        }
        #expect(h.sim.requestCount(region: TencentSimHarness.region) == 1)
        #expect(h.simIDs().count == 3)
        await h.stop()
    }

    @Test func create_ofAnUnsoldSize_isRefusedBeforeSending() async throws {
        let h = try await TencentSimHarness.start(packages: 3)
        do {
            _ = try await h.client.createPackages(h.endpoint(), order: TencentPurchaseOrder(gigabytes: 600))
            Issue.record("no error")
        } catch {
            #expect(error.kind == .client)
        }
        #expect(h.sim.requestCount(region: TencentSimHarness.region) == 0)
        await h.stop()
    }

    @Test func create_toAClosedPort_isNotAmbiguous() async throws {
        let h = try await TencentSimHarness.start(packages: 3)
        let endpoint = TencentEndpoint(account: "t", region: TencentSimHarness.region, credentials: h.endpoint().credentials, baseURL: "http://127.0.0.1:1")
        do {
            _ = try await h.client.createPackages(endpoint, order: TencentPurchaseOrder(gigabytes: 10))
            Issue.record("no error")
        } catch {
            #expect(error.kind == .connection)
        }
        await h.stop()
    }

    @Test func quote_saysThereIsNoPriceAPI() async throws {
        let h = try await TencentSimHarness.start(packages: 1)
        #expect(throws: TencentError.self) { try h.client.quote(h.endpoint(), order: TencentPurchaseOrder(gigabytes: 10)) }
        #expect(TencentCapacityTable.hasPriceAPI == false)
        await h.stop()
    }
}
