import Foundation

/// One column of a CSV file TunnelBench writes: the name its header gives it and how a row's field
/// is written (the text before CSV quoting). After swift-benchmark's `BenchmarkColumn`.
public struct Column<Row>: Sendable {
    public let name: String
    public let kind: Kind
    public let field: @Sendable (Row) -> String

    /// What a column's fields hold.
    public enum Kind: Sendable, Equatable {
        /// Any text.
        case text
        /// A whole number in decimal, or empty.
        case whole
        /// A number as `CSV.number` writes it ("inf", "-inf" and "nan" included), or empty.
        case number
        /// `true` or `false`, or empty.
        case flag
    }

    public init(_ name: String, kind: Kind, _ field: @escaping @Sendable (Row) -> String) {
        self.name = name
        self.kind = kind
        self.field = field
    }

    /// A text column, written as it is.
    public static func text(_ name: String, _ value: @escaping @Sendable (Row) -> String) -> Column {
        Column(name, kind: .text, value)
    }

    /// A whole-number column in decimal; empty for `nil`.
    public static func whole(_ name: String, _ value: @escaping @Sendable (Row) -> Int?) -> Column {
        Column(name, kind: .whole) { value($0).map { String($0) } ?? "" }
    }

    /// A seed column: an unsigned 64-bit whole number in decimal.
    public static func seed(_ name: String, _ value: @escaping @Sendable (Row) -> UInt64) -> Column {
        Column(name, kind: .whole) { String(value($0)) }
    }

    /// A number column as `CSV.number` writes it (shortest round-trip text, "inf", empty for `nil`).
    public static func number(_ name: String, _ value: @escaping @Sendable (Row) -> Double?) -> Column {
        Column(name, kind: .number) { CSV.number(value($0)) }
    }

    /// A flag column as `CSV.flag` writes it ("true", "false", empty for `nil`).
    public static func flag(_ name: String, _ value: @escaping @Sendable (Row) -> Bool?) -> Column {
        Column(name, kind: .flag) { CSV.flag(value($0)) }
    }
}

/// The ordered columns of one CSV file: its header and every row it writes come from this one
/// list, so a header and its rows cannot disagree on the number, order or meaning of the fields.
/// The output is `CSV.document` and `CSV.line` exactly (the same quoting, LF after every record),
/// written field by field without an array of fields per row.
public struct Columns<Row>: Sendable {
    public let columns: [Column<Row>]
    /// The header's column names, in order.
    public let names: [String]

    /// Column names must be distinct (the reader refuses a header that repeats one).
    public init(_ columns: [Column<Row>]) {
        precondition(!columns.isEmpty, "a CSV file has at least one column")
        names = columns.map(\.name)
        precondition(Set(names).count == names.count, "the columns of a CSV file have distinct names: \(names)")
        self.columns = columns
    }

    public var count: Int { columns.count }

    /// The names of the columns of `kind`.
    public func names(of kind: Column<Row>.Kind) -> Set<String> {
        Set(columns.filter { $0.kind == kind }.map(\.name))
    }

    /// The position of the column called `name`; a programming error when there is none.
    public func index(_ name: String) -> Int {
        guard let index = names.firstIndex(of: name) else { preconditionFailure("no column '\(name)' in \(names)") }
        return index
    }

    /// The header line, without its line break.
    public var header: String { CSV.line(names) }

    /// The fields of `row`, unquoted, in column order.
    public func fields(_ row: Row) -> [String] {
        columns.map { $0.field(row) }
    }

    /// The record of `row`, without its line break: `CSV.line(fields(row))`.
    public func line(_ row: Row) -> String {
        var text = ""
        append(row, to: &text)
        return text
    }

    /// Appends the record of `row` to `text`, without a line break.
    public func append(_ row: Row, to text: inout String) {
        let start = text.utf8.count
        for (i, column) in columns.enumerated() {
            if i > 0 { text.append(",") }
            text.append(CSV.field(column.field(row)))
        }
        // A lone empty field is quoted, so that the record is not a blank line.
        if columns.count == 1 && text.utf8.count == start { text.append("\"\"") }
    }

    /// The whole file: the header, then one record per row, each line ending with LF.
    public func document(_ rows: some Sequence<Row>) -> String {
        var text = header + "\n"
        for row in rows {
            append(row, to: &text)
            text.append("\n")
        }
        return text
    }
}

extension Column.Kind {
    /// Whether `text` is a field a column of this kind writes: empty, or text of the kind.
    public func accepts(_ text: String) -> Bool {
        if text.isEmpty { return true }
        switch self {
        case .text: return true
        case .whole: return Int(text) != nil || UInt64(text) != nil
        case .number: return Double(text) != nil
        case .flag: return text == "true" || text == "false"
        }
    }

    /// What a field of this kind is, for errors: "a number", "a whole number", ….
    public var expected: String {
        switch self {
        case .text: return "text"
        case .whole: return "a whole number"
        case .number: return "a number"
        case .flag: return "true or false"
        }
    }
}

extension Columns {
    /// One record of a file read back with these columns (`read(_:path:)`): its fields by column
    /// name, each already checked to be of its column's kind.
    public struct Record: Sendable {
        public let path: String
        /// The line the record starts on.
        public let line: Int
        let columns: Columns
        /// The record's fields in `columns` order.
        let fields: [String]

        /// The field of column `name`, whose kind must be `kind` (else a programming error).
        func field(_ name: String, _ kind: Column<Row>.Kind) -> String {
            let index = columns.index(name)
            precondition(columns.columns[index].kind == kind, "column '\(name)' is not of kind \(kind)")
            return fields[index]
        }

        /// The error for a field of column `name` that is not `expected`, naming the file and line.
        public func refused(_ name: String, expected: String) -> HarnessError {
            HarnessError("\(path):\(line): column '\(name)' is not \(expected)")
        }

        func required(_ name: String, _ kind: Column<Row>.Kind) throws -> String {
            let text = field(name, kind)
            if text.isEmpty { throw HarnessError("\(path):\(line): column '\(name)' is empty (expected \(kind.expected))") }
            return text
        }

        public func text(_ name: String) -> String { field(name, .text) }
        /// A whole number the column always holds (empty is refused).
        public func whole(_ name: String) throws -> Int {
            guard let value = Int(try required(name, .whole)) else { throw refused(name, expected: "a whole number in range") }
            return value
        }
        /// A number the column always holds (empty is refused).
        public func number(_ name: String) throws -> Double { Double(try required(name, .number))! }
        /// A number, `nil` when the field is empty.
        public func optionalNumber(_ name: String) -> Double? { Double(field(name, .number)) }
        /// A flag the column always holds (empty is refused).
        public func flag(_ name: String) throws -> Bool { try required(name, .flag) == "true" }
    }

    /// Reads a file these columns wrote, `path` naming it in errors: `CSV.read`'s dialect, a
    /// header with every column (looked up by name, in any order; extra columns are ignored, so
    /// files from later versions still read), and in every record each column's field of its
    /// kind (`Column.Kind.accepts`). What a field means beyond its kind is the caller's to check.
    public func read(_ data: Data, path: String) throws -> [Record] {
        let table = try CSV.read(data, path: path) { header in
            if let missing = names.first(where: { !header.contains($0) }) {
                throw HarnessError("\(path):1: no column '\(missing)' (expected the columns \(names.joined(separator: ",")))")
            }
        }
        let positions = names.map { table.header.firstIndex(of: $0)! }
        return try table.rows.map { row in
            let fields = positions.map { row.fields[$0] }
            for (column, text) in zip(columns, fields) where !column.kind.accepts(text) {
                throw HarnessError("\(path):\(row.line): column '\(column.name)' is not \(column.kind.expected)")
            }
            return Record(path: path, line: row.line, columns: self, fields: fields)
        }
    }
}
