import Foundation
import TPGWCore
import TPGWHTTPClient

/// Runs a ``GatewayQuery`` against a gateway's API and prints a table or the JSON.
///
/// Exit codes: 0 ok; 1 the gateway could not be reached or failed (5xx, not JSON); 2 the request was refused
/// (400, 404, 422: a usage problem); 3 the key is missing, unknown or lacks the scope (401, 403).
struct GatewayQueryRunner {
    let environment: [String: String]

    func run(_ query: GatewayQuery) async -> Int32 {
        let key: String
        switch readKey(query) {
        case .success(let k): key = k
        case .failure(let message):
            fail(message)
            return 3
        }
        let client = HTTPClient(configuration: .init(connectTimeout: .seconds(3), totalTimeout: .seconds(30), maxResponseSize: 256 << 20))
        let code = await fetchAndPrint(query, key: key, client: client)
        await client.shutdown()
        return code
    }

    private func fetchAndPrint(_ query: GatewayQuery, key: String, client: HTTPClient) async -> Int32 {
        var cursor: String?
        var items: [JSONValue] = []
        var firstBody: JSONValue = .null
        var pages: [JSONValue] = []
        repeat {
            let url = query.baseURL.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + query.target(cursor: cursor)
            let response: HTTPClientResponse
            do {
                var headers = [("Authorization", "Bearer \(key)"), ("Accept", "application/json")]
                if query.body != nil { headers.append(("Content-Type", "application/json")) }
                response = try await client.execute(HTTPClientRequest(
                    method: query.method, url: url, headers: headers.map { (name: $0.0, value: $0.1) }, body: query.body ?? []))
            } catch let error as HTTPClientError {
                fail("cannot reach the gateway at \(RedactedURL.redact(query.baseURL)): \(error.detail)")
                return 1
            } catch {
                fail("\(error)")
                return 1
            }
            let body = try? JSONValue.parse(response.body)
            guard (200..<300).contains(response.status) else {
                let detail = body?["detail"]?.stringValue ?? body?["title"]?.stringValue ?? "HTTP \(response.status)"
                let code = body?["code"]?.stringValue.map { " (\($0))" } ?? ""
                fail("\(query.path): \(detail)\(code)")
                for e in body?["errors"]?.arrayValue ?? [] {
                    fail("  \(e["field"]?.stringValue ?? "?"): \(e["message"]?.stringValue ?? "")")
                }
                switch response.status {
                case 401, 403: return 3
                case 400, 404, 405, 409, 422: return 2
                default: return 1
                }
            }
            guard let body else {
                fail("\(query.path): the gateway answered something that is not JSON")
                return 1
            }
            if pages.isEmpty { firstBody = body }
            pages.append(body)
            // One object (a silence added or ended) shows as a one-row list.
            items += body["items"]?.arrayValue ?? (query.isList || query.resource != .silences ? [] : [body])
            cursor = body["nextCursor"]?.stringValue
        } while cursor != nil && items.count < query.limit && query.isList
        items = Array(items.prefix(query.limit))

        switch query.output {
        case .json:
            var out = firstBody
            if case .object(var o) = firstBody, o["items"] != nil {
                o["items"] = .array(items)
                o["nextCursor"] = cursor.map { .string($0) } ?? .null
                out = .object(o)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: (try? encoder.encode(out)) ?? Data("null".utf8), as: UTF8.self))
        case .table:
            let colour = isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
            print(GatewayRenderer.render(query.resource, firstBody, items: items, now: Date(), colour: colour))
        }
        return 0
    }

    enum KeyResult { case success(String), failure(String) }

    /// The key from `--key-file` (first line), else `TPGW_API_KEY`.
    func readKey(_ query: GatewayQuery) -> KeyResult {
        if let path = query.keyFile {
            guard let data = FileManager.default.contents(atPath: path) else { return .failure("cannot read the key file \(path)") }
            let key = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)?
                .trimmingCharacters(in: .whitespaces) ?? ""
            return key.isEmpty ? .failure("the key file \(path) is empty") : .success(key)
        }
        if let key = environment["TPGW_API_KEY"], !key.isEmpty { return .success(key) }
        return .failure("no API key: pass --key-file FILE or set TPGW_API_KEY (create one with `tpgw keys create --name NAME --scope read`)")
    }

    func fail(_ message: String) {
        FileHandle.standardError.write(Data("tpgw: \(message)\n".utf8))
    }
}
