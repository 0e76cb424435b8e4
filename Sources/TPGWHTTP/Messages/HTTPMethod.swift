/// The request methods the server understands; anything else is answered with 501.
package enum HTTPMethod: String, Sendable, CaseIterable {
    case GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS
}
