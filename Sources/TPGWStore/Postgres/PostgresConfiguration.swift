import CLibPQ
import Foundation
import TPGWCore

/// How to reach PostgreSQL: a URL (`postgres://user:pw@host:5432/db?options=-csearch_path%3Dt_1`)
/// or a conninfo string (`host=... dbname=...`), plus session settings.
///
/// `description` never shows the password.
package struct PostgresConfiguration: Sendable, CustomStringConvertible {
    /// The URL or conninfo string, as given (`TPGW_DATABASE_URL`).
    package var url: String
    /// Applied with `SET statement_timeout` on every new connection; nil leaves the server default.
    package var statementTimeout: Duration?
    /// libpq `connect_timeout`, rounded to whole seconds (at least 1).
    package var connectTimeout: Duration
    /// Shown in `pg_stat_activity`.
    package var applicationName: String

    package init(url: String, statementTimeout: Duration? = .seconds(30), connectTimeout: Duration = .seconds(5), applicationName: String = "tpgw") {
        self.url = url
        self.statementTimeout = statementTimeout
        self.connectTimeout = connectTimeout
        self.applicationName = applicationName
    }

    /// Removes the password (and the URL's user-info password) from error text.
    var redactor: SecretMask { SecretMask(Self.passwords(in: url)) }

    package var description: String { redactor.apply(url) }

    /// Checks that libpq can parse the URL or conninfo; returns a safe message when it cannot.
    package func validate() -> String? {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &error) else {
            defer { if let error { PQfreemem(error) } }
            let text = error.map { String(cString: $0) } ?? "invalid database URL"
            return redactor.apply(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        PQconninfoFree(options)
        return nil
    }

    /// The password as libpq sees it, in raw and percent-encoded forms.
    static func passwords(in url: String) -> [String] {
        var found: [String] = []
        var error: UnsafeMutablePointer<CChar>?
        if let options = PQconninfoParse(url, &error) {
            var p = options
            while let keyword = p.pointee.keyword {
                if String(cString: keyword) == "password", let value = p.pointee.val {
                    let v = String(cString: value)
                    if !v.isEmpty { found.append(v) }
                }
                p = p.advanced(by: 1)
            }
            PQconninfoFree(options)
        }
        if let error { PQfreemem(error) }
        // The URL's user-info part, in case parsing failed or it is percent-encoded.
        if let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") {
            let userInfo = url[scheme.upperBound..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                let pw = String(userInfo[userInfo.index(after: colon)...])
                if !pw.isEmpty { found.append(pw) }
            }
        }
        return found
    }
}
