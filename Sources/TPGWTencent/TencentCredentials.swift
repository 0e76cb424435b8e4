/// A Tencent Cloud API key pair (`SecretId`/`SecretKey`), optionally with the session token of temporary
/// credentials. The description never shows the key or the token.
package struct TencentCredentials: Sendable, Equatable, CustomStringConvertible {
    package var secretID: String
    package var secretKey: String
    /// Sent as `X-TC-Token` when set (temporary credentials).
    package var token: String?

    package init(secretID: String, secretKey: String, token: String? = nil) {
        self.secretID = secretID
        self.secretKey = secretKey
        self.token = token
    }

    package var description: String { "TencentCredentials(\(secretID), secretKey: <redacted>\(token == nil ? "" : ", token: <redacted>"))" }
}
