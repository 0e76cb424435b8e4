/// Rows of label values with one number per column, rendered at scrape time as one family per column.
///
/// This is the fast path for large per-package families: each row's label block is escaped once
/// into a shared byte buffer and reused by every column, and values are stored flat, so rendering
/// 100,000 rows x 5 columns is a tight loop of byte copies and integer formatting.
/// A `nan` value means "absent": that row writes no sample in that column.
package struct MetricTable: Sendable {
    /// One output family: a metric name and its help text (all columns share the label names).
    package struct Column: Sendable {
        package var name: String
        package var help: String
        package var type: MetricType

        package init(name: String, help: String, type: MetricType = .gauge) {
            precondition(type != .histogram, "a table column is a counter or a gauge")
            self.name = name
            self.help = help
            self.type = type
        }
    }

    /// The label names of every row, in output order.
    package let labelNames: [String]
    /// The families this table renders, in output order.
    package let columns: [Column]
    // `{provider="`, `",account="`, … and the closing `"} `, built once.
    private let labelPrefixes: [[UInt8]]
    private let labelSuffix: [UInt8]
    private var labelBytes: [UInt8] = []
    private var labelEnds: [Int] = []
    private var values: [Double] = []

    /// Creates an empty table.
    /// - Parameter rows: expected number of rows, to size the buffers once.
    package init(labelNames: [String], columns: [Column], reservingRows rows: Int = 0) {
        for label in labelNames {
            precondition(MetricName.isValidLabelName(label), "invalid label name \(label)")
        }
        for column in columns {
            precondition(MetricName.isValidMetricName(column.name), "invalid metric name \(column.name)")
        }
        self.labelNames = labelNames
        self.columns = columns
        labelPrefixes = labelNames.enumerated().map { index, name in Array(((index == 0 ? "{" : "\",") + name + "=\"").utf8) }
        labelSuffix = Array((labelNames.isEmpty ? " " : "\"} ").utf8)
        labelBytes.reserveCapacity(rows * (16 + 24 * labelNames.count))
        labelEnds.reserveCapacity(rows)
        values.reserveCapacity(rows * columns.count)
    }

    /// Appends a row: one label value per label name and one value per column (`nan` = absent).
    package mutating func append(labelValues: [String], values rowValues: [Double]) {
        precondition(labelValues.count == labelNames.count, "row has \(labelValues.count) label values for \(labelNames.count) labels")
        precondition(rowValues.count == columns.count, "row has \(rowValues.count) values for \(columns.count) columns")
        for index in labelPrefixes.indices {
            labelBytes.append(contentsOf: labelPrefixes[index])
            PrometheusTextWriter.appendEscapedLabelValue(labelValues[index], to: &labelBytes)
        }
        labelBytes.append(contentsOf: labelSuffix)
        labelEnds.append(labelBytes.count)
        values.append(contentsOf: rowValues)
    }

    /// Appends every column as a family (columns with no present value are left out).
    package func write(into writer: inout PrometheusTextWriter) {
        guard !labelEnds.isEmpty else { return }
        for columnIndex in columns.indices where hasValue(in: columnIndex) {
            let column = columns[columnIndex]
            writer.writeHeader(name: column.name, help: column.help, type: column.type)
            writer.write(renderSamples(of: columnIndex))
        }
    }

    // The hot loop of a large scrape: copies name and label bytes and formats values straight into
    // a buffer sized for the worst case, with no per-sample bounds or capacity checks.
    private func renderSamples(of columnIndex: Int) -> [UInt8] {
        let name = Array(columns[columnIndex].name.utf8)
        let columnCount = columns.count
        let worstCase = labelBytes.count + labelEnds.count * (name.count + PrometheusTextWriter.maxValueLength + 1)
        return [UInt8](unsafeUninitializedCapacity: worstCase) { out, initialized in
            var position = 0
            labelBytes.withUnsafeBufferPointer { labels in
                name.withUnsafeBufferPointer { name in
                    var start = 0
                    for row in labelEnds.indices {
                        let end = labelEnds[row]
                        let value = values[row &* columnCount &+ columnIndex]
                        if !value.isNaN {
                            let base = out.baseAddress! + position
                            base.initialize(from: name.baseAddress!, count: name.count)
                            (base + name.count).initialize(from: labels.baseAddress! + start, count: end &- start)
                            var length = name.count &+ end &- start
                            length &+= PrometheusTextWriter.formatValue(value, into: base + length)
                            base[length] = UInt8(ascii: "\n")
                            position &+= length &+ 1
                        }
                        start = end
                    }
                }
            }
            initialized = position
        }
    }

    private func hasValue(in columnIndex: Int) -> Bool {
        var index = columnIndex
        while index < values.count {
            if !values[index].isNaN { return true }
            index += columns.count
        }
        return false
    }
}
