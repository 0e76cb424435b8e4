import Foundation
import TPGWCore

/// The body of `POST /v1/alerts/{id}/ack`: `{"comment": "..."}` (1 to 1000 characters, not only blanks).
enum AckRequest {
    static func decode(_ body: [UInt8]) throws -> String {
        guard let value = try? JSONValue.parse(body), let object = value.objectValue else {
            throw AppError(.invalidArgument, "The body is not a JSON object.")
        }
        var errors: [AppError.FieldError] = []
        for key in object.keys.sorted() where key != "comment" { errors.append(.init(field: key, message: "unknown field")) }
        let comment = object["comment"]?.stringValue
        if let comment {
            if Blank.isBlank(comment) { errors.append(.init(field: "comment", message: "must not be empty or only blanks")) }
            if comment.unicodeScalars.count > 1000 { errors.append(.init(field: "comment", message: "must be at most 1000 characters")) }
        } else {
            errors.append(.init(field: "comment", message: object["comment"] == nil ? "is required" : "must be a string"))
        }
        guard errors.isEmpty, let comment else { throw AppError(.validationFailed, "The acknowledgement is invalid.", fieldErrors: errors) }
        return comment
    }
}
