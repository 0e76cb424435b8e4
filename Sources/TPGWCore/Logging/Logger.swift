import Foundation

/// A small value-type structured logger. Libraries take one in; only the app creates the root.
package struct Logger: Sendable {
    package var label: String
    package var level: LogLevel
    package var metadata: [String: String]
    package let sink: any LogSink

    package init(label: String, level: LogLevel = .info, metadata: [String: String] = [:], sink: any LogSink = JSONLineLogSink()) {
        self.label = label
        self.level = level
        self.metadata = metadata
        self.sink = sink
    }

    /// A logger that drops everything.
    package static var disabled: Logger { Logger(label: "disabled", level: .critical, sink: NullLogSink()) }

    /// A copy carrying extra metadata.
    package func with(_ extra: [String: String]) -> Logger {
        var copy = self
        copy.metadata.merge(extra) { _, new in new }
        return copy
    }

    package subscript(metadataKey key: String) -> String? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(_ level: LogLevel, _ message: @autoclosure () -> String, metadata extra: [String: String] = [:]) {
        guard level >= self.level else { return }
        var merged = metadata
        if !extra.isEmpty { merged.merge(extra) { _, new in new } }
        sink.write(LogRecord(time: Date(), level: level, label: label, message: message(), metadata: merged))
    }

    package func trace(_ message: @autoclosure () -> String, metadata: [String: String] = [:]) { log(.trace, message(), metadata: metadata) }
    package func debug(_ message: @autoclosure () -> String, metadata: [String: String] = [:]) { log(.debug, message(), metadata: metadata) }
    package func info(_ message: @autoclosure () -> String, metadata: [String: String] = [:]) { log(.info, message(), metadata: metadata) }
    package func notice(_ message: @autoclosure () -> String, metadata: [String: String] = [:]) { log(.notice, message(), metadata: metadata) }
    package func warning(_ message: @autoclosure () -> String, metadata: [String: String] = [:]) { log(.warning, message(), metadata: metadata) }
    package func error(_ message: @autoclosure () -> String, metadata: [String: String] = [:]) { log(.error, message(), metadata: metadata) }
}
