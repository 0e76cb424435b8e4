/// Aligned plain-text tables for the terminal. Pure.
///
/// Columns are padded to their widest cell (counted in terminal columns: CJK characters take two); numeric
/// columns are right-aligned. Colour codes, when given, wrap a cell without counting towards its width.
struct TextTable {
    enum Alignment { case left, right }

    struct Column {
        var title: String
        var alignment: Alignment = .left
    }

    /// A cell's text and an optional ANSI colour (SGR parameter, e.g. "31" for red).
    struct Cell: ExpressibleByStringLiteral {
        var text: String
        var colour: String?

        init(_ text: String, colour: String? = nil) {
            self.text = text
            self.colour = colour
        }

        init(stringLiteral value: String) { self.init(value) }
    }

    var columns: [Column]
    var rows: [[Cell]] = []

    init(_ columns: [Column]) {
        self.columns = columns
    }

    mutating func append(_ row: [Cell]) { rows.append(row) }

    /// The table, one line per row, two spaces between columns, no trailing blanks.
    func render(colour: Bool) -> String {
        var widths = columns.map { Self.width($0.title) }
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], Self.width(cell.text)) }
        }
        func line(_ cells: [Cell], bold: Bool) -> String {
            var parts: [String] = []
            for (i, column) in columns.enumerated() {
                let cell = i < cells.count ? cells[i] : Cell("")
                let pad = String(repeating: " ", count: max(0, widths[i] - Self.width(cell.text)))
                var text = cell.text
                if colour, let code = bold ? "1" : cell.colour { text = "\u{1B}[\(code)m\(text)\u{1B}[0m" }
                let isLast = i == columns.count - 1
                parts.append(column.alignment == .right ? pad + text : (isLast ? text : text + pad))
            }
            var out = parts.joined(separator: "  ")
            while out.hasSuffix(" ") { out.removeLast() }
            return out
        }
        return ([line(columns.map { Cell($0.title) }, bold: true)] + rows.map { line($0, bold: false) }).joined(separator: "\n")
    }

    /// Terminal columns of `s`: East Asian wide characters count two, control characters none.
    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { n, u in
            switch u.value {
            case 0..<0x20, 0x7F: n
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
                 0x1F300...0x1F64F, 0x20000...0x3FFFD: n + 2
            default: n + 1
            }
        }
    }
}
