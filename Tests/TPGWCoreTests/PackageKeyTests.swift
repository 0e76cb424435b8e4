import Testing
@testable import TPGWCore

@Suite struct PackageKeyTests {
    @Test(arguments: ["tp-87V5cnkwqO", "\u{1AE2}etp-6f03675a", "\u{301}x", "tp-é", "tp-😀"])
    func description_roundTrips_evenWhenTheIDStartsWithACombiningMark(_ id: String) {
        let key = PackageKey(provider: "bce", account: "prod", region: "bj", id: id)
        #expect(PackageKey(key.description) == key)
    }

    @Test(arguments: ["bce:prod:bj", "bce:prod:bj:tp:x", "bce::bj:tp", ":prod:bj:tp", "bce:prod:bj:"])
    func malformedKeys_areRejected(_ text: String) {
        #expect(PackageKey(text) == nil)
    }
}
