import Foundation
import TPGWCore
import Testing

@testable import TPGWGateway

/// The status page stays readable at any scale: the overview comes before the alerts, alerts are counted by budget
/// and kind with the 10 most urgent shown and the rest folded in `<details>` (no script), silenced and acknowledged
/// ones are marked. `TPGW_STATUS_PAGE_HTML_OUT=DIR` writes the small and large pages there (for the screenshots in
/// docs/, made by scripts/status-page-shots).
@Suite struct StatusPageScaleTests {
    static let now = Date(timeIntervalSince1970: 1_795_766_400)

    static func page(_ model: StatusPageModel) -> String {
        String(decoding: StatusPageRenderer.render(model, now: now), as: UTF8.self)
    }

    @Test func tenThousandAlerts_overviewFirst_tenShown_restFolded() throws {
        let model = StatusPageModel.large(now: Self.now)
        let html = Self.page(model)
        let positions = try ["<div class=\"chips\">", "<section id=\"regions\">", "<section id=\"pools\">", "<section id=\"alerts\">",
                             "<section id=\"packages\">"].map { try #require(html.range(of: $0)?.lowerBound, "\($0)") }
        #expect(positions == positions.sorted(), "overview before alerts before packages")
        #expect(html.contains("Firing alerts (10000)"))
        let alertsSection = String(html[positions[3]..<positions[4]])
        let details = try #require(alertsSection.range(of: "<details>"))
        let shown = alertsSection[..<details.lowerBound].components(separatedBy: "<div class=\"alert").count - 1
        #expect(shown == 10)
        let folded = alertsSection[details.lowerBound...].components(separatedBy: "<div class=\"alert").count - 1
        #expect(folded == StatusPageRenderer.foldedAlerts)
        #expect(alertsSection.contains("9990 more firing alerts"))
        #expect(alertsSection.contains("budget-0 · Package usage high"))
        #expect(alertsSection.contains(" silenced</span>"))
        #expect(alertsSection.contains(" acked</span>"))
        #expect(!html.lowercased().contains("<script"))
        // The page stays a sensible size (no 10,000 rows).
        #expect(html.utf8.count < 1_500_000)
        // Pools beyond the overview's nine are folded; a pool never read is unknown, not empty.
        #expect(html.contains("39 more pools"))
        #expect(html.contains("never read"))

        if let dir = ProcessInfo.processInfo.environment["TPGW_STATUS_PAGE_HTML_OUT"] {
            try Data(html.utf8).write(to: URL(fileURLWithPath: dir + "/large.html"))
            try Data(Self.page(.sample(now: Self.now)).utf8).write(to: URL(fileURLWithPath: dir + "/small.html"))
        }
    }

    @Test func mostUrgent_isCriticalThenUnmutedThenOldest() {
        let a = StatusPageModel.Alert(title: "a", subject: "s", since: Self.now, severity: .critical, silenced: true)
        let b = StatusPageModel.Alert(title: "b", subject: "s", since: Self.now, severity: .critical)
        let c = StatusPageModel.Alert(title: "c", subject: "s", since: Self.now - 60, severity: .warning)
        #expect([a, b, c].sorted(by: StatusPageRenderer.moreUrgent).map(\.title) == ["b", "a", "c"])
        var html = HTMLBuffer(reservingCapacity: 256)
        StatusPageRenderer.writeAlert(a, now: Self.now, into: &html)
        #expect(String(decoding: html.bytes, as: UTF8.self).contains(">silenced</span>"))
    }
}
