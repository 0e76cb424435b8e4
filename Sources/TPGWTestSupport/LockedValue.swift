import Synchronization

/// A mutable value shared between test tasks.
package final class LockedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    package init(_ value: Value) { mutex = Mutex(value) }
    package func withLock<R>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
    package var value: Value { mutex.withLock { $0 } }
}
