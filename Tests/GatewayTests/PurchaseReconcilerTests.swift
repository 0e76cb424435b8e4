import Foundation
import Testing
import TPGWBCE
import TPGWCore
@testable import TPGWStore
@testable import TPGWGateway

/// What the reconciler does with a pending purchase, decided from the row and `now` alone.
@Suite struct PurchaseReconcilerDecisionTests {
    static let created = Date(timeIntervalSince1970: 1_800_000_000)
    static let accounts = [
        "prod": PurchaseRequest.Account(regions: ["bj", "gz"], profile: .bce),
        "tc": PurchaseRequest.Account(regions: ["ap-guangzhou"], profile: .tencent),
    ]

    static func tencentRow(attempted: Bool, age: TimeInterval = 0) -> PurchaseRecord {
        var r = row(account: "tc", region: "ap-guangzhou")
        r.provider = "tencent"
        r.requestBody = #"{"account":"tc","region":"ap-guangzhou","reservationLength":1,"capacity":"10G","policy":"fullTime","count":2}"#
        r.attemptedAt = attempted ? created : nil
        return r
    }

    @Test func tencentRowWhoseCreateWasSent_isReconciledByListing_neverResent() {
        let decision = PurchaseReconciler.decide(Self.tencentRow(attempted: true), now: Self.created.addingTimeInterval(60), giveUpAfter: 3600, accounts: Self.accounts)
        guard case .reconcile(let order) = decision else { Issue.record("expected reconcile, got \(decision)"); return }
        #expect(order.provider == "tencent" && order.count == 2 && order.capacity == "10G")
        // Never sent (the request died before the create): it may be sent, once.
        guard case .resend = PurchaseReconciler.decide(Self.tencentRow(attempted: false), now: Self.created, giveUpAfter: 3600, accounts: Self.accounts) else {
            Issue.record("expected resend"); return
        }
        let old = PurchaseReconciler.decide(Self.tencentRow(attempted: true), now: Self.created.addingTimeInterval(3600), giveUpAfter: 3600, accounts: Self.accounts)
        guard case .giveUp(let reason) = old else { Issue.record("expected giveUp, got \(old)"); return }
        #expect(reason.contains("listing the region") && reason.contains("Tencent Cloud"))
    }

    static func row(account: String = "prod", region: String = "bj", checks: Int = 0, error: String? = nil) -> PurchaseRecord {
        PurchaseRecord(
            id: 1, apiKeyID: 1, caller: "team-a", account: account, region: region, idempotencyKey: "k", requestCanonical: "c",
            requestBody: #"{"account":"\#(account)","region":"\#(region)","reservationLength":1,"capacity":"100G","policy":"fullTime","lineType":"WebOutBytes"}"#,
            clientToken: "t", state: .pending, packageID: nil, responseStatus: nil, responseBody: nil, upstreamRequestID: nil, errorCode: error,
            errorMessage: error.map { "\($0) happened" }, checks: checks, lastCheckedAt: nil, createdAt: created, updatedAt: created, leaseUntil: created)
    }

    @Test func youngRow_isResentWithItsStoredOrder() {
        let decision = PurchaseReconciler.decide(Self.row(), now: Self.created.addingTimeInterval(600), giveUpAfter: 3600, accounts: Self.accounts)
        guard case .resend(let order) = decision else { Issue.record("expected resend, got \(decision)"); return }
        #expect(order.account == "prod" && order.region == "bj" && order.capacity == "100G" && order.reservationLength == 1)
    }

    @Test func rowAtTheGiveUpAge_becomesUnknown_sayingWhatWasChecked() {
        let decision = PurchaseReconciler.decide(
            Self.row(checks: 4, error: "timeout"), now: Self.created.addingTimeInterval(3600), giveUpAfter: 3600, accounts: Self.accounts)
        guard case .giveUp(let reason) = decision else { Issue.record("expected giveUp, got \(decision)"); return }
        #expect(reason.contains("4 check(s)") && reason.contains("timeout happened") && reason.contains("clientToken"))
    }

    @Test func rowOfARegionThisReplicaDoesNotConfigure_isLeftForAnother_untilTheGiveUpAge() {
        let young = PurchaseReconciler.decide(Self.row(region: "hkg"), now: Self.created, giveUpAfter: 3600, accounts: Self.accounts)
        guard case .skip(let reason) = young else { Issue.record("expected skip, got \(young)"); return }
        #expect(reason.contains("not configured on this replica"))
        let old = PurchaseReconciler.decide(Self.row(region: "hkg"), now: Self.created.addingTimeInterval(3600), giveUpAfter: 3600, accounts: Self.accounts)
        guard case .giveUp = old else { Issue.record("expected giveUp, got \(old)"); return }
    }

    @Test func onlyUpstream4xxOtherThan429_settlesAPurchaseAsFailed() {
        let source = SourceID(provider: "bce", account: "prod", region: "bj")
        func e(_ kind: BCEError.Kind, _ status: Int?) -> BCEError {
            BCEError(kind: kind, source: source, operation: "create", status: status, message: "x")
        }
        #expect(BCEProvider.isDefiniteRejection(e(.service, 403)))
        #expect(!BCEProvider.isDefiniteRejection(e(.service, 429)))
        #expect(!BCEProvider.isDefiniteRejection(e(.service, 503)))
        #expect(!BCEProvider.isDefiniteRejection(e(.timeout, nil)))
        #expect(!BCEProvider.isDefiniteRejection(e(.circuitOpen, nil)))
    }
}
