import Testing
@testable import TPGWCore

@Suite struct CapacityTableTests {
    @Test(arguments: [("10G", Int64(10) << 30), ("5T", Int64(5) << 40), ("1P", Int64(1) << 50)])
    func parsesBinaryUnits(capacity: String, bytes: Int64) {
        #expect(CapacityTable.bytes(of: capacity) == bytes)
    }

    @Test(arguments: ["", "G", "10", "10K", "-5G", "0G", "99999999999P"])
    func rejectsMalformedCapacities(capacity: String) {
        #expect(CapacityTable.bytes(of: capacity) == nil)
    }

    @Test func validatesCapacityPerValidity() {
        #expect(CapacityTable.isValid(months: 1, capacity: "10G"))
        #expect(!CapacityTable.isValid(months: 6, capacity: "10G"))
        #expect(CapacityTable.isValid(months: 12, capacity: "1P"))
        #expect(!CapacityTable.isValid(months: 3, capacity: "1T"))
    }
}
