import Foundation

/// The one CSV dialect TunnelBench writes and reads: RFC 4180 with LF record separators. A field
/// is quoted when it contains a comma, a quote, LF or CR (and when it is a record's only field and
/// empty, so that the record is not a blank line); quotes inside a quoted field are doubled; line
/// breaks may appear inside quoted fields.
///
/// The reader accepts only what the writer could have written: UTF-8, LF after every record
/// (including the last), no CR outside a quoted field, no blank line, no quote inside an unquoted
/// field or text after a closing quote, every quoted field closed, a header whose column names are
/// distinct, and every record with the header's field count. Errors name the file and the line on
/// which the bad record starts, and say what was expected; they never quote the file.
public enum CSV {
    public static func field(_ text: String) -> String {
        // Bytes, not Characters: a quote followed by a combining mark is one Character, which
        // neither `contains` nor `replacingOccurrences` would see as a quote.
        guard text.utf8.contains(where: { $0 == comma || $0 == quote || $0 == lineFeed || $0 == carriageReturn }) else { return text }
        var bytes = [quote]
        bytes.reserveCapacity(text.utf8.count + 2)
        for b in text.utf8 {
            bytes.append(b)
            if b == quote { bytes.append(quote) }
        }
        bytes.append(quote)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func line(_ fields: [String]) -> String {
        if fields == [""] { return "\"\"" }
        return fields.map(field).joined(separator: ",")
    }

    public static func document(header: [String], rows: [[String]]) -> String {
        ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// Shortest text that reads back as the same double; "inf" for ∞; empty for `nil`.
    public static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        if value == .infinity { return "inf" }
        if value == -.infinity { return "-inf" }
        return "\(value)"
    }

    public static func flag(_ value: Bool?) -> String {
        guard let value else { return "" }
        return value ? "true" : "false"
    }

    /// One record of a document and the line of the file it starts on (1 for the header).
    public struct Record: Sendable, Equatable {
        public var line: Int
        public var fields: [String]
    }

    /// A document read back: its header and the records after it.
    public struct Table: Sendable {
        public var header: [String]
        public var rows: [Record]
    }

    /// Reads a whole document, `path` naming it in errors. `checkHeader` runs on the header before
    /// the records' field counts are compared with it, so that a wrong header is reported as such.
    /// - Complexity: O(n) in the size of `data`.
    public static func read(_ data: Data, path: String, checkHeader: ([String]) throws -> Void = { _ in }) throws -> Table {
        let records = try CSV.records(data, path: path)
        guard let first = records.first else { throw HarnessError("\(path): empty file (expected a header line)") }
        var seen = Set<String>()
        for name in first.fields where !seen.insert(name).inserted {
            throw HarnessError("\(path):1: column '\(name)' appears twice in the header (expected distinct column names)")
        }
        try checkHeader(first.fields)
        for record in records.dropFirst() where record.fields.count != first.fields.count {
            throw HarnessError("\(path):\(record.line): \(record.fields.count) fields, expected \(first.fields.count)")
        }
        return Table(header: first.fields, rows: Array(records.dropFirst()))
    }

    /// Splits `data` into records without looking at field counts.
    /// - Complexity: O(n) in the size of `data`.
    public static func records(_ data: Data, path: String) throws -> [Record] {
        try data.withUnsafeBytes { raw in try records(raw.bindMemory(to: UInt8.self), path: path) }
    }

    static let comma: UInt8 = 0x2C, quote: UInt8 = 0x22, lineFeed: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D

    private static func records(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws -> [Record] {
        var records = [Record]()
        var i = 0
        var line = 1
        let n = bytes.count
        func text(_ slice: some Collection<UInt8>, _ start: Int) throws -> String {
            guard let s = String(validating: slice, as: UTF8.self) else { throw HarnessError("\(path):\(start): not UTF-8 text") }
            return s
        }
        while i < n {
            let start = line
            func fail(_ reason: String) -> HarnessError { HarnessError("\(path):\(start): \(reason)") }
            if bytes[i] == lineFeed { throw fail("blank line") }
            var fields = [String]()
            fields: while true {
                let separator: UInt8
                if i < n && bytes[i] == quote {
                    // A quoted field: everything up to the lone closing quote, "" standing for one quote.
                    i += 1
                    var content = [UInt8]()
                    var run = i
                    while true {
                        guard i < n else { throw fail("unbalanced quotes (a quoted field is not closed before the end of the file)") }
                        let b = bytes[i]
                        if b == quote {
                            if i + 1 < n && bytes[i + 1] == quote {
                                content.append(contentsOf: bytes[run...i])
                                i += 2
                                run = i
                                continue
                            }
                            content.append(contentsOf: bytes[run..<i])
                            i += 1
                            break
                        }
                        if b == lineFeed { line += 1 }
                        i += 1
                    }
                    fields.append(try text(content, start))
                    guard i < n else { throw fail("the last line has no line break (the file looks truncated)") }
                    separator = bytes[i]
                    if separator != comma && separator != lineFeed && separator != carriageReturn {
                        throw fail("text after the closing quote of a quoted field (expected a comma or a line break)")
                    }
                } else {
                    let begin = i
                    while i < n {
                        let b = bytes[i]
                        if b == comma || b == lineFeed || b == carriageReturn || b == quote { break }
                        i += 1
                    }
                    fields.append(try text(UnsafeBufferPointer(rebasing: bytes[begin..<i]), start))
                    guard i < n else { throw fail("the last line has no line break (the file looks truncated)") }
                    separator = bytes[i]
                    if separator == quote {
                        throw fail("quote inside an unquoted field (a field with a quote is quoted, its quotes doubled)")
                    }
                }
                switch separator {
                case comma:
                    i += 1
                case lineFeed:
                    i += 1
                    line += 1
                    break fields
                default: // carriage return
                    throw fail(i + 1 < n && bytes[i + 1] == lineFeed
                        ? "line ends with CR LF (Windows line endings); expected LF only"
                        : "carriage return outside a quoted field (expected LF line endings only)")
                }
            }
            records.append(Record(line: start, fields: fields))
        }
        return records
    }
}

/// Writes `contents` to `path` atomically: the whole text goes to a temporary file beside it,
/// created exclusively under an unpredictable name (`.NAME.tmp-XXXXXXXXXXXX`, `O_EXCL | O_NOFOLLOW`:
/// never an existing file, never through a symbolic link) and flushed (fsync), then renamed over
/// `path` and the folder flushed. A reader never sees half a file; a failed write leaves the
/// previous file intact and removes the temporary one. A symbolic link at `path` is replaced, not
/// followed.
public func writeAtomically(_ contents: String, to path: String) throws {
    try writeAtomically(Data(contents.utf8), to: path, operations: SystemFileOperations())
}
