import Testing
@testable import TPGWCore

struct SecretMaskTests {
    @Test(arguments: [
        // A password in a libpq message, wherever it appears.
        (["s3cr3t"], "password authentication failed: s3cr3t (s3cr3t)", "password authentication failed: *** (***)"),
        // Short secrets given explicitly are masked too (a database password may be short).
        (["pw"], "user:pw@host", "user:***@host"),
        // Longest first: a secret containing another is masked whole.
        (["abc123", "abc123xyz"], "token abc123xyz and abc123", "token *** and ***"),
        // A Slack URL's token segment is masked even where the URL is not quoted whole.
        (["https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX"], "bad token XXXXXXXXXXXXXXXX", "bad token ***"),
        // A WeCom key in the query: the item and its value.
        (["https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"], "invalid key=693a91f6-7xxx", "invalid ***"),
        // Derived parts shorter than 6 characters are not masked (they would mask ordinary words).
        (["https://example.com/a/b?x=1"], "x=1 is fine", "x=1 is fine"),
        // Nothing to mask.
        ([], "plain text", "plain text"),
        ([""], "plain text", "plain text"),
    ])
    func masksKnownSecrets_andTheTokenPartsOfSecretURLs(secrets: [String], text: String, expected: String) {
        #expect(SecretMask(secrets).apply(text) == expected)
    }
}
