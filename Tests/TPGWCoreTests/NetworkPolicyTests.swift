import Testing
@testable import TPGWCore

@Suite struct NetworkPolicyTests {
    @Test(arguments: [
        ("10.0.0.1", "10.0.0.1"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"), ("::1", "::1"), ("::", "::"),
        ("fe80::1", "fe80::1"), ("2001:db8::8:800:200c:417a", "2001:db8::8:800:200c:417a"), ("::ffff:10.1.2.3", "::ffff:a01:203"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"), ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
    ])
    func ipAddress_parsesAndPrintsCanonically(_ text: String, _ printed: String) throws {
        #expect(try #require(IPAddress(text)).description == printed)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "::1::", "1:2:3:4:5:6:7:8:9", "12345::", "g::1",
                      "[::1]", "fe80::1%eth0", "1.2.3.4/8", " 1.2.3.4", ":::", "1:2:3:4:5:6:7::8:9"])
    func ipAddress_refusesMalformedText(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test(arguments: [
        ("127.0.0.1", "loopback"), ("127.255.0.9", "loopback"), ("169.254.169.254", "link-local"), ("10.0.0.1", "private (RFC 1918)"),
        ("172.16.0.1", "private (RFC 1918)"), ("172.31.255.255", "private (RFC 1918)"), ("192.168.0.1", "private (RFC 1918)"),
        ("100.64.0.1", "shared (CGNAT)"), ("100.127.255.255", "shared (CGNAT)"), ("0.0.0.0", "unspecified"), ("::", "unspecified"),
        ("::1", "loopback"), ("fd00::1", "unique-local"), ("fc00::1", "unique-local"), ("fe80::1", "link-local"),
        ("::ffff:127.0.0.1", "loopback"), ("::ffff:169.254.169.254", "link-local"), ("64:ff9b::10.0.0.1", "private (RFC 1918)"),
        ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ])
    func defaultPolicy_refusesInternalAddresses(_ text: String, _ range: String) throws {
        #expect(NetworkPolicy().refusal(try #require(IPAddress(text))) == range)
    }

    @Test(arguments: ["8.8.8.8", "203.0.113.10", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8", "172.15.255.255"])
    func defaultPolicy_allowsPublicAddresses(_ text: String) throws {
        #expect(NetworkPolicy().refusal(try #require(IPAddress(text))) == nil)
    }

    @Test func allowedNetworks_openOnlyWhatTheyName() throws {
        let (policy, invalid) = NetworkPolicy.parse(["10.0.0.0/8", "fd00::/8", "not-a-cidr", "10.0.0.0/33"])
        #expect(invalid == ["not-a-cidr", "10.0.0.0/33"])
        #expect(policy.refusal(try #require(IPAddress("10.2.3.4"))) == nil)
        #expect(policy.refusal(try #require(IPAddress("::ffff:10.2.3.4"))) == nil)
        #expect(policy.refusal(try #require(IPAddress("fd12::1"))) == nil)
        #expect(policy.refusal(try #require(IPAddress("192.168.1.1"))) == "private (RFC 1918)")
        #expect(policy.refusal(try #require(IPAddress("127.0.0.1"))) == "loopback")
    }

    @Test(arguments: [("10.0.0.0/8", "10.255.1.1", true), ("10.0.0.0/8", "11.0.0.1", false), ("0.0.0.0/0", "8.8.8.8", true),
                      ("192.168.1.7/32", "192.168.1.7", true), ("192.168.1.7/32", "192.168.1.8", false), ("172.16.0.0/12", "172.31.0.1", true),
                      ("fe80::/10", "febf::1", true), ("fe80::/10", "fec0::1", false), ("10.0.0.0/8", "::1", false)])
    func cidr_containsExactlyItsAddresses(_ cidr: String, _ ip: String, _ inside: Bool) throws {
        #expect(try #require(IPNetwork(cidr)).contains(try #require(IPAddress(ip))) == inside)
    }
}
