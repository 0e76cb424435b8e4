import Foundation
import TPGWCore
import TPGWHTTPClient

/// Where a channel may send: checks a URL's host against the network policy when a channel is created or changed.
/// The same policy is applied again to the address actually connected at every send (`DeliverySender`), so a
/// name that later resolves elsewhere (DNS rebinding) is still refused.
enum WebhookTarget {
    /// nil when the URL may be used; otherwise why not (for a 422 field error). A host that does not resolve now is
    /// accepted (the send-time check still applies).
    static func refusal(url: String, policy: NetworkPolicy) async -> String? {
        guard let host = URLComponents(string: url)?.host, !host.isEmpty else { return "must name a host" }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        for ip in await HostResolver.resolve(bare) {
            if let range = policy.refusal(ip) { return refusalMessage(range: range) }
        }
        return nil
    }

    /// Names the blocked range, never the address (the answer must not map an internal network).
    static func refusalMessage(range: String) -> String {
        "refused: the host resolves to a \(range) address; an operator can allow it with webhookAllowedNetworks"
    }
}
