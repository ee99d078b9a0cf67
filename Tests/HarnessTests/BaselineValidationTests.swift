import Foundation
import Testing
@testable import Harness
import Landscapes

/// The baseline reader accepts only what the writer could have written. Each test corrupts a real
/// baseline (written from a small run) and requires that `Baseline.read` either throws a one-line
/// error naming the file it rejects, or returns rows equal to the original's, row for row (keyed
/// by `row`; the gate's verdicts do not depend on row order).
@Suite(.serialized) struct BaselineValidationTests {
    /// Continuous rows with f* known, spin rows with f* known (weak-strong) and unknown (sk, whose
    /// success columns are empty): every kind of field the files hold.
    static let suiteText = """
        name: tiny
        seed: 11
        trials: 4
        optimizers: [sa, pt, sa-spin, pt-spin]
        landscapes:
          - {name: dw, family: double-well, dimension: 3, budget: 300}
          - {name: ws, family: weak-strong, budget: 200}
          - {name: s, family: sk, parameters: {size: 10}, budget: 200}
        """

    struct Original {
        let rows: [BaselineRow]
        let summary: [UInt8]
        let trials: [UInt8]
    }

    static let original: Original = {
        let suite = try! Suite.parse(yaml: suiteText, file: "tiny.yaml")
        let plan = suite.plan(threads: 2)
        let rows = Baseline.rows(from: try! BenchmarkRun.execute(plan), plan: plan)
        let dir = NSTemporaryDirectory() + "tunnelbench-validation-\(UUID().uuidString)"
        let path = dir + "/b.csv"
        try! Baseline.write(rows, to: path)
        return Original(rows: rows, summary: Array(FileManager.default.contents(atPath: path)!),
                        trials: Array(FileManager.default.contents(atPath: Baseline.trialsPath(for: path))!))
    }()

    enum Target: String { case summary, trials }

    struct Corruption {
        let name: String
        let target: Target
        let bytes: [UInt8]
    }

    /// Every corruption the test applies: whole-line edits, field edits, byte edits, and
    /// line-ending changes, to either file.
    static func corruptions() -> [Corruption] {
        var list = [Corruption]()
        var rng = Xoshiro256(seed: 2026)
        for (target, bytes) in [(Target.summary, original.summary), (.trials, original.trials)] {
            func add(_ name: String, _ b: [UInt8]) { list.append(Corruption(name: name, target: target, bytes: b)) }
            let text = String(decoding: bytes, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            func joined(_ l: [String]) -> [UInt8] { Array((l.joined(separator: "\n") + "\n").utf8) }
            // Truncation at every byte; a missing final line break.
            for n in 0..<bytes.count { add("truncate at byte \(n)", Array(bytes.prefix(n))) }
            // Whole lines: drop, duplicate (in place and at the end), swap with the next, blank.
            for i in lines.indices {
                var l = lines; l.remove(at: i); add("drop line \(i + 1)", joined(l))
                l = lines; l.insert(lines[i], at: i); add("duplicate line \(i + 1)", joined(l))
                l = lines; l.append(lines[i]); add("repeat line \(i + 1) at the end", joined(l))
                l = lines; l.insert("", at: i + 1); add("blank line after \(i + 1)", joined(l))
                if i + 1 < lines.count { l = lines; l.swapAt(i, i + 1); add("swap lines \(i + 1), \(i + 2)", joined(l)) }
                l = lines; l[i] += "\r"; add("CR at the end of line \(i + 1)", joined(l))
            }
            add("CRLF throughout", Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
            add("byte-order mark", [0xEF, 0xBB, 0xBF] + bytes)
            // Fields: delete a column (header too, or rows only), swap adjacent fields, change each
            // count by ±1, replace each field with a non-number or an out-of-range value.
            let fields = try! CSV.records(Data(bytes), path: "b.csv").map(\.fields)
            let width = fields[0].count
            for c in 0..<width {
                add("delete column \(c + 1)", joined(fields.map { f in CSV.line(f.enumerated().filter { $0.offset != c }.map(\.element)) }))
                add("delete column \(c + 1) from rows only", joined(fields.enumerated().map { i, f in
                    i == 0 ? CSV.line(f) : CSV.line(f.enumerated().filter { $0.offset != c }.map(\.element)) }))
            }
            for i in fields.indices.dropFirst() {
                for c in 0..<width {
                    func replaced(_ value: String) -> [UInt8] {
                        var f = fields; f[i][c] = value; return joined(f.map(CSV.line))
                    }
                    if c + 1 < width {
                        var f = fields; f[i].swapAt(c, c + 1); add("swap fields \(c + 1), \(c + 2) of line \(i + 1)", joined(f.map(CSV.line)))
                    }
                    if let v = Int(fields[i][c]) {
                        add("line \(i + 1) field \(c + 1) + 1", replaced(String(v + 1)))
                        add("line \(i + 1) field \(c + 1) − 1", replaced(String(v - 1)))
                    }
                    for value in ["nan", "inf", "-1", "", "x", "1e3", "true", "false"] where value != fields[i][c] {
                        add("line \(i + 1) field \(c + 1) = '\(value)'", replaced(value))
                    }
                }
            }
            // One random bit of every byte, and 200 more random flips.
            for n in bytes.indices {
                var b = bytes; b[n] ^= UInt8(1) << UInt8(rng.next() % 8); add("flip a bit of byte \(n)", b)
            }
            for _ in 0..<200 {
                let n = Int(rng.next() % UInt64(bytes.count))
                var b = bytes; b[n] ^= UInt8(1) << UInt8(rng.next() % 8); add("flip a bit of byte \(n)", b)
            }
        }
        return list
    }

    /// Reads the baseline with one of its two files replaced; `nil` when rejected. A rejection
    /// must be one line naming a file of the baseline.
    static func read(_ corruption: Corruption) throws -> [BaselineRow]? {
        let path = "/baseline/b.csv"
        do {
            return try Baseline.parse(summary: Data(corruption.target == .summary ? corruption.bytes : original.summary),
                                      trials: Data(corruption.target == .trials ? corruption.bytes : original.trials), path: path)
        } catch let error as HarnessError {
            let message = error.description
            #expect(message.hasPrefix(path) || message.hasPrefix(Baseline.trialsPath(for: path)),
                    "\(corruption.target.rawValue): \(corruption.name): \(message)")
            #expect(!message.contains("\n"), "\(corruption.name): \(message)")
            return nil
        }
    }

    static func byKey(_ rows: [BaselineRow]) -> [String: BaselineRow] {
        Dictionary(rows.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func writtenBaselineReadsBackUnchanged() throws {
        let dir = NSTemporaryDirectory() + "tunnelbench-validation-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/b.csv"
        try Baseline.write(Self.original.rows, to: path)
        #expect(try Baseline.read(path) == Self.original.rows)
        // The fixture exercises both success columns: counted (double-well, weak-strong) and empty (sk).
        #expect(Self.original.rows.contains { $0.successes == nil } && Self.original.rows.contains { $0.successes != nil })
    }

    @Test func everyCorruptionIsRejectedOrReadsAsTheOriginal() throws {
        let expected = Self.byKey(Self.original.rows)
        let corruptions = Self.corruptions()
        var accepted = [String]()
        var rejected = 0
        for corruption in corruptions {
            guard let rows = try Self.read(corruption) else { rejected += 1; continue }
            accepted.append(corruption.name)
            // Accepted: then nothing the gate reads may differ, and no row may be lost or repeated.
            #expect(rows.count == Self.original.rows.count && Self.byKey(rows) == expected,
                    "accepted a baseline that differs: \(corruption.target.rawValue): \(corruption.name)")
        }
        #expect(corruptions.count > 5000)
        // Accepted only where the text still says the same thing (a reordered line, a number
        // written differently).
        #expect(rejected + accepted.count == corruptions.count)
        print("baseline corruptions: \(corruptions.count), rejected \(rejected), accepted as equivalent \(accepted.count): "
              + Set(accepted.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }).sorted().joined(separator: "; "))
    }
}
