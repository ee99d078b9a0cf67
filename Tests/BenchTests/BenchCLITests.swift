import Foundation
import Testing
import Harness

/// Runs the built `bench` executable as a user would and captures what it prints.
struct BenchProcess {
    var status: Int32
    var stdout: String
    var stderr: String

    static var executable: URL {
        let candidates = [CommandLine.arguments.first, Bundle.main.executablePath].compactMap { $0 }
        for path in candidates {
            var dir = URL(fileURLWithPath: path).deletingLastPathComponent()
            for _ in 0..<4 {
                let bench = dir.appendingPathComponent("bench")
                if FileManager.default.isExecutableFile(atPath: bench.path) { return bench }
                dir = dir.deletingLastPathComponent()
            }
        }
        return URL(fileURLWithPath: ".build/debug/bench")
    }

    /// Runs `bench` with `arguments`, in `directory` when given (else this process's folder).
    static func run(_ arguments: [String], in directory: String? = nil) throws -> BenchProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return BenchProcess(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                            stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A refused input: exit status 2, nothing on stdout, and one line on stderr that says `message`.
func expectOneLineRefusal(_ result: BenchProcess, containing message: String,
                          sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 2, sourceLocation: sourceLocation)
    #expect(result.stderr.contains(message), "stderr was: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.split(separator: "\n").count == 1, "not one line: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
}

func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "tunnelbench-test-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func golden(_ name: String) throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
    return try String(contentsOf: url, encoding: .utf8)
}

@Suite(.serialized) struct BenchCLITests {
    @Test func runHelpMatchesGoldenText() throws {
        let result = try BenchProcess.run(["run", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout == (try golden("run-help.txt")))
    }

    @Test func csvHeadersMatchGoldenText() throws {
        let out = temporaryDirectory()
        let result = try BenchProcess.run(["--landscape", "rastrigin", "--dimension", "2", "--trials", "3",
                                           "--budget", "200", "--optimizer", "gd", "--output", out, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let trials = try String(contentsOfFile: out + "/trials.csv", encoding: .utf8)
        let summary = try String(contentsOfFile: out + "/summary.csv", encoding: .utf8)
        let expected = try golden("csv-headers.txt").split(separator: "\n").map(String.init)
        #expect(trials.split(separator: "\n").first.map(String.init) == expected[0])
        #expect(summary.split(separator: "\n").first.map(String.init) == expected[1])
        #expect(trials.split(separator: "\n").count == 4)
        #expect(FileManager.default.fileExists(atPath: out + "/run.json"))
    }

    @Test func tableFormatPrintsOneRowPerOptimizer() throws {
        let out = temporaryDirectory()
        let result = try BenchProcess.run(["--landscape", "rastrigin", "--dimension", "2", "--trials", "4",
                                           "--budget", "300", "--optimizer", "gd", "--output", out])
        #expect(result.status == 0)
        // The summary, a blank line, then the comparisons: gd's reference random-search did not run.
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("landscape"))
        #expect(lines[1].hasPrefix("rastrigin"))
        #expect(lines[2].isEmpty)
        #expect(lines[3] == "not compared on rastrigin: reference random-search was not run, so gd has no paired test against it")
        #expect(result.stderr.contains("wrote \(out)/"))
    }

    /// Each bad input gets one line naming the flag or file and what was expected and exit status 2,
    /// values that the flags' own checks refuse (`--trials 0`) as well as unknown names, and no
    /// output folder contents change.
    @Test(arguments: [
        (["--landscape", "rastrigen"], "--landscape: unknown landscape 'rastrigen' (valid: "),
        (["--landscape", "rastrigin", "--optimizer", "gd,sgdd"], "--optimizer: unknown optimizer 'sgdd' (valid: "),
        (["--landscape", "rastrigin", "--optimizer", "gd", "--param", "learning-rat=0.1"],
         "--param 'learning-rat=0.1': no selected optimizer has a parameter 'learning-rat' (valid: gd.learning-rate"),
        (["--landscape", "rastrigin", "--optimizer", "gd", "--param", "learning-rate=-1"],
         "parameter 'learning-rate' of optimizer gd is '-1', expected a real number in"),
        (["--landscape", "rastrigin", "--dimension", "0"], "--dimension must be at least 1, got 0"),
        (["--landscape", "rastrigin", "--trials", "0"], "--trials must be at least 1, got 0"),
        (["--landscape", "rastrigin", "--budget", "0"], "--budget must lie in 1…1e12 evaluations, got 0"),
        (["--landscape", "/nonexistent/spec.yaml"], "/nonexistent/spec.yaml: file not found"),
        (["--landscape", "rastrigin", "--dimension", "2000"], "dimension 2000 is not supported by rastrigin"),
        (["--landscape", "rastrigin", "--output", "/proc/tunnelbench/out"], "--output /proc/tunnelbench/out: cannot create the folder"),
    ])
    func badInputGetsOneClearMessageAndNonZeroExit(arguments: [String], message: String) throws {
        let result = try BenchProcess.run(arguments + ["--trials", "2"].filter { _ in !arguments.contains("--trials") })
        expectOneLineRefusal(result, containing: message)
    }

    @Test func malformedSpecFileIsNamedWithItsLine() throws {
        let dir = temporaryDirectory()
        let spec = dir + "/broken.yaml"
        try "family: rastrigin\ndimension: [3\n".write(toFile: spec, atomically: true, encoding: .utf8)
        let result = try BenchProcess.run(["--landscape", spec, "--output", dir + "/out"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: \(spec): malformed YAML: line "))
    }

    @Test func badInputLeavesEarlierResultsIntact() throws {
        let out = temporaryDirectory()
        let first = try BenchProcess.run(["--landscape", "rastrigin", "--dimension", "2", "--trials", "2",
                                          "--budget", "100", "--optimizer", "gd", "--output", out, "--quiet"])
        #expect(first.status == 0)
        let before = try String(contentsOfFile: out + "/trials.csv", encoding: .utf8)
        let second = try BenchProcess.run(["--landscape", "rastrigin", "--optimizer", "nope", "--output", out])
        #expect(second.status == 2)
        #expect(try String(contentsOfFile: out + "/trials.csv", encoding: .utf8) == before)
    }

    @Test func listNamesEveryLandscapeAndOptimizer() throws {
        let result = try BenchProcess.run(["list"])
        #expect(result.status == 0)
        for name in ["rastrigin", "gd", "learning-rate"] {
            #expect(result.stdout.contains(name))
        }
        // A continuous optimizer's parameters say what bench tune draws from, or why it holds one;
        // gd's learning rate follows the rule (default 0.001 ÷ 10 … × 10); momentum's μ declares
        // its own range.
        #expect(result.stdout.contains("      learning-rate = 0.001  — η, the fixed step; 1e-3 is below 2/λ_max at the minima of every built-in family\n"
                                       + "        tune: log [0.0001, 0.01], default ÷ 10 … × 10 (the rule)\n"))
        #expect(result.stdout.contains("      momentum = 0.9  — ") && result.stdout.contains("        tune: log of 1 − value, [0.5, 0.99], 1 − μ log-uniform"))
        #expect(result.stdout.contains("        tune: held, P = R = 8 pairs piqa with pt"))
        // Ising optimizers are not tuned, and say nothing about it.
        let spin = result.stdout.components(separatedBy: "\n  sa-spin  ")[1].components(separatedBy: "\n\n")[0]
        #expect(!spin.contains("tune:"))
    }
}
