import Dispatch

/// Pure CPU work spread over every core without holding the cooperative pool: ``offPool(_:)`` runs the work on a
/// global dispatch queue and the calling task only awaits; inside it, ``map(_:_:)`` fans out with
/// `DispatchQueue.concurrentPerform` (which blocks only that dispatch thread while the others help).
enum ParallelWork {
    /// Runs `body` on a global dispatch queue and resumes with its result.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: body()) }
        }
    }

    /// `[body(0), ..., body(n - 1)]`, computed concurrently. Call it only off the cooperative pool (inside ``offPool(_:)``).
    static func map<T>(_ n: Int, _ body: (Int) -> T) -> [T] {
        guard n > 1 else { return n == 1 ? [body(0)] : [] }
        var out = [T?](repeating: nil, count: n)
        out.withUnsafeMutableBufferPointer { buffer in
            // Each iteration writes its own slot; `body` runs concurrently with itself (callers pass pure work).
            nonisolated(unsafe) let slots = buffer
            nonisolated(unsafe) let work = body
            DispatchQueue.concurrentPerform(iterations: n) { i in slots[i] = work(i) }
        }
        return out.map { $0! }
    }
}
