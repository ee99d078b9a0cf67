import Foundation
import Testing

/// `bench run --instances` and a suite's `instances:`: one row per instance, ensemble.csv, one
/// paired test per pair over the ensemble, the folder named after it; bad lists refused in one line.
@Suite struct EnsembleCLITests {
    func rows(_ path: String) throws -> [[String: String]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    @Test func anEnsembleRunWritesARowPerInstanceAndItsQuantiles() throws {
        let parent = temporaryDirectory()
        let result = try BenchProcess.run(["run", "--landscape", "sphere", "--dimension", "2", "--start", "uniform",
                                           "--optimizer", "gd,random-search", "--instances", "2-4", "--trials", "5",
                                           "--budget", "200", "--output", parent + "/runs/sphere"])
        #expect(result.status == 0, "\(result.stderr)")
        let folder = parent + "/runs/sphere"
        let summary = try rows(folder + "/summary.csv")
        #expect(summary.map { $0["landscape"]! } == ["sphere i=2", "sphere i=2", "sphere i=3", "sphere i=3", "sphere i=4", "sphere i=4"])
        let ensemble = try rows(folder + "/ensemble.csv")
        #expect(ensemble.count == 2 * 3 * 5)
        #expect(ensemble.allSatisfy { $0["ensemble"] == "sphere" && $0["instances"] == "3" && $0["trials"] == "15" })
        #expect(try rows(folder + "/comparisons.csv").map { $0["landscape"]! } == ["sphere", "sphere"])
        // The table shows the ensemble, not a row per instance (those are in summary.csv).
        #expect(result.stdout.hasPrefix("ensembles: quantiles over instances"), "\(result.stdout)")
        #expect(!result.stdout.contains("sphere i="), "\(result.stdout)")

        // Without --output the folder is named after the ensemble, not after each instance.
        let cwd = temporaryDirectory()
        let named = try BenchProcess.run(["run", "--landscape", "sphere", "--dimension", "2", "--start", "uniform", "--optimizer", "gd",
                                          "--instances", "2", "--trials", "2", "--budget", "100"], in: cwd)
        #expect(named.status == 0, "\(named.stderr)")
        let folders = try FileManager.default.contentsOfDirectory(atPath: cwd + "/Results/runs")
        #expect(folders.count == 1 && folders[0].hasSuffix("-sphere"), "\(folders)")
    }

    @Test func aSuiteEntryRunsAnEnsemble() throws {
        let dir = temporaryDirectory()
        try """
            name: ens
            optimizers: [gd]
            landscapes:
              - {family: sphere, name: bowl, dimension: 2, start: uniform, instances: [7, 9], trials: 3, budget: 100}
              - {spec: sphere, instances: 2, trials: 3, budget: 100, start: uniform}
            """.write(toFile: dir + "/ens.yaml", atomically: true, encoding: .utf8)
        let result = try BenchProcess.run(["run", "--suite", dir + "/ens.yaml", "--output", dir + "/out"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try rows(dir + "/out/summary.csv")
        #expect(summary.map { $0["landscape"]! } == ["bowl i=7", "bowl i=9", "sphere i=1", "sphere i=2"])
        #expect(Set(try rows(dir + "/out/ensemble.csv").map { $0["ensemble"]! }) == ["bowl", "sphere"])
    }

    @Test func badInstanceListsAreRefusedInOneLine() throws {
        let base = ["run", "--landscape", "sphere", "--optimizer", "gd", "--trials", "2", "--budget", "100"]
        for bad in ["0", "5-2", "1,1", "1-20000", "x"] {
            expectOneLineRefusal(try BenchProcess.run(base + ["--instances", bad]), containing: "--instances \(bad): expected a count N")
        }
        expectOneLineRefusal(try BenchProcess.run(base + ["--instances", "3", "--instance", "2"]),
                             containing: "give --instance (one) or --instances (an ensemble), not both")
        expectOneLineRefusal(try BenchProcess.run(base + ["--instances", "10000", "--trials", "101"]),
                             containing: "10000 instances × 101 trials is above the limit of 1000000 trials per ensemble")
    }

    /// An ensemble's name keys its rows, tests and baseline rows: a suite may not give it to two
    /// entries or to another landscape. And every instance is built before the run: their total
    /// size is bounded, checked on the first one.
    @Test func ensembleNamesAndSizesAreChecked() throws {
        let dir = temporaryDirectory()
        for (name, entries) in [
            ("twice", "  - {spec: sphere, instances: 2, dimension: 2}\n  - {spec: sphere, instances: 3-4, dimension: 3}"),
            ("beside", "  - sphere\n  - {spec: sphere, instances: 2-3}"),
            ("after", "  - {spec: sphere, instances: 2-3}\n  - {family: sphere, name: sphere}"),
        ] {
            try "name: \(name)\noptimizers: [gd]\ntrials: 2\nbudget: 100\nlandscapes:\n\(entries)\n"
                .write(toFile: dir + "/\(name).yaml", atomically: true, encoding: .utf8)
            expectOneLineRefusal(try BenchProcess.run(["run", "--suite", dir + "/\(name).yaml", "--start", "uniform", "--output", dir + "/out"]),
                                 containing: "shares its name with")
        }
        try "family: ferro-ring\nparameters: {size: 2000}\ninstances: 5001\ntrials: 1\n".write(toFile: dir + "/rings.yaml", atomically: true, encoding: .utf8)
        expectOneLineRefusal(try BenchProcess.run(["run", "--landscape", dir + "/rings.yaml", "--budget", "100", "--optimizer", "sa-spin"]),
                             containing: "5001 instances of size 2000 is above the limit of 10000000 in all")
    }
}
