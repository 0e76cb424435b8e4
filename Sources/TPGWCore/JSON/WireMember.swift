/// A top-level member of a small body (a create, price or error answer, a simulator's control body), as
/// `WireScanner.members` decodes it: strings unescaped, numbers as their literal text, anything else by its JSON
/// type name.
package enum WireMember: Equatable, Sendable {
    case string(String)
    case number(String)
    case other(typeName: String)

    /// The string, when this is one.
    package var stringValue: String? { if case .string(let s) = self { s } else { nil } }
}
