/// An error that knows how to render itself as a response. The router uses it as is; any other error becomes a 500.
package protocol HTTPResponseError: Error {
    func response(requestID: String) -> HTTPResponse
}
