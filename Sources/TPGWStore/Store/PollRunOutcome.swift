/// How a recorded poll of a source ended (`poll_runs.outcome`).
package enum PollRunOutcome: String, Sendable, Equatable {
    case ok, readFailed, writeFailed
}
