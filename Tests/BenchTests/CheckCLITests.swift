import Foundation
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
