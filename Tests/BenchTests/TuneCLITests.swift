import Foundation
import Testing

/// `bench tune` writes its files and the chosen parameters, `run --params` runs them beside the
/// defaults and refuses the tuning instances, and bad input is one line with exit status 2.
@Suite struct TuneCLITests {
    static let small = ["tune", "--landscape", "sphere", "--dimension", "4", "--budget", "400", "--start", "uniform",
                        "--optimizer", "gd,sa", "--configurations", "4", "--trials", "1", "--threads", "1"]

    func tune() throws -> String {
        let out = temporaryDirectory() + "/tuned"
        let result = try BenchProcess.run(Self.small + ["--output", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "wrote \(out)/{tuning.csv,expected-best.csv,gd.yaml,sa.yaml,tune.json}\n")
        #expect(result.stdout.hasPrefix("| optimizer | chosen |"))
        return out
    }

    @Test func tuneWritesItsFilesAndRunUsesThem() throws {
        let out = try tune()
        let table = try String(contentsOfFile: out + "/tuning.csv", encoding: .utf8)
        // 4 + 2 rows per optimizer (rounds of 4 and 2 survivors), plus the header.
        #expect(table.split(separator: "\n").count == 1 + 2 * (4 + 2))
        let file = try String(contentsOfFile: out + "/gd.yaml", encoding: .utf8)
        #expect(file.hasPrefix("optimizer: gd\nparameters: {"))
        #expect(file.contains("  instances: [1001, 1002]\n") && file.contains("  family: sphere\n"))
        let curve = try String(contentsOfFile: out + "/expected-best.csv", encoding: .utf8)
        #expect(curve.hasPrefix("optimizer,k,expected_best\ngd,1,"))

        let run = temporaryDirectory() + "/run"
        let evaluated = try BenchProcess.run(["run", "--landscape", "sphere", "--dimension", "4", "--budget", "400", "--start", "uniform",
                                              "--trials", "3", "--params", out + "/gd.yaml", "--threads", "1", "--output", run, "--quiet"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let summary = try String(contentsOfFile: run + "/summary.csv", encoding: .utf8)
        let rows = summary.split(separator: "\n").dropFirst()
        #expect(rows.count == 2 && rows.contains { $0.contains(",gd,") } && rows.contains { $0.contains(",gd-tuned,") })
    }

    @Test func runRefusesATuningInstance() throws {
        let out = try tune()
        let run = temporaryDirectory() + "/run"
        expectOneLineRefusal(try BenchProcess.run(["run", "--landscape", "sphere", "--dimension", "4", "--instance", "1002",
                                                   "--params", out + "/gd.yaml", "--output", run]),
                             containing: "--params \(out)/gd.yaml: its parameters were tuned on instance 1002 of sphere (d = 4)")
        #expect(!FileManager.default.fileExists(atPath: run))
        // Another dimension is another problem: allowed.
        let other = try BenchProcess.run(["run", "--landscape", "sphere", "--dimension", "3", "--instance", "1002", "--budget", "100",
                                          "--trials", "2", "--params", out + "/gd.yaml", "--output", run, "--quiet"])
        #expect(other.status == 0, "\(other.stderr)")
    }

    /// A suite's `{params: FILE}` entry is the same row as `run --params FILE`: the same trials, to
    /// the bit, under the same label; the suite refuses the tuning instances as run does.
    @Test func suiteParamsEntryIsRunParams() throws {
        let out = try tune()
        let suite = out + "/suite.yaml"
        func writeSuite(instance: Int?) throws {
            try """
            seed: 1
            trials: 3
            optimizers: [gd, {params: gd.yaml}]
            landscapes:
              - {spec: sphere, dimension: 4, budget: 400, start: uniform\(instance.map { ", instance: \($0)" } ?? "")}

            """.write(toFile: suite, atomically: true, encoding: .utf8)
        }
        try writeSuite(instance: nil)
        let fromSuite = temporaryDirectory() + "/suite", fromRun = temporaryDirectory() + "/run"
        let a = try BenchProcess.run(["run", "--suite", suite, "--threads", "1", "--output", fromSuite, "--quiet"])
        let b = try BenchProcess.run(["run", "--landscape", "sphere", "--dimension", "4", "--budget", "400", "--start", "uniform",
                                      "--trials", "3", "--seed", "1", "--optimizer", "gd", "--params", out + "/gd.yaml",
                                      "--threads", "1", "--output", fromRun, "--quiet"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr)\(b.stderr)")
        let suiteRows = try DeterminismCLITests.resultColumns(fromSuite + "/trials.csv")
        #expect(suiteRows.count == 1 + 2 * 3)
        #expect(suiteRows.contains { $0.contains("gd-tuned") })
        #expect(suiteRows == (try DeterminismCLITests.resultColumns(fromRun + "/trials.csv")))

        try writeSuite(instance: 1001)
        expectOneLineRefusal(try BenchProcess.run(["run", "--suite", suite, "--output", fromSuite + "-2"]),
                             containing: "params gd.yaml: its parameters were tuned on instance 1001 of sphere (d = 4)")
        for (entry, message) in [("{params: gd.yaml, parameters: {learning-rate: 0.1}}", "give 'parameters' or 'params'"),
                                 ("{name: adam, params: gd.yaml}", "'name' is 'adam' but params gd.yaml holds optimizer 'gd'"),
                                 ("{params: missing.yaml}", "params \(out)/missing.yaml: file not found")] {
            try "trials: 1\noptimizers: [\(entry)]\nlandscapes: [sphere]\n".write(toFile: suite, atomically: true, encoding: .utf8)
            expectOneLineRefusal(try BenchProcess.run(["run", "--suite", suite, "--output", fromSuite + "-3"]), containing: message)
        }
        #expect(!FileManager.default.fileExists(atPath: fromSuite + "-2") && !FileManager.default.fileExists(atPath: fromSuite + "-3"))
    }

    @Test func badInputIsOneLine() throws {
        let base = ["tune", "--landscape", "sphere", "--dimension", "2", "--budget", "50", "--start", "uniform"]
        expectOneLineRefusal(try BenchProcess.run(base), containing: "--optimizer: give the optimizers to tune")
        expectOneLineRefusal(try BenchProcess.run(base + ["--optimizer", "sa-spin"]), containing: "'sa-spin' is not a continuous optimizer")
        expectOneLineRefusal(try BenchProcess.run(base + ["--optimizer", "gd", "--configurations", "1"]),
                             containing: "--configurations 1: expected 2 to 1024")
        expectOneLineRefusal(try BenchProcess.run(base + ["--optimizer", "gd", "--instances", "3,3"]),
                             containing: "--instances: expected distinct instance numbers")
        expectOneLineRefusal(try BenchProcess.run(["tune", "--landscape", "sk", "--optimizer", "gd"]),
                             containing: "bench tune runs on continuous landscapes only")
        // A folder holding an earlier result is not touched.
        let out = try tune()
        let before = folderContents(out)
        let again = try BenchProcess.run(Self.small + ["--output", out])
        #expect(again.status == 2 && again.stderr.split(separator: "\n").count == 1, "\(again.stderr)")
        #expect(folderContents(out) == before)
    }
}
