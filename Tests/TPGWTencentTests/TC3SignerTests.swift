import Foundation
import Testing
import TPGWCrypto
@testable import TPGWTencent

/// The worked example of docs/tencent-vpc-tp.md ("Signing: TC3-HMAC-SHA256"), whose values were computed with
/// Tencent's own SDK signing code: copied here, not computed by us.
enum TC3DocExample {
    static let credentials = TencentCredentials(secretID: "AKIDEXAMPLEtpgwDocs0000000000000000", secretKey: "ExampleSecretKeyForDocsOnly000000")
    static let host = "vpc.tencentcloudapi.com"
    static let body = Array(#"{"Offset":0,"Limit":100}"#.utf8)
    static let timestamp: Int64 = 1_767_225_600
    static let hashedPayload = "8e9f84ce12cebd98f4dea0839b216036b91d812074471e001dfd9239976ee5db"
    static let canonicalRequestHash = "803c7711f8983139ddc4f60e479ac6ce22502a2bc510f380d49e2439de31ca38"
    static let secretDate = "7c2577e8647c1680b2ed72b29192e535da44465c88da3b0077913eb44948c4b1"
    static let secretService = "1cbbba7c4ee15259f77cac73f6e4e591d6e562fd64baeec0072391b2c439b4d4"
    static let secretSigning = "41b3c3e3e75a608e78be9e199caa635f8d8c2d587466dd6bd3c67f131bf57dfa"
    static let signature = "e4c03eba2d11621336361bf5f197d883d5c870ca8ce66f048784461cb8b04111"
    static let authorization =
        "TC3-HMAC-SHA256 Credential=AKIDEXAMPLEtpgwDocs0000000000000000/2026-01-01/vpc/tc3_request, SignedHeaders=content-type;host, Signature=e4c03eba2d11621336361bf5f197d883d5c870ca8ce66f048784461cb8b04111"
}

/// One vector made by the official Python SDK (Tests/python/tencent/gen_tc3_vectors.py).
struct TC3Vector: Decodable, CustomTestStringConvertible, Sendable {
    var name: String
    var method: String
    var host: String
    var contentType: String
    var action: String
    var region: String
    var timestamp: Int64
    var query: String
    var body: String
    var authorization: String
    var testDescription: String { name }
}

struct TC3VectorFile: Decodable {
    var sdk: String
    var secretId: String
    var secretKey: String
    var vectors: [TC3Vector]

    static let shared: TC3VectorFile = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tc3-vectors.json")
        // swiftlint:disable:next force_try
        return try! JSONDecoder().decode(TC3VectorFile.self, from: Data(contentsOf: url))
    }()
}

@Suite struct TC3SignerTests {
    let signer = TC3Signer(credentials: TC3DocExample.credentials)

    @Test func authorization_matchesDocumentationWorkedExample() {
        let auth = signer.authorization(
            method: "POST", host: TC3DocExample.host, contentType: "application/json", query: "", body: TC3DocExample.body,
            timestamp: TC3DocExample.timestamp)
        #expect(auth == TC3DocExample.authorization)
    }

    @Test func everyIntermediateStep_matchesDocumentationWorkedExample() {
        #expect(TC3DocExample.body.count == 24)
        #expect(TC3Signer.hashedPayload(TC3DocExample.body) == TC3DocExample.hashedPayload)
        let canonical = TC3Signer.canonicalRequest(
            method: "POST", canonicalQuery: "", headers: [("Content-Type", "application/json"), ("Host", TC3DocExample.host)],
            signedHeaders: ["content-type", "host"], hashedPayload: TC3DocExample.hashedPayload)
        #expect(canonical == "POST\n/\n\ncontent-type:application/json\nhost:vpc.tencentcloudapi.com\n\ncontent-type;host\n" + TC3DocExample.hashedPayload)
        #expect(Crypto.sha256(canonical).hexString == TC3DocExample.canonicalRequestHash)
        let date = TC3Signer.date(timestamp: TC3DocExample.timestamp)
        #expect(date == "2026-01-01")
        let sts = TC3Signer.stringToSign(
            timestamp: TC3DocExample.timestamp, credentialScope: TC3Signer.credentialScope(date: date, service: "vpc"), canonicalRequest: canonical)
        #expect(sts == "TC3-HMAC-SHA256\n1767225600\n2026-01-01/vpc/tc3_request\n" + TC3DocExample.canonicalRequestHash)
        let keys = signer.keyChain(date: date)
        #expect(keys.secretDate.hexString == TC3DocExample.secretDate)
        #expect(keys.secretService.hexString == TC3DocExample.secretService)
        #expect(keys.secretSigning.hexString == TC3DocExample.secretSigning)
        #expect(signer.signature(stringToSign: sts, date: date) == TC3DocExample.signature)
    }

    /// Extra vector 1: one second earlier is still 2025-12-31 in UTC (08:00 Beijing is the day boundary).
    @Test func scopeDate_isUTCDateOfTimestamp_matchesDocumentationVectorAtYearBoundary() {
        #expect(TC3Signer.date(timestamp: 1_767_225_599) == "2025-12-31")
        let auth = signer.authorization(
            method: "POST", host: TC3DocExample.host, contentType: "application/json", query: "", body: TC3DocExample.body, timestamp: 1_767_225_599)
        #expect(auth.hasSuffix("Signature=efc47d8378a59e71f28ead1ac3e67e72e7108362cf3724389a97f8de467e2882"))
        #expect(auth.contains("Credential=AKIDEXAMPLEtpgwDocs0000000000000000/2025-12-31/vpc/tc3_request"))
    }

    /// Extra vector 2: a GET signs the query string as sent and the hash of the empty body.
    @Test func getRequest_signsQueryAndEmptyPayload_matchesDocumentationVector() {
        let auth = signer.authorization(
            method: "GET", host: TC3DocExample.host, contentType: "application/x-www-form-urlencoded",
            query: "Filters.0.Name=status&Filters.0.Values.0=AVAILABLE&Limit=100&Offset=0", body: [], timestamp: TC3DocExample.timestamp)
        #expect(auth.hasSuffix("Signature=e2bd950212142b30c698b4e6afc44ed47ed521103393a16a34d643e39fff2516"))
    }

    @Test(arguments: TC3VectorFile.shared.vectors)
    func authorization_matchesOfficialPythonSDK(_ v: TC3Vector) {
        let file = TC3VectorFile.shared
        let signer = TC3Signer(credentials: TencentCredentials(secretID: file.secretId, secretKey: file.secretKey))
        let auth = signer.authorization(
            method: v.method, host: v.host, contentType: v.contentType, query: v.query, body: Array(v.body.utf8), timestamp: v.timestamp)
        #expect(auth == v.authorization)
    }

    @Test func vectorFile_coversPostGetAndBothSidesOfTheUTCDay() {
        let v = TC3VectorFile.shared.vectors
        #expect(v.count >= 10)
        #expect(Set(v.map(\.method)) == ["POST", "GET"])
        #expect(Set(v.map { TC3Signer.date(timestamp: $0.timestamp) }).count >= 3)
    }

    @Test func signingMoreHeaders_listsThemSortedAndLowerCasesValues() {
        let auth = signer.authorization(
            method: "POST", host: TC3DocExample.host, contentType: "application/json", query: "", body: TC3DocExample.body,
            timestamp: TC3DocExample.timestamp, extraHeaders: [("X-TC-Action", "DescribeTrafficPackages")])
        let parsed = TC3Authorization(auth)
        #expect(parsed?.signedHeaders == ["content-type", "host", "x-tc-action"])
        let canonical = TC3Signer.canonicalRequest(
            method: "POST", canonicalQuery: "", headers: [("X-TC-Action", " DescribeTrafficPackages "), ("Content-Type", "application/json"), ("Host", "h")],
            signedHeaders: ["x-tc-action", "host", "content-type"], hashedPayload: "p")
        #expect(canonical == "POST\n/\n\ncontent-type:application/json\nhost:h\nx-tc-action:describetrafficpackages\n\ncontent-type;host;x-tc-action\np")
    }

    @Test func authorizationHeader_roundTripsThroughParser() {
        let parsed = TC3Authorization(TC3DocExample.authorization)
        #expect(parsed == TC3Authorization(
            secretID: "AKIDEXAMPLEtpgwDocs0000000000000000", date: "2026-01-01", service: "vpc", signedHeaders: ["content-type", "host"],
            signature: TC3DocExample.signature))
        #expect(parsed?.headerValue == TC3DocExample.authorization)
    }

    @Test(arguments: ["", "Bearer x", "TC3-HMAC-SHA256 Credential=a/b/c, SignedHeaders=host, Signature=s",
                      "TC3-HMAC-SHA256 Credential=a/2026-01-01/vpc/tc3_request, Signature=s"])
    func malformedAuthorization_isRejectedByParser(_ header: String) {
        #expect(TC3Authorization(header) == nil)
    }

    @Test func credentialsDescription_hidesKeyAndToken() {
        let c = TencentCredentials(secretID: "AKIDvisible", secretKey: "SUPERSECRET", token: "TOKENSECRET")
        #expect(!c.description.contains("SUPERSECRET"))
        #expect(!c.description.contains("TOKENSECRET"))
        #expect(c.description.contains("AKIDvisible"))
    }
}
