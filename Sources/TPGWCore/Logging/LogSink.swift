import Foundation
import Synchronization

/// One log record as handed to a sink.
package struct LogRecord: Sendable {
    package var time: Date
    package var level: LogLevel
    package var label: String
    package var message: String
    package var metadata: [String: String]
}

/// Where log records go. Production writes JSON lines to stderr; tests capture in memory.
package protocol LogSink: Sendable {
    func write(_ record: LogRecord)
}

/// Writes one JSON object per line to standard error.
package struct JSONLineLogSink: LogSink {
    package init() {}

    package func write(_ record: LogRecord) {
        var line = "{\"time\":\"" + RFC3339.format(record.time, fractional: true) + "\",\"level\":\"" + record.level.rawValue
        line += "\",\"logger\":" + JSONString.quote(record.label) + ",\"message\":" + JSONString.quote(record.message)
        for key in record.metadata.keys.sorted() {
            line += "," + JSONString.quote(key) + ":" + JSONString.quote(record.metadata[key]!)
        }
        line += "}\n"
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }
}

/// Keeps records in memory, for tests.
package final class MemoryLogSink: LogSink {
    private let storage = Mutex<[LogRecord]>([])
    package init() {}
    package func write(_ record: LogRecord) { storage.withLock { $0.append(record) } }
    package var records: [LogRecord] { storage.withLock { $0 } }
}

/// Discards everything.
package struct NullLogSink: LogSink {
    package init() {}
    package func write(_ record: LogRecord) {}
}
