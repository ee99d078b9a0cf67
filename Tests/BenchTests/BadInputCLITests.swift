import Foundation
import Harness
import Testing

/// Writes `text` to `name` in a fresh folder and returns its path.
func writeFile(_ name: String, _ text: String, in folder: String = temporaryDirectory()) throws -> String {
    let path = (folder as NSString).appendingPathComponent(name)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// A suite of one landscape (the YAML of one list entry, indented as an item) and one optimizer.
func writeOneEntrySuite(entry: String, optimizers: String = "[random-search]", in folder: String = temporaryDirectory()) throws -> String {
    try writeFile("suite.yaml", "name: bad\nseed: 1\ntrials: 2\nbudget: 200\noptimizers: \(optimizers)\nlandscapes:\n\(entry)", in: folder)
}

/// Every command-line mistake, in every subcommand, ends in one line on stderr that names the
/// flag and what it expects, and exit status 2 (ArgumentParser printed three or four lines and
/// exited 64). A negative number after an option is that option's value, checked by the option's
/// own rule (it read as a missing value).
@Suite struct BadInputCLITests {
    @Test(arguments: [
        // run, the default subcommand
        (["--bogus"], "--bogus: unknown option of bench run"),
        (["--landscape", "rastrigin", "--gradcost", "2"], "--gradcost: unknown option of bench run (did you mean --grad-cost?"),
        (["--landscape", "rastrigin", "--trials"], "--trials: missing value, expected a whole number"),
        (["--landscape", "rastrigin", "--trials", "abc"], "--trials 'abc': expected a whole number"),
        (["--landscape", "rastrigin", "--trials", "1.5"], "--trials '1.5': expected a whole number"),
        (["--landscape", "rastrigin", "--budget", "lots"], "--budget 'lots': expected a number"),
        (["--landscape", "rastrigin", "--start", "middle"], "--start 'middle': expected one of local-min, basin, uniform, init"),
        (["--landscape", "rastrigin", "--format", "xml"], "--format 'xml': expected one of table, csv, json"),
        (["--landscape", "rastrigin", "--quiet=3"], "--quiet is a flag and takes no value, got '3'"),
        (["--landscape"], "--landscape: missing value, expected <name>"),
        (["frob", "--landscape", "rastrigin"], "'frob' is not a subcommand (valid: run, check, report, tunnel-map, tune, list)"),
        (["help", "frob"], "help 'frob': unknown subcommand (valid: run, check, report, tunnel-map, tune, list)"),
        // check
        (["check", "--suite", "s.yaml", "--baseline", "b.csv", "--bogus"], "--bogus: unknown option of bench check"),
        (["check", "--suite"], "--suite: missing value, expected <file>"),
        (["check", "--baseline", "b.csv"], "--suite is required by bench check, expected <file>"),
        (["check", "--suite", "s.yaml", "--baseline", "b.csv", "--alpha", "small"], "--alpha 'small': expected a number"),
        (["check", "--suite", "s.yaml", "--baseline", "b.csv", "--threads", "many"], "--threads 'many': expected a whole number"),
        // report
        (["report", "--bogus"], "--bogus: unknown option of bench report"),
        (["report", "some-run", "--output"], "--output: missing value, expected <file>"),
        (["report"], "give at least one run folder"),
        // tunnel-map
        (["tunnel-map", "--bogus"], "--bogus: unknown option of bench tunnel-map"),
        (["tunnel-map", "--trials", "x"], "--trials 'x': expected a whole number"),
        (["tunnel-map", "--alpha"], "--alpha: missing value, expected a number"),
        (["tunnel-map", "--seed", "1.5"], "--seed '1.5': expected a whole number from 0 to 18446744073709551615"),
        // list
        (["list", "--all"], "--all: unknown option of bench list"),
        (["list", "extra"], "unexpected argument 'extra' for bench list"),
    ])
    func commandLineErrorIsOneLineAndExitTwo(arguments: [String], message: String) throws {
        expectOneLineRefusal(try BenchProcess.run(arguments), containing: message)
    }

    /// A negative value is reported as what it is, by the option's own rule, for every numeric
    /// option of every subcommand.
    @Test(arguments: [
        (["--landscape", "rastrigin", "--trials", "-5"], "--trials must be at least 1, got -5"),
        (["--landscape", "rastrigin", "--dimension", "-3"], "--dimension must be at least 1, got -3"),
        (["--landscape", "rastrigin", "--budget", "-1e300"], "--budget must lie in 1…1e12 evaluations, got -1e+300"),
        (["--landscape", "rastrigin", "--instance", "-1"], "--instance must be 0 or more, got -1"),
        (["--landscape", "rastrigin", "--threads", "-2"], "--threads must be at least 1, got -2"),
        (["--landscape", "rastrigin", "--trace", "-1"], "--trace must be 0 or more, got -1"),
        (["--landscape", "rastrigin", "--grad-cost", "-0.5"], "--grad-cost must lie in 0.01…1e6 evaluations, got -0.5"),
        (["--landscape", "rastrigin", "--seed", "-1"], "--seed '-1': expected a whole number from 0 to 18446744073709551615"),
        (["run", "--landscape", "rastrigin", "--trials", "-.5"], "--trials '-.5': expected a whole number"),
        (["check", "--suite", "s.yaml", "--baseline", "b.csv", "--alpha", "-0.5"], "--alpha must lie in (0, 1), got -0.5"),
        (["check", "--suite", "s.yaml", "--baseline", "b.csv", "--min-drop", "-5"], "--min-drop must lie in [0, 100] percentage points, got -5.0"),
        (["check", "--suite", "s.yaml", "--baseline", "b.csv", "--threads", "-1"], "--threads must be at least 1, got -1"),
        (["tunnel-map", "--trials", "-3"], "--trials must be at least 1, got -3"),
        (["tunnel-map", "--dimension", "-1"], "--dimension must be at least 1, got -1"),
        (["tunnel-map", "--budget", "-3"], "--budget must lie in 1…1e12 evaluations, got -3"),
        (["tunnel-map", "--alpha", "-0.5"], "--alpha must lie in (0, 1), got -0.5"),
        (["tunnel-map", "--threads", "-1"], "--threads must be at least 1, got -1"),
        (["tunnel-map", "--seed", "-1"], "--seed '-1': expected a whole number from 0 to 18446744073709551615"),
        (["tunnel-map", "--heights", "-1,2"], "--heights '-1,2': expected positive numbers separated by commas"),
        (["tunnel-map", "--widths", "-0.5"], "--widths '-0.5': expected positive numbers separated by commas"),
    ])
    func negativeNumberIsCheckedAsTheOptionsValue(arguments: [String], message: String) throws {
        expectOneLineRefusal(try BenchProcess.run(arguments), containing: message)
    }

    /// Help and the version still print on stdout and exit 0, with nothing on stderr (`run -h`
    /// printed a refusal above the help).
    @Test(arguments: [["--help"], ["-h"], ["help", "run"], ["help", "check"], ["help", "tunnel-map"], ["run", "-h"],
                      ["run", "--help"], ["check", "--help"], ["report", "-h"], ["tunnel-map", "--help"], ["list", "--help"],
                      ["--version"]])
    func helpAndVersionStillPrintAndExitZero(arguments: [String]) throws {
        let result = try BenchProcess.run(arguments)
        #expect(result.status == 0)
        #expect(!result.stdout.isEmpty)
        #expect(result.stderr.isEmpty, "stderr was: \(result.stderr)")
    }

    /// A budget below one gradient leaves a gradient method no step to take; a gradient cost
    /// outside 0.01…1e6 evaluations is refused before anything runs.
    @Test func budgetBelowOneGradientIsRefusedForGradientMethods() throws {
        let out = temporaryDirectory() + "/out"
        expectOneLineRefusal(try BenchProcess.run(["--landscape", "rastrigin", "--optimizer", "gd", "--budget", "1", "--trials", "2",
                                                   "--output", out]),
                             containing: "landscape rastrigin: budget 1 is below one gradient (cost 1.9 evaluations), so gd cannot take a step")
        expectOneLineRefusal(try BenchProcess.run(["--landscape", "rastrigin", "--optimizer", "adam", "--grad-cost", "50", "--budget", "20",
                                                   "--trials", "2", "--output", out]),
                             containing: "budget 20 is below one gradient (cost 50 evaluations), so adam cannot take a step")
        let suite = try writeOneEntrySuite(entry: "  - name: r\n    family: rastrigin\n    budget: 1\n", optimizers: "[random-search, bfgs-restarts]")
        expectOneLineRefusal(try BenchProcess.run(["check", "--suite", suite, "--baseline", temporaryDirectory() + "/b.csv"]),
                             containing: "landscape r: budget 1 is below one gradient")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test(arguments: [("1e300", "1e+300"), ("1e-300", "1e-300"), ("0.001", "0.001")])
    func gradientCostOutsideItsLimitsIsRefused(value: String, shown: String) throws {
        expectOneLineRefusal(try BenchProcess.run(["--landscape", "rastrigin", "--optimizer", "gd", "--grad-cost", value,
                                                   "--output", temporaryDirectory()]),
                             containing: "--grad-cost must lie in 0.01…1e6 evaluations, got \(shown)")
    }

    /// Spec settings that make a run meaningless, refused by run (spec), run --suite and check
    /// (inline suite entries).
    @Test(arguments: [
        ("start: basin\njitter: 1e300\n", "field 'jitter' is '1e300', expected a number in (0, 1]"),
        ("start: basin\njitter: 1.5\n", "field 'jitter' is '1.5', expected a number in (0, 1]"),
        ("tolerances:\n  escape-absolute: 1e300\n", "escape tolerances 1e+300 + 1e-09·|f(m0)| are at least the landscape's value range"),
        ("tolerances:\n  escape-relative: 1e300\n", "escape tolerances 1e-06 + 1e+300·|f(m0)| are at least the landscape's value range"),
        ("tolerances:\n  escape-relative: 1\n", "escape tolerances 1e-06 + 1·|f(m0)| are at least the landscape's value range"),
        ("tolerances:\n  success: 1e300\n", "success tolerance 1e+300 is at least the landscape's value range over the box"),
    ])
    func nonsenseSpecSettingIsRefused(settings: String, message: String) throws {
        let spec = try writeFile("r.yaml", "family: rastrigin\ndimension: 2\n" + settings)
        expectOneLineRefusal(try BenchProcess.run(["--landscape", spec, "--trials", "2", "--output", temporaryDirectory()]),
                             containing: message)
        let entry = "  - name: r\n    family: rastrigin\n    dimension: 2\n"
            + settings.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
        let suite = try writeOneEntrySuite(entry: entry)
        expectOneLineRefusal(try BenchProcess.run(["--suite", suite, "--output", temporaryDirectory()]), containing: message)
        expectOneLineRefusal(try BenchProcess.run(["check", "--suite", suite, "--baseline", temporaryDirectory() + "/b.csv"]),
                             containing: message)
    }

    /// Sphere is convex and Rosenbrock in d ≤ 3 has one minimum: local-min and basin starts have
    /// no trap to start in (each trial spent 1000 quenches before the run gave up).
    @Test(arguments: [
        (["--landscape", "sphere", "--start", "local-min"], "sphere has none in d = 10: no trap exists (use --start uniform)"),
        (["--landscape", "sphere", "--start", "basin", "--dimension", "2"], "sphere has none in d = 2: no trap exists"),
        (["--landscape", "rosenbrock", "--dimension", "3", "--start", "local-min"], "rosenbrock has none in d = 3: no trap exists"),
    ])
    func startWithoutATrapIsRefused(arguments: [String], message: String) throws {
        expectOneLineRefusal(try BenchProcess.run(arguments + ["--trials", "2", "--output", temporaryDirectory()]), containing: message)
    }

    @Test func suiteStartWithoutATrapIsRefused() throws {
        let suite = try writeOneEntrySuite(entry: "  - name: s\n    family: sphere\n    dimension: 2\n    start: local-min\n")
        expectOneLineRefusal(try BenchProcess.run(["check", "--suite", suite, "--baseline", temporaryDirectory() + "/b.csv"]),
                             containing: "start 'local-min' needs a trap, a local minimum other than the global one, and sphere has none")
    }

    /// A double well's highest minimum lies dαH above f*: within the success tolerance, no
    /// minimum is a trap (each trial spent 1000 quenches before the run gave up).
    @Test func doubleWellWithoutATrapAboveTheSuccessToleranceIsRefused() throws {
        let spec = try writeFile("dw.yaml", "family: double-well\nparameters:\n  asymmetry: 0.001\ndimension: 5\nstart: basin\n")
        expectOneLineRefusal(try BenchProcess.run(["--landscape", spec, "--trials", "2", "--output", temporaryDirectory()]),
                             containing: "the highest minimum lies 0.005 above f*, within ε = 0.01: no trap exists")
    }

    /// One landscape twice would merge into one row with twice the trials.
    @Test func landscapeGivenTwiceIsRefusedNamingIt() throws {
        let out = temporaryDirectory() + "/out"
        expectOneLineRefusal(try BenchProcess.run(["--landscape", "rastrigin", "--landscape", "rastrigin", "--trials", "2", "--output", out]),
                             containing: "--landscape rastrigin: landscape 'rastrigin' is already given (by --landscape rastrigin)")
        let spec = try writeFile("rastrigin.yaml", "family: rastrigin\ndimension: 3\n")
        expectOneLineRefusal(try BenchProcess.run(["--landscape", "rastrigin", "--landscape", spec, "--trials", "2", "--output", out]),
                             containing: "landscape 'rastrigin' is already given (by --landscape rastrigin)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// A suite listing a landscape twice (refused since suites existed; kept here with the rest).
    @Test func suiteListingALandscapeTwiceIsRefusedNamingIt() throws {
        let suite = try writeOneEntrySuite(entry: "  - name: r\n    family: rastrigin\n  - name: r\n    family: rastrigin\n    dimension: 3\n")
        for arguments in [["--suite", suite, "--output", temporaryDirectory()],
                          ["check", "--suite", suite, "--baseline", temporaryDirectory() + "/b.csv"]] {
            expectOneLineRefusal(try BenchProcess.run(arguments), containing: "landscape 'r' appears twice")
        }
    }

    /// An instance file that repeats a coupling (in either order) or a field, and a declared E*
    /// below the lowest energy any state can have.
    @Test func isingFileMistakesAreRefusedWithFileAndLines() throws {
        let folder = temporaryDirectory()
        let repeated = try writeFile("repeated.txt", "# ring\n1 2 1.0\n2 3 1.0\n\n2 1 0.5\n", in: folder)
        let twice = try writeFile("twice.txt", "1 2 1.0\n1 1 0.5\n1 1 0.5\n", in: folder)
        _ = try writeFile("three.txt", "1 2 1.0\n2 3 -1.0\n1 1 0.5\n", in: folder)
        let specs = [
            ("repeated.yaml", "file: repeated.txt", "\(repeated):5: coupling (1, 2) is already given on line 2"),
            ("twice.yaml", "file: twice.txt", "\(twice):3: the field on spin 1 is already given on line 2"),
            // Σ|J| + Σ|h| = 1 + 1 + 0.5: no state lies below −2.5.
            ("low.yaml", "file: three.txt\n  ground-energy: -2.6", "ground-energy -2.6 is below −Σ|J| − Σ|h| = -2.5"),
        ]
        for (name, parameters, message) in specs {
            let spec = try writeFile(name, "family: ising-file\nparameters:\n  \(parameters)\n", in: folder)
            expectOneLineRefusal(try BenchProcess.run(["--landscape", spec, "--trials", "2", "--budget", "100",
                                                       "--output", folder + "/out"]), containing: message)
        }
        let exact = try writeFile("exact.yaml", "family: ising-file\nparameters:\n  file: three.txt\n  ground-energy: -2.5\n", in: folder)
        let result = try BenchProcess.run(["--landscape", exact, "--trials", "2", "--budget", "100", "--output", folder + "/out", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// A file that is not what the flag expects is named with its line and column, and none of
    /// its text reaches the terminal (a spec path naming /etc/shadow printed its first line).
    @Test func unreadableFilesAreNamedWithoutEchoingTheirContents() throws {
        let folder = temporaryDirectory()
        let secret = "root:$6$s3cretSalt$hashhashhash:20228:0:99999:7:::"
        let shadow = try writeFile("shadow", secret + "\nalice:$6$other$hash:20228:0:99999:7:::\n", in: folder)
        let keyed = try writeFile("keyed.yaml", "family: rastrigin\n\"token s3cret\": 1\n", in: folder)
        let valued = try writeFile("valued.yaml", "family: rastrigin\nstart: \"s3cret token\"\n", in: folder)
        let suite = try writeOneEntrySuite(entry: "  - rastrigin\n", in: folder)
        let baseline = try writeFile("b.csv", secret + "\n", in: folder)
        _ = try writeFile("b-trials.csv", secret + "\n", in: folder)
        let upSpins = try writeFile("up.txt", "1 2\ns3cret\n", in: folder)
        _ = try writeFile("pair.txt", "1 2 1.0\n2 3 1.0\n", in: folder)
        let ground = try writeFile("g.yaml", "family: ising-file\nparameters:\n  file: pair.txt\n  ground-state: up.txt\n", in: folder)
        let cases: [([String], String)] = [
            (["--landscape", shadow, "--output", folder + "/o"], "\(shadow):1: unknown field"),
            (["--suite", shadow, "--output", folder + "/o"], "\(shadow):1: unknown field"),
            (["check", "--suite", shadow, "--baseline", baseline], "\(shadow):1: unknown field"),
            (["--landscape", keyed, "--output", folder + "/o"], "\(keyed):2: unknown field (not shown: not a plain name or number, column 1)"),
            (["--landscape", valued, "--output", folder + "/o"], "\(valued):2: field 'start' is (not shown: not a plain name or number, column 8)"),
            (["check", "--suite", suite, "--baseline", baseline], "\(baseline):1: not the expected header (column 1 is not 'row'); expected 'row,landscape,"),
            (["--landscape", ground, "--output", folder + "/o"], "\(upSpins):2: entry 1 is not a spin index in 1…3"),
        ]
        for (arguments, message) in cases {
            let result = try BenchProcess.run(arguments)
            expectOneLineRefusal(result, containing: message)
            #expect(!result.stderr.contains("s3cret"), "echoed: \(result.stderr)")
        }
    }
}
