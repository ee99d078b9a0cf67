import Foundation
import Harness
import Testing

@Suite(.serialized) struct CheckCLITests {
    /// A one-row suite in a fresh folder; `budget` plants a regression when lowered.
    func writeSuite(in dir: String, budget: Int, optimizers: String = "[sa]") throws -> String {
        let path = dir + "/suite.yaml"
        try """
            name: tiny
            seed: 3
            trials: 40
            optimizers: \(optimizers)
            landscapes:
              - name: dw
                family: double-well
                dimension: 5
                budget: \(budget)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func updateThenCheckPassesAndPlantedRegressionFailsNamingTheRow() throws {
        let dir = temporaryDirectory()
        let baseline = dir + "/baseline/tiny.csv"
        var suite = try writeSuite(in: dir, budget: 3000)
        let update = try BenchProcess.run(["check", "--suite", suite, "--baseline", baseline, "--update-baseline"])
        #expect(update.status == 0, "\(update.stderr)")
        #expect(update.stdout.contains("added   dw/sa: escaped "))
        #expect(FileManager.default.fileExists(atPath: dir + "/baseline/tiny-trials.csv"))

        let same = try BenchProcess.run(["check", "--suite", suite, "--baseline", baseline])
        #expect(same.status == 0)
        #expect(same.stdout.contains("dw/sa"))
        #expect(same.stdout.contains("no regression"))

        suite = try writeSuite(in: dir, budget: 150)
        let starved = try BenchProcess.run(["check", "--suite", suite, "--baseline", baseline])
        #expect(starved.status == 1)
        #expect(starved.stdout.contains("REGRESSED: dw/sa"))

        let unchanged = try BenchProcess.run(["check", "--suite", try writeSuite(in: dir, budget: 3000), "--baseline", baseline,
                                              "--update-baseline"])
        #expect(unchanged.stdout.hasPrefix("baseline unchanged"))
    }

    @Test func missingRowExitsOne() throws {
        let dir = temporaryDirectory()
        let baseline = dir + "/tiny.csv"
        _ = try BenchProcess.run(["check", "--suite", try writeSuite(in: dir, budget: 500, optimizers: "[sa, random-search]"),
                                  "--baseline", baseline, "--update-baseline"])
        let result = try BenchProcess.run(["check", "--suite", try writeSuite(in: dir, budget: 500), "--baseline", baseline])
        #expect(result.status == 1)
        #expect(result.stdout.contains("missing: dw/random-search"))
    }

    @Test func unusableInputExitsTwo() throws {
        let dir = temporaryDirectory()
        let suite = try writeSuite(in: dir, budget: 100)
        let noBaseline = try BenchProcess.run(["check", "--suite", suite, "--baseline", dir + "/none.csv"])
        #expect(noBaseline.status == 2)
        #expect(noBaseline.stderr.contains("\(dir)/none.csv: cannot be read"))
        try "name: x\nlandscapes: [\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let badSuite = try BenchProcess.run(["check", "--suite", dir + "/bad.yaml", "--baseline", dir + "/none.csv"])
        #expect(badSuite.status == 2)
        #expect(badSuite.stderr.contains("\(dir)/bad.yaml: malformed YAML: line "))
        let badAlpha = try BenchProcess.run(["check", "--suite", suite, "--baseline", dir + "/none.csv", "--alpha", "2"])
        #expect(badAlpha.status == 2)
        #expect(badAlpha.stderr.contains("--alpha must lie in (0, 1), got 2.0"))
    }

    /// `--update-baseline` into a path that cannot be written stops before the suite runs (no
    /// "ran suite" line), with one line naming the flag and the obstacle, exit 2.
    @Test func unwritableBaselinePathFailsBeforeTheRun() throws {
        let dir = temporaryDirectory()
        let suite = try writeSuite(in: dir, budget: 100)
        try "x".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        for (path, reason) in [(dir + "/file/b.csv", "\(dir)/file is a file, not a folder"),
                               (dir + "/file/deeper/b.csv", "\(dir)/file is a file, not a folder"),
                               (dir, "\(dir) is a folder, expected a CSV file")] {
            let result = try BenchProcess.run(["check", "--suite", suite, "--baseline", path, "--update-baseline"])
            #expect(result.status == 2)
            #expect(result.stderr == "error: --baseline \(path): \(reason)\n")
            #expect(result.stdout.isEmpty)
        }
    }

    /// A damaged baseline stops the check with the file, line and reason, exit 2; rewriting it
    /// with `--update-baseline` works and says the old one was not used.
    @Test func damagedBaselineExitsTwoAndCanBeRewritten() throws {
        let dir = temporaryDirectory()
        let baseline = dir + "/tiny.csv"
        let suite = try writeSuite(in: dir, budget: 300)
        #expect(try BenchProcess.run(["check", "--suite", suite, "--baseline", baseline, "--update-baseline"]).status == 0)
        let original = try String(contentsOfFile: baseline, encoding: .utf8)
        try original.replacingOccurrences(of: "\n", with: "\r\n").write(toFile: baseline, atomically: true, encoding: .utf8)
        let crlf = try BenchProcess.run(["check", "--suite", suite, "--baseline", baseline])
        #expect(crlf.status == 2)
        #expect(crlf.stderr == "error: \(baseline):1: line ends with CR LF (Windows line endings); expected LF only\n")
        let trials = try String(contentsOfFile: Baseline.trialsPath(for: baseline), encoding: .utf8)
        try original.write(toFile: baseline, atomically: true, encoding: .utf8)
        try (trials + "dw/sa,0,true,false,false,false\n").write(toFile: Baseline.trialsPath(for: baseline), atomically: true, encoding: .utf8)
        let repeated = try BenchProcess.run(["check", "--suite", suite, "--baseline", baseline])
        #expect(repeated.status == 2)
        #expect(repeated.stderr == "error: \(Baseline.trialsPath(for: baseline)):42: trial 0 of row 'dw/sa' appears again (first on line 2)\n")
        let rewrite = try BenchProcess.run(["check", "--suite", suite, "--baseline", baseline, "--update-baseline"])
        #expect(rewrite.status == 0)
        #expect(rewrite.stderr.hasPrefix("note: the previous baseline is not used (\(Baseline.trialsPath(for: baseline)):42: "))
        #expect(rewrite.stdout.hasPrefix("added   dw/sa: "))
        #expect(try String(contentsOfFile: baseline, encoding: .utf8) == original)
        #expect(try String(contentsOfFile: Baseline.trialsPath(for: baseline), encoding: .utf8) == trials)
    }

    /// Couplings of 1e308 make the energy overflow to ±∞, so every trial on this instance fails
    /// (the harness's recomputation of the incumbent cannot match a non-finite value): a real
    /// failure, made from input alone.
    func writeFailingSuite(in dir: String) throws -> String {
        try "1 2 1e308\n2 3 1e308\n3 4 1e308\n4 1 -1e308\n".write(toFile: dir + "/big.txt", atomically: true, encoding: .utf8)
        let path = dir + "/failing.yaml"
        try """
            name: failing
            seed: 3
            trials: 40
            optimizers: [sa, sa-spin]
            landscapes:
              - {name: dw, family: double-well, dimension: 5, budget: 300}
              - {name: big, family: ising-file, parameters: {file: big.txt}, trials: 3, budget: 100}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Failed trials fail the gate with exit 3 and are listed with their seeds and how to reproduce
    /// them, even on a row the baseline does not have; `--update-baseline` refuses to record them
    /// and leaves the old baseline as it was.
    @Test func failedTrialsFailTheGateAndAreNeverWrittenToTheBaseline() throws {
        let dir = temporaryDirectory()
        let baseline = dir + "/tiny.csv"
        #expect(try BenchProcess.run(["check", "--suite", try writeSuite(in: dir, budget: 300), "--baseline", baseline,
                                      "--update-baseline"]).status == 0)
        let before = try String(contentsOfFile: baseline, encoding: .utf8)
        let failing = try writeFailingSuite(in: dir)
        let check = try BenchProcess.run(["check", "--suite", failing, "--baseline", baseline])
        #expect(check.status == 3)
        let failed = check.stdout.split(separator: "\n").filter { $0.hasPrefix("FAILED big/sa-spin trial ") }
        #expect(failed.count == 3)
        #expect(failed.allSatisfy { $0.contains("(start seed ") && $0.contains("(reproduce: --seed 3, landscape big, optimizer sa-spin, trial ") })
        #expect(check.stdout.contains("FAILED: big/sa-spin"))
        let update = try BenchProcess.run(["check", "--suite", failing, "--baseline", baseline, "--update-baseline"])
        #expect(update.status == 3)
        #expect(update.stderr.hasSuffix("error: --update-baseline: refusing to write \(baseline): 3 of 43 trials failed (listed above); "
                                        + "a baseline must record none\n"))
        #expect(try String(contentsOfFile: baseline, encoding: .utf8) == before)
    }

    @Test func runAcceptsASuite() throws {
        let dir = temporaryDirectory()
        let result = try BenchProcess.run(["run", "--suite", try writeSuite(in: dir, budget: 200), "--output", dir + "/out", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        // The summary (header and one row), then the comparisons: sa's reference random-search did not run.
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.last?.hasPrefix("not compared on dw: reference random-search was not run") == true)
        #expect(result.stdout.contains("dw "))
    }
}
