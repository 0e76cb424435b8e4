import Foundation
import TPGWCore

extension Application {
    /// Keeps the status page's "firing alerts" list current: reads the firing alerts every `interval` (cheap: one
    /// indexed query of at most 100 rows) and hands them to the ops runtime.
    func feedFiringAlerts(interval: Duration = .seconds(10)) async {
        while !Task.isCancelled {
            do {
                let records = try await store.alerts(state: AlertState.Status.firing.rawValue, limit: 100)
                ops.setFiringAlerts(records.compactMap { record in
                    guard let alert = try? JSONDecoder().decode(AlertState.self, from: Data(record.body.utf8)) else { return nil }
                    return Self.statusPageAlert(alert)
                })
            } catch {
                logger.debug("cannot read firing alerts for the status page", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// A firing alert as the status page lists it: level 2 and up (an escalated threshold) is critical.
    static func statusPageAlert(_ alert: AlertState) -> StatusPageModel.Alert {
        StatusPageModel.Alert(
            title: "\(alert.budgetName): \(alert.summary)", subject: alert.subject.description, since: alert.startedAt,
            severity: alert.level >= 2 ? .critical : .warning)
    }
}
