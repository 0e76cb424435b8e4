import Foundation
import TPGWCore

/// Applies silences and acknowledgements to one pass's output. Pure: the silences, the alerts and `now` are
/// passed in.
///
/// | alert | result |
/// |---|---|
/// | an event's alert matches an active silence | event withheld; the alert is marked `silencedBy` |
/// | `.repeat` of an acknowledged alert | withheld (an escalation or resolution clears the acknowledgement and is sent) |
/// | firing, marked silenced, no silence matches any more | notifies at once (`.firing`, urgent: no group wait) |
/// | firing, not marked, a silence matches | marked (so lists and the status page show it), nothing sent |
package enum AlertMuting {
    package static func apply(
        _ out: inout AlertPass.Output, existing: StoredAlerts, budgets: [String: Budget], silences: [Silence], now: Date
    ) {
        var writeIndex: [Fingerprint: Int] = [:]
        for (i, state) in out.writes.enumerated() { writeIndex[state.fingerprint] = i }
        func current(_ fp: Fingerprint) -> AlertState? {
            if let i = writeIndex[fp] { return out.writes[i] }
            return existing[fp]
        }
        func write(_ state: AlertState) {
            if let i = writeIndex[state.fingerprint] {
                out.writes[i] = state
            } else {
                writeIndex[state.fingerprint] = out.writes.count
                out.writes.append(state)
            }
        }
        let active = silences.filter { $0.isActive(at: now) }

        // 1. Events: silenced ones are withheld, repeats of acknowledged alerts too.
        var kept: [(event: AlertEvent, channels: [String])] = []
        kept.reserveCapacity(out.events.count)
        for (event, channels) in out.events {
            let a = event.alert
            if let silence = Silence.muting(active, budgetID: a.budgetID, kind: a.kind, subject: a.subject, now: now) {
                if var state = current(a.fingerprint), state.status == .firing, state.silencedBy != silence.id {
                    state.silencedBy = silence.id
                    write(state)
                }
                continue
            }
            if event.kind == .repeat, current(a.fingerprint)?.acknowledgement != nil { continue }
            kept.append((event, channels))
        }
        out.events = kept

        // 2. Firing alerts whose silence began or ended without an event this pass.
        // With no silence active only alerts still marked silenced can change (most passes: none to look at).
        func mayChange(_ state: AlertState) -> Bool { state.status == .firing && (!active.isEmpty || state.silencedBy != nil) }
        var firing: [AlertState] = []
        let stored = active.isEmpty ? Array(existing.silenced) : Array(existing.firingFingerprints)
        for fingerprint in stored where writeIndex[fingerprint] == nil {
            if let state = existing[fingerprint], mayChange(state) { firing.append(state) }
        }
        for state in out.writes where mayChange(state) { firing.append(state) }
        for var state in firing {
            let silence = Silence.muting(active, budgetID: state.budgetID, kind: state.kind, subject: state.subject, now: now)
            if let silence {
                if state.silencedBy != silence.id {
                    state.silencedBy = silence.id
                    write(state)
                }
            } else if state.silencedBy != nil {
                state.silencedBy = nil
                state.lastNotifiedAt = now
                state.notifications += 1
                state.updatedAt = now
                write(state)
                guard let budget = budgets[state.budgetID] else { continue }
                out.events.append((AlertEvent(kind: .firing, alert: state, at: now), budget.channels))
                out.urgent.insert(state.fingerprint)
            }
        }
    }
}
