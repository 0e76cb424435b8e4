import Foundation
import TPGWCore

/// The body of `POST /v1/silences`: `{matchers, startsAt?, endsAt, comment}` (times RFC 3339; `startsAt` absent
/// or null: now).
struct SilenceRequest: Sendable {
    var matchers: SilenceMatchers
    var startsAt: Date
    var endsAt: Date
    var comment: String

    static let allowed: Set<String> = ["matchers", "startsAt", "endsAt", "comment"]

    /// Parses and validates at `now`; every problem is one field error (422); malformed JSON is 400.
    static func decode(_ body: [UInt8], now: Date, createdBy: String) throws -> Silence {
        guard let value = try? JSONValue.parse(body), let object = value.objectValue else {
            throw AppError(.invalidArgument, "The body is not a JSON object.")
        }
        var errors: [AppError.FieldError] = []
        for key in object.keys.sorted() where !allowed.contains(key) { errors.append(.init(field: key, message: "unknown field")) }
        var matchers = SilenceMatchers()
        if let m = object["matchers"], m.objectValue != nil {
            do {
                matchers = try JSONDecoder().decode(SilenceMatchers.self, from: JSONEncoder().encode(m))
            } catch let error as DecodingError {
                let field = DecodingFieldError.make(error)
                errors.append(.init(field: "matchers" + (field.map { "." + $0.field } ?? ""), message: field?.message ?? "is invalid"))
            } catch {
                errors.append(.init(field: "matchers", message: "is invalid"))
            }
        } else {
            errors.append(.init(field: "matchers", message: object["matchers"] == nil ? "is required" : "must be an object"))
        }
        func time(_ key: String, required: Bool) -> Date? {
            guard let v = object[key], v != .null else {
                if required { errors.append(.init(field: key, message: "is required")) }
                return nil
            }
            guard let s = v.stringValue, let d = RFC3339.parse(s) else {
                errors.append(.init(field: key, message: "must be an RFC 3339 time"))
                return nil
            }
            return d
        }
        // Whole milliseconds: the database keeps microseconds, and a start a fraction after `now` would read "pending".
        let startsAt = time("startsAt", required: false) ?? Date(timeIntervalSince1970: (now.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        let endsAt = time("endsAt", required: true)
        var comment = ""
        if let c = object["comment"]?.stringValue { comment = c } else {
            errors.append(.init(field: "comment", message: object["comment"] == nil ? "is required" : "must be a string"))
        }
        guard errors.isEmpty, let endsAt else { throw AppError(.validationFailed, "The silence is invalid.", fieldErrors: errors) }
        let silence = Silence(
            id: "sil_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased(), matchers: matchers,
            startsAt: startsAt, endsAt: endsAt, comment: comment, createdBy: createdBy)
        let problems = silence.validate(now: now)
        guard problems.isEmpty else { throw AppError(.validationFailed, "The silence is invalid.", fieldErrors: problems) }
        return silence
    }
}
