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

    /// The id rule both clouds' decoders apply: what passes round-trips through the key's text form.
    @Test(arguments: [("tp-87V5cnkwqO", true), ("é-ü", true), ("a:b", false), (":", false), ("a\u{0}b", false), ("a\nb", false),
                      ("a\u{7F}", false), ("", true)])
    func usableID_isExactlyWhatTheKeyCanCarry(_ id: String, _ usable: Bool) {
        #expect(PackageKey.isUsableID(id.utf8) == usable)
        if usable, !id.isEmpty {
            let key = PackageKey(provider: "tencent", account: "a", region: "ap-beijing", id: id)
            #expect(PackageKey(key.description) == key)
        }
    }
}
