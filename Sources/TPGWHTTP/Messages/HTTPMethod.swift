/// The request methods of RFC 9110 the server recognises (CONNECT aside: no tunnels); a route that lacks one
/// answers 405 with `Allow`. An unrecognised method is answered with 501.
package enum HTTPMethod: String, Sendable, CaseIterable {
    case GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, TRACE
}
