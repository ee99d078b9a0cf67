import Foundation
import Testing
import Harness

/// Two separate processes (each with its own randomly seeded `Hasher`, its own thread schedule,
/// one with one worker thread and one with two) must write the same results for the same seed:
/// every column of trials.csv, summary.csv and comparisons.csv except the wall-clock ones.
@Suite(.serialized) struct DeterminismCLITests {
    /// The columns that measure time, not results.
    static let timing: Set<String> = ["wall_time_s", "evaluations_per_second"]

    /// A CSV file with its timing columns dropped (the files have no quoted line breaks here).
    static func resultColumns(_ path: String) throws -> [[String]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let keep = header.indices.filter { !timing.contains(header[$0]) }
        return lines.map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return keep.map { $0 < fields.count ? fields[$0] : "<missing>" }
        }
    }

    @Test func twoProcessesWithDifferentThreadCountsWriteTheSameResults() throws {
        let arguments = ["run", "--landscape", "rastrigin", "--landscape", "double-well", "--landscape", "weak-strong",
                         "--trials", "12", "--budget", "600", "--seed", "20261202", "--quiet"]
        let first = temporaryDirectory(), second = temporaryDirectory()
        let one = try BenchProcess.run(arguments + ["--threads", "1", "--output", first])
        let two = try BenchProcess.run(arguments + ["--threads", "2", "--output", second])
        #expect(one.status == 0, "stderr: \(one.stderr)")
        #expect(two.status == 0, "stderr: \(two.stderr)")
        #expect(one.stdout == two.stdout)
        for file in ["trials.csv", "summary.csv", "comparisons.csv"] {
            let a = try Self.resultColumns(first + "/" + file), b = try Self.resultColumns(second + "/" + file)
            #expect(a.count > 1, "\(file) has no rows")
            #expect(a == b, "\(file) differs between the two processes")
        }
    }
}
