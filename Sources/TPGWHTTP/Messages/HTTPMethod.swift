/// The request methods of RFC 9110 the server recognises, and `OTHER` for any other method token (QUERY, PROPFIND,
/// ...): a route that lacks the method answers 405 with `Allow`. A method that is not a token is a 400.
package enum HTTPMethod: String, Sendable, CaseIterable {
    case GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, TRACE
    /// Any other syntactically valid method; never routed.
    case OTHER
}
