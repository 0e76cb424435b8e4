import Foundation

/// A response as the tests look at it.
package struct Reply: Sendable {
    package let status: Int
    package let headers: [(name: String, value: String)]
    package let body: [UInt8]

    package init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    package var text: String { String(decoding: body, as: UTF8.self) }

    package func header(_ name: String) -> String? { headers.last { $0.name.lowercased() == name.lowercased() }?.value }

    /// The body as a JSON object (empty when it is not one).
    package var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:] }

    /// The problem+json `code`.
    package var code: String? { json["code"] as? String }
}
