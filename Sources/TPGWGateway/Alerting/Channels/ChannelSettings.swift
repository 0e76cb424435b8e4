import Foundation
import TPGWHTTPClient

/// What a formatter needs to know about a channel. `description` never shows the secret or the URL's query.
package struct ChannelSettings: Sendable, Equatable, CustomStringConvertible {
    package enum Language: String, Sendable, Codable, CaseIterable {
        case zh
        case en
    }

    package var format: ChannelFormat
    /// Full target URL, often carrying a token in its query (never logged).
    package var url: String
    /// Signing secret (json HMAC, DingTalk `sign`, Feishu signature); nil or empty: unsigned.
    package var secret: String?
    package var language: Language
    /// tpgw's public base URL for links (`{publicURL}/#pkg-{key}`); nil: no links.
    package var publicURL: String?
    /// Alertmanager: how long a firing alert stays valid without being sent again (should exceed the repeat interval).
    package var alertmanagerValidity: TimeInterval

    package init(
        format: ChannelFormat, url: String, secret: String? = nil, language: Language = .en, publicURL: String? = nil,
        alertmanagerValidity: TimeInterval = 25 * 3600
    ) {
        self.format = format
        self.url = url
        self.secret = secret
        self.language = language
        self.publicURL = publicURL
        self.alertmanagerValidity = alertmanagerValidity
    }

    /// The secret when one is set and not empty.
    var signingSecret: String? { secret.flatMap { $0.isEmpty ? nil : $0 } }

    package var description: String {
        "ChannelSettings(format: \(format.rawValue), url: \(RedactedURL.redact(url)), secret: \(signingSecret == nil ? "none" : "***"), language: \(language.rawValue))"
    }
}
