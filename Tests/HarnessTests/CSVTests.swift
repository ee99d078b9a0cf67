import Foundation
import Testing
@testable import Harness
import Landscapes
import TestSupport

/// The CSV dialect read and written the same way: what `CSV.document` writes, `CSV.read` (and so
/// every reader of run folders and baselines) reads back unchanged, and what it could not have
/// written is refused with the file and the line its bad record starts on.
@Suite struct CSVRoundTripTests {
    /// The line each record starts on, from the fields alone: a record takes one line plus one
    /// for each LF inside its fields.
    static func startLines(_ header: [String], _ rows: [[String]]) -> [Int] {
        var line = 1
        var lines = [Int]()
        for record in [header] + rows {
            lines.append(line)
            line += 1 + record.reduce(0) { $0 + $1.utf8.filter { $0 == 0x0A }.count }
        }
        return Array(lines.dropFirst())
    }

    @Test func writtenDocumentsReadBackEqualWithTheirStartLines() throws {
        for (header, rows) in CSVSamples.documents(500, seed: 4180) {
            let text = CSV.document(header: header, rows: rows)
            let table = try CSV.read(Data(text.utf8), path: "d.csv")
            #expect(table.header == header)
            #expect(table.rows.map(\.fields) == rows)
            #expect(table.rows.map(\.line) == Self.startLines(header, rows))
        }
    }

    /// A record's only field, when empty, is written `""` so that it is not a blank line.
    @Test func loneEmptyFieldIsQuotedAndReadsBack() throws {
        let text = CSV.document(header: ["only"], rows: [[""], ["x"], [""]])
        #expect(text == "only\n\"\"\nx\n\"\"\n")
        #expect(try CSV.read(Data(text.utf8), path: "d.csv").rows.map(\.fields) == [[""], ["x"], [""]])
    }

    /// Every defect, its reason and the line its record starts on (records here span lines). No
    /// message quotes the file: each file holds the word SECRET and no error contains it.
    @Test(arguments: [
        ("h,SECRET\r\n1,2\r\n", "f.csv:1: line ends with CR LF (Windows line endings); expected LF only"),
        ("h,i\n\"a\nSECRET\",2\r\n", "f.csv:2: line ends with CR LF (Windows line endings); expected LF only"),
        ("h,i\n1,SECRET\r2\n", "f.csv:2: carriage return outside a quoted field (expected LF line endings only)"),
        ("h,i\n\"SECRET\n\",1\n2,3", "f.csv:4: the last line has no line break (the file looks truncated)"),
        ("h,i\n\"x\ny\",1\n\"SECRET,2\n", "f.csv:4: unbalanced quotes (a quoted field is not closed before the end of the file)"),
        ("h,i\n1,SECRET\n\n3,4\n", "f.csv:3: blank line"),
        ("h,i\n\"multi\nline\",2\nSE\"CRET,3\n", "f.csv:4: quote inside an unquoted field (a field with a quote is quoted, its quotes doubled)"),
        ("h,i\n\"SECRET\"x,2\n", "f.csv:2: text after the closing quote of a quoted field (expected a comma or a line break)"),
        ("h,i\n\"x\n\ny\",2\n1,SECRET,3\n", "f.csv:5: 3 fields, expected 2"),
        ("h,i\nSECRET\n", "f.csv:2: 1 fields, expected 2"),
        ("h,i,h\nSECRET,1,2\n", "f.csv:1: column 'h' appears twice in the header (expected distinct column names)"),
        ("", "f.csv: empty file (expected a header line)"),
    ])
    func defectIsRefusedWithTheLineItsRecordStartsOn(text: String, message: String) {
        let error = #expect(throws: HarnessError.self) { try CSV.read(Data(text.utf8), path: "f.csv") }
        #expect(error?.description == message)
        #expect(error?.description.contains("SECRET") == false)
    }

    @Test func bytesThatAreNotUTF8AreRefusedWithTheirRecordsLine() {
        let bytes = Array("h,i\n\"a\nb\",SECRET".utf8) + [0xFF, 0xFE] + Array("\n".utf8)
        #expect(throws: HarnessError("f.csv:2: not UTF-8 text")) { try CSV.read(Data(bytes), path: "f.csv") }
    }
}
