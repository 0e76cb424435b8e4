/// What happened when a request was sent: an HTTP response, or no response at all.
package enum DeliveryResult: Sendable, Equatable {
    case response(status: Int, headers: [OutgoingRequest.Header], body: [UInt8])
    case timedOut
    /// DNS, connect, TLS or a dropped connection; `reason` must be secret-free (no URL query).
    case connectionFailed(reason: String)
    /// Not sent: the address the URL resolved to is not allowed (`webhookAllowedNetworks`). No excerpt, no status.
    case refused(reason: String)
}
