import Foundation
import Testing
import TPGWCore
@testable import TPGWBCE

/// The worked example of Baidu's "Generate Authentication String" reference
/// (https://intl.cloud.baidu.com/doc/Reference/s/njwvz1yfu-en), whose result is shown on
/// "Include the Authentication String into the Header" (https://intl.cloud.baidu.com/doc/Reference/s/Gjwvz1xez-en).
/// The expected Authorization is copied from that page, not computed by us. The page's signedHeaders
/// field is empty, so the default header set is signed.
enum BCEDocExample {
    static let credentials = BCECredentials(accessKeyID: String(repeating: "a", count: 32), secretAccessKey: String(repeating: "b", count: 32))
    static let path = "/v1/test/myfolder/readme.txt"
    static let query = [("partNumber", "9"), ("uploadId", "a44cc9bab11cbd156984767aad637851")]
    static let headers = [
        ("Host", "bj.bcebos.com"), ("Date", "Mon, 27 Apr 2015 16:23:49 +0800"), ("Content-Type", "text/plain"),
        ("Content-Length", "8"), ("Content-Md5", "NFzcPqhviddjRNnSOGo4rw=="), ("x-bce-date", "2015-04-27T08:23:49Z"),
    ]
    static let timestamp = "2015-04-27T08:23:49Z"
    static let expectedAuthorization =
        "bce-auth-v1/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/2015-04-27T08:23:49Z/1800//d74a04362e6a848f5b39b15421cb449427f419c95a480fd6b8cf9fc783e2999e"
}

/// One vector made by the official Python SDK (Tests/python/gen_signer_vectors.py).
struct SDKVector: Decodable, CustomTestStringConvertible, Sendable {
    var name: String
    var method: String
    var path: String
    var query: [[String]]
    var headers: [[String]]
    var signedHeaders: [String]?
    var timestamp: String
    var expiration: Int
    var authorization: String
    var testDescription: String { name }
}

struct SDKVectorFile: Decodable {
    var accessKeyID: String
    var secretAccessKey: String
    var vectors: [SDKVector]

    static let shared: SDKVectorFile = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/signer-vectors.json")
        // swiftlint:disable:next force_try
        return try! JSONDecoder().decode(SDKVectorFile.self, from: Data(contentsOf: url))
    }()
}

@Suite struct BCESignerTests {
    @Test func authorization_matchesBCEDocumentationExample() {
        let signer = BCESigner(credentials: BCEDocExample.credentials)
        let auth = signer.authorization(
            method: "PUT", path: BCEDocExample.path, query: BCEDocExample.query, headers: BCEDocExample.headers,
            signedHeaders: nil, timestamp: BCEDocExample.timestamp, expiration: 1800)
        #expect(auth == BCEDocExample.expectedAuthorization)
    }

    @Test func canonicalRequest_ofDocumentationExample_listsDefaultHeadersEncodedAndSorted() {
        let canonical = BCESigner.canonicalRequest(
            method: "PUT", path: BCEDocExample.path, query: BCEDocExample.query, headers: BCEDocExample.headers, signedHeaders: nil)
        #expect(canonical == """
            PUT
            /v1/test/myfolder/readme.txt
            partNumber=9&uploadId=a44cc9bab11cbd156984767aad637851
            content-length:8
            content-md5:NFzcPqhviddjRNnSOGo4rw%3D%3D
            content-type:text%2Fplain
            host:bj.bcebos.com
            x-bce-date:2015-04-27T08%3A23%3A49Z
            """)
    }

    /// The CanonicalQueryString and CanonicalURI examples of the same reference page.
    @Test func canonicalQueryAndURI_matchDocumentationExamples() {
        #expect(BCESigner.canonicalQuery([("text", ""), ("text1", "测试"), ("text10", "test")]) == "text10=test&text1=%E6%B5%8B%E8%AF%95&text=")
        #expect(BCESigner.canonicalURI("/example/测试") == "/example/%E6%B5%8B%E8%AF%95")
    }

    @Test func canonicalQuery_dropsAuthorizationParameter() {
        #expect(BCESigner.canonicalQuery([("authorization", "x"), ("a", "1")]) == "a=1")
    }

    @Test(arguments: SDKVectorFile.shared.vectors)
    func authorization_matchesOfficialPythonSDK(_ v: SDKVector) {
        let file = SDKVectorFile.shared
        let signer = BCESigner(credentials: BCECredentials(accessKeyID: file.accessKeyID, secretAccessKey: file.secretAccessKey))
        let auth = signer.authorization(
            method: v.method, path: v.path, query: v.query.map { ($0[0], $0[1]) }, headers: v.headers.map { ($0[0], $0[1]) },
            signedHeaders: v.signedHeaders, timestamp: v.timestamp, expiration: v.expiration)
        #expect(auth == v.authorization)
    }

    @Test func sdkVectors_coverTheRequiredCases() {
        let names = Set(SDKVectorFile.shared.vectors.map(\.name))
        #expect(names.isSuperset(of: ["query_space_slash_plus_equals_tilde", "query_non_ascii", "query_empty_values", "list_filters_several", "create_post"]))
    }

    @Test func signedHeaders_alwaysSignHostAndDate_sorted() {
        let signer = BCESigner(credentials: .init(accessKeyID: "ak", secretAccessKey: "sk"))
        let headers = signer.signedHeaders(
            method: "GET", host: "eip.bj.baidubce.com", path: "/v1/eiptp", query: [], date: Date(timeIntervalSince1970: 1_700_000_000))
        let auth = headers.first { $0.0 == "Authorization" }!.1
        #expect(auth.hasPrefix("bce-auth-v1/ak/2023-11-14T22:13:20Z/1800/host;x-bce-date/"))
        #expect(headers.contains { $0.0 == "x-bce-date" && $0.1 == "2023-11-14T22:13:20Z" })
    }

    @Test func credentials_descriptionRedactsSecret() {
        let c = BCECredentials(accessKeyID: "AKID", secretAccessKey: "TOPSECRET")
        #expect(!"\(c)".contains("TOPSECRET"))
        #expect(!String(reflecting: c).contains("TOPSECRET"))
        #expect("\(c)".contains("AKID"))
    }
}
