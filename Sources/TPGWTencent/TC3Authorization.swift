import Foundation

/// The parts of a `TC3-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header.
package struct TC3Authorization: Sendable, Equatable {
    package var secretID: String
    package var date: String
    package var service: String
    /// Lower-case names in the order given.
    package var signedHeaders: [String]
    package var signature: String

    package init(secretID: String, date: String, service: String, signedHeaders: [String], signature: String) {
        self.secretID = secretID
        self.date = date
        self.service = service
        self.signedHeaders = signedHeaders
        self.signature = signature
    }

    /// Parses a header value; nil when it is not a well-formed TC3 authorization.
    package init?(_ header: String) {
        let prefix = TC3Signer.algorithm + " "
        guard header.hasPrefix(prefix) else { return nil }
        var fields: [String: String] = [:]
        for part in header.dropFirst(prefix.count).split(separator: ",") {
            let item = part.trimmingCharacters(in: .whitespaces)
            guard let eq = item.firstIndex(of: "=") else { return nil }
            fields[String(item[..<eq])] = String(item[item.index(after: eq)...])
        }
        guard let credential = fields["Credential"], let signed = fields["SignedHeaders"], let signature = fields["Signature"] else {
            return nil
        }
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false)
        guard scope.count == 4, scope[3] == "tc3_request", !scope[0].isEmpty, !signed.isEmpty, !signature.isEmpty else { return nil }
        self.init(
            secretID: String(scope[0]), date: String(scope[1]), service: String(scope[2]),
            signedHeaders: signed.split(separator: ";").map { $0.lowercased() }, signature: signature)
    }

    package var headerValue: String {
        "\(TC3Signer.algorithm) Credential=\(secretID)/\(date)/\(service)/tc3_request, SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
    }
}
