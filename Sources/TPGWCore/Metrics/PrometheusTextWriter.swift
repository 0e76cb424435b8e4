/// Appends Prometheus text exposition format 0.0.4 into one growing byte buffer.
///
/// Everything the registry and the scrape-time collectors write goes through this type, so the
/// escaping and number formatting rules live in one place:
/// - label values escape `\` as `\\`, `"` as `\"` and a line feed as `\n`;
/// - `# HELP` text escapes `\` and line feeds (quotes stay as they are);
/// - values are `+Inf`, `-Inf`, `NaN`, plain integers when the value is integral (no exponent),
///   otherwise Swift's shortest round-trip decimal form, which Prometheus' parser accepts.
package struct PrometheusTextWriter: Sendable {
    /// The bytes written so far.
    package private(set) var bytes: [UInt8]

    /// Creates a writer whose buffer has room for `reservingCapacity` bytes before it grows.
    package init(reservingCapacity: Int = 4096) {
        bytes = []
        bytes.reserveCapacity(reservingCapacity)
    }

    /// The text written so far (copies the buffer; meant for tests and small outputs).
    package var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Writes the `# HELP` and `# TYPE` lines that open a metric family.
    package mutating func writeHeader(name: String, help: String, type: MetricType) {
        bytes.append(contentsOf: Self.header(name: name, help: help, type: type))
    }

    /// The `# HELP` and `# TYPE` lines of a family as bytes, so families can build them once.
    package static func header(name: String, help: String, type: MetricType) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: "# HELP ".utf8)
        out.append(contentsOf: name.utf8)
        out.append(UInt8(ascii: " "))
        for byte in help.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            default: out.append(byte)
            }
        }
        out.append(contentsOf: "\n# TYPE ".utf8)
        out.append(contentsOf: name.utf8)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: type.rawValue.utf8)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    /// Writes raw bytes (a pre-rendered series prefix, for example).
    package mutating func write(_ raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }

    /// Writes raw bytes from a slice of a larger buffer.
    package mutating func write(_ raw: ArraySlice<UInt8>) {
        bytes.append(contentsOf: raw)
    }

    /// Writes raw bytes from memory the caller owns.
    package mutating func write(_ raw: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: raw)
    }

    /// Writes one byte.
    package mutating func write(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Writes a string's UTF-8 bytes as they are (no escaping).
    package mutating func write(_ raw: String) {
        bytes.append(contentsOf: raw.utf8)
    }

    /// Writes one sample line: `name{labels} value\n`; an empty `labels` omits the braces.
    package mutating func writeSample(name: String, labels: KeyValuePairs<String, String> = [:], value: Double) {
        bytes.append(contentsOf: name.utf8)
        if !labels.isEmpty {
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for (labelName, labelValue) in labels {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                bytes.append(contentsOf: labelName.utf8)
                bytes.append(contentsOf: #"=""#.utf8)
                Self.appendEscapedLabelValue(labelValue, to: &bytes)
                bytes.append(UInt8(ascii: "\""))
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
        writeValue(value)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Writes a sample value (no separators around it).
    package mutating func writeValue(_ value: Double) {
        Self.appendValue(value, to: &bytes)
    }

    /// Writes an integer in decimal.
    package mutating func writeInteger(_ value: Int64) {
        Self.appendInteger(value, to: &bytes)
    }

    /// Appends a label value with `\`, `"` and line feeds escaped.
    package static func appendEscapedLabelValue(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { utf8 in
            // Fast path: most values (ids, regions) need no escaping and are copied in one go.
            var clean = true
            for byte in utf8 where byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") {
                clean = false
                break
            }
            if clean {
                out.append(contentsOf: utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
                case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
                case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
                default: out.append(byte)
                }
            }
        }
    }

    /// Renders `{a="x",b="y"}` for label names and values (empty when there are none).
    package static func labelBlock(names: [String], values: [String], extra: (String, String)? = nil) -> [UInt8] {
        precondition(names.count == values.count, "label names and values differ in count")
        if names.isEmpty && extra == nil { return [] }
        var out: [UInt8] = [UInt8(ascii: "{")]
        var first = true
        for (name, value) in zip(names, values) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: #"=""#.utf8)
            appendEscapedLabelValue(value, to: &out)
            out.append(UInt8(ascii: "\""))
        }
        if let (name, value) = extra {
            if !first { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: #"=""#.utf8)
            appendEscapedLabelValue(value, to: &out)
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The text form of a value, as `appendValue` writes it.
    package static func format(_ value: Double) -> String {
        var out: [UInt8] = []
        appendValue(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    // Integral values below 1e18 are exact in Int64 and print without an exponent; that covers
    // byte counts (even exabyte pools) and Unix timestamps, the bulk of a tpgw scrape.
    static func appendValue(_ value: Double, to out: inout [UInt8]) {
        if value.isNaN {
            out.append(contentsOf: "NaN".utf8)
        } else if value.isInfinite {
            out.append(contentsOf: (value > 0 ? "+Inf" : "-Inf").utf8)
        } else if value.rounded(.towardZero) == value, value.magnitude < 1e18 {
            appendInteger(Int64(value), to: &out)
        } else {
            out.append(contentsOf: value.description.utf8)
        }
    }

    /// The most bytes `formatValue` writes (`-2.2250738585072014e-308` is 24).
    static let maxValueLength = 32

    /// Writes a value's text at `out` (room for `maxValueLength` bytes) and returns its length.
    static func formatValue(_ value: Double, into out: UnsafeMutablePointer<UInt8>) -> Int {
        if value.rounded(.towardZero) == value, value.magnitude < 1e18 {
            let integer = Int64(value)
            var magnitude = integer.magnitude
            var digits = 0
            var probe = magnitude
            repeat {
                digits &+= 1
                probe /= 10
            } while probe > 0
            let sign = integer < 0 ? 1 : 0
            if sign == 1 { out[0] = UInt8(ascii: "-") }
            var index = sign &+ digits
            repeat {
                index &-= 1
                out[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            return sign &+ digits
        }
        var text: [UInt8] = []
        appendValue(value, to: &text)
        let count = min(text.count, maxValueLength)
        text.withUnsafeBufferPointer { out.initialize(from: $0.baseAddress!, count: count) }
        return count
    }

    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        // Digits are produced right to left into a stack buffer, then copied in one append.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var magnitude = value.magnitude
            var index = 20
            repeat {
                index -= 1
                digits[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index..<20]))
        }
    }
}
