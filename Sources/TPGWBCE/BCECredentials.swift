/// A BCE access key pair. `description` never shows the secret.
package struct BCECredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    package var accessKeyID: String
    package var secretAccessKey: String

    package init(accessKeyID: String, secretAccessKey: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }

    package var description: String { "BCECredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>)" }
    package var debugDescription: String { description }
}
