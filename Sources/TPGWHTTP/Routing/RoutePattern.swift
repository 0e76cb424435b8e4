/// A path template such as `/v1/packages/{key}`: literal segments and `{name}` parameters.
package struct RoutePattern: Sendable, Hashable, CustomStringConvertible {
    package enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter(String)
    }

    package let template: String
    package let segments: [Segment]

    /// Parses `template`; it must start with `/`. Parameter names must be unique.
    package init(_ template: String) {
        precondition(template.hasPrefix("/"), "route pattern must start with '/': \(template)")
        self.template = template
        var names = Set<String>()
        segments = RoutePattern.split(template).map { piece in
            if piece.hasPrefix("{") && piece.hasSuffix("}") && piece.count > 2 {
                let name = String(piece.dropFirst().dropLast())
                precondition(names.insert(name).inserted, "duplicate parameter {\(name)} in \(template)")
                return .parameter(name)
            }
            return .literal(String(piece))
        }
    }

    package var description: String { template }

    /// `/a/b/` → ["a", "b", ""]; `/` → [].
    package static func split(_ path: String) -> [Substring] {
        var pieces = path.split(separator: "/", omittingEmptySubsequences: false)
        if pieces.first == "" { pieces.removeFirst() }
        if pieces.count == 1 && pieces[0].isEmpty { return [] }
        return pieces
    }
}
