import Foundation
import TPGWCore

/// The body of `POST /v1/channels` and `PUT /v1/channels/{id}`: `{name, format, url, secret?, language?}`.
///
/// On `PUT`, an absent `url` or `secret` keeps the stored one (clients never see them whole, so they cannot
/// send them back); `"secret": null` or `""` removes the secret.
struct ChannelRequest: Sendable {
    var name: String
    var format: ChannelFormat
    var url: String?
    /// nil: keep (PUT) / none (POST); `.some(nil)`: remove.
    var secret: String??
    var language: ChannelSettings.Language

    static let allowed: Set<String> = ["name", "format", "url", "secret", "language"]

    /// Parses and validates; every problem is one field error (422); malformed JSON is 400.
    static func decode(_ body: [UInt8], requireURL: Bool) throws -> ChannelRequest {
        guard let value = try? JSONValue.parse(body), let object = value.objectValue else {
            throw AppError(.invalidArgument, "The body is not a JSON object.")
        }
        var errors: [AppError.FieldError] = []
        for key in object.keys.sorted() where !allowed.contains(key) { errors.append(.init(field: key, message: "unknown field")) }
        let name = object["name"]?.stringValue
        if let name {
            if Blank.isBlank(name) { errors.append(.init(field: "name", message: "must not be empty or only blanks")) }
            if name.unicodeScalars.count > 200 { errors.append(.init(field: "name", message: "must be at most 200 characters")) }
        } else {
            errors.append(.init(field: "name", message: object["name"] == nil ? "is required" : "must be a string"))
        }
        var format: ChannelFormat?
        if let raw = object["format"]?.stringValue {
            format = ChannelFormat(rawValue: raw)
            if format == nil {
                errors.append(.init(field: "format", message: "must be one of \(ChannelFormat.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        } else {
            errors.append(.init(field: "format", message: object["format"] == nil ? "is required" : "must be a string"))
        }
        var url: String?
        if let v = object["url"] {
            if let s = v.stringValue, let parsed = URL(string: s), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
               parsed.host?.isEmpty == false, s.unicodeScalars.count <= 2048 {
                url = s
            } else {
                errors.append(.init(field: "url", message: "must be an absolute http or https URL"))
            }
        } else if requireURL {
            errors.append(.init(field: "url", message: "is required"))
        }
        var secret: String??
        if let v = object["secret"] {
            if case .null = v {
                secret = .some(nil)
            } else if let s = v.stringValue {
                if s.unicodeScalars.count > 512 { errors.append(.init(field: "secret", message: "must be at most 512 characters")) }
                secret = .some(s.isEmpty ? nil : s)
            } else {
                errors.append(.init(field: "secret", message: "must be a string or null"))
            }
        }
        var language = ChannelSettings.Language.en
        if let v = object["language"] {
            if let s = v.stringValue, let l = ChannelSettings.Language(rawValue: s) { language = l } else {
                errors.append(.init(field: "language", message: "must be zh or en"))
            }
        }
        guard errors.isEmpty, let name, let format else { throw AppError(.validationFailed, "The channel is invalid.", fieldErrors: errors) }
        return ChannelRequest(name: name, format: format, url: url, secret: secret, language: language)
    }
}
