import Foundation
import Testing

/// `--external FILE` as a user types it: the documented example runs as an optimizer of `run`,
/// `check`'s suites and `list`; a file that cannot be used is refused in one line (exit 2); a
/// program past its timeout stops the run (exit 3) and leaves an earlier run's folder as it was.
@Suite struct ExternalCLITests {
    static let example = "Examples/external/random-search.yaml"

    @Test func theExampleRunsBesideANativeMethodAndIsListed() throws {
        let output = temporaryDirectory() + "/run"
        let result = try BenchProcess.run(["run", "--external", Self.example, "--landscape", "sphere", "--dimension", "3",
                                           "--optimizer", "py-random-search,random-search", "--trials", "3", "--budget", "100",
                                           "--output", output])
        #expect(result.status == 0, "\(result.stderr)")
        let trials = try String(contentsOfFile: output + "/trials.csv", encoding: .utf8)
        #expect(trials.split(separator: "\n").filter { $0.contains(",py-random-search,") }.count == 3)
        #expect(result.stdout.contains("py-random-search"))
        // run.json says which program ran, and from which registry file.
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: output + "/run.json")))
        let optimizers = ((json as? [String: Any])?["optimizers"] as? [[[String: Any]]])?.first ?? []
        let external = optimizers.first { $0["name"] as? String == "py-random-search" }?["external"] as? [String: String]
        #expect(external?["command"] == "python3 random_search.py")
        #expect(external?["versions"]?.hasPrefix("Python 3.") == true, "\(external ?? [:])")
        #expect(external?["registry"]?.hasSuffix("/Examples/external/random-search.yaml") == true)
        #expect(optimizers.first { $0["name"] as? String == "random-search" }?["external"] == nil)
        let list = try BenchProcess.run(["list", "--external", Self.example])
        #expect(list.status == 0 && list.stdout.contains("py-random-search  (applies to: continuous landscapes; external: "))
        #expect(list.stdout.contains("step = 0.05  — standard deviation of a step"))
        #expect(!(try BenchProcess.run(["list"])).stdout.contains("py-random-search"))
    }

    /// An Ising sampler from the command line: its rows say `declared`, the table shows the
    /// accounting, and run.json records the program and its versions as for a continuous one.
    @Test func anIsingSamplerRunsBesideANativeMethodWithItsSpendDeclared() throws {
        let folder = temporaryDirectory()
        try """
            import json, sys
            trial = json.loads(sys.stdin.readline())
            print(json.dumps({"type": "states", "states": [trial["start"]], "attempts": trial["budget"]}), flush=True)
            sys.stdin.readline()
            print(json.dumps({"type": "done"}), flush=True)
            """.write(toFile: folder + "/stay.py", atomically: true, encoding: .utf8)
        try "name: stay\ncommand: python3 stay.py\nversion-command: python3 --version\nkinds: [ising]\n"
            .write(toFile: folder + "/stay.yaml", atomically: true, encoding: .utf8)
        let result = try BenchProcess.run(["run", "--external", folder + "/stay.yaml", "--landscape", "weak-strong",
                                           "--optimizer", "stay,sa-spin", "--trials", "3", "--output", folder + "/out"])
        #expect(result.status == 0, "\(result.stderr)")
        let header = try #require(result.stdout.split(separator: "\n").first)
        #expect(header.hasSuffix("final at optimum [95% CI]  median final gap  budget accounting"))
        let rows = result.stdout.components(separatedBy: "\n\n")[0].split(separator: "\n").filter { $0.hasPrefix("weak-strong") }
        #expect(rows.count == 2 && rows[0].contains(" stay ") && rows[0].hasSuffix("declared") && rows[1].hasSuffix("counted"))
        let trials = try String(contentsOfFile: folder + "/out/trials.csv", encoding: .utf8).split(separator: "\n")
        #expect(trials.filter { $0.contains(",stay,") && $0.contains(",declared,") }.count == 3)
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: folder + "/out/run.json")))
        let optimizers = ((json as? [String: Any])?["optimizers"] as? [[[String: Any]]])?.first ?? []
        let external = optimizers.first { $0["name"] as? String == "stay" }?["external"] as? [String: String]
        #expect(external?["command"] == "python3 stay.py" && external?["versions"]?.hasPrefix("Python 3.") == true)
    }

    /// A suite names its external optimizers in `external`, relative to its own folder.
    @Test func aSuiteRegistersItsExternalOptimizers() throws {
        let folder = temporaryDirectory()
        let registry = URL(fileURLWithPath: Self.example).standardizedFileURL.path
        try """
            name: with-external
            external: [\(registry)]
            optimizers: [py-random-search, random-search]
            trials: 2
            budget: 60
            landscapes: [sphere]
            """.write(toFile: folder + "/suite.yaml", atomically: true, encoding: .utf8)
        let result = try BenchProcess.run(["run", "--suite", folder + "/suite.yaml", "--output", folder + "/out"])
        #expect(result.status == 0, "\(result.stderr)")
        let trials = try String(contentsOfFile: folder + "/out/trials.csv", encoding: .utf8)
        #expect(trials.contains(",py-random-search,"))
    }

    /// The documented external landscape from the command line: selectable by name, listed with
    /// its file, recorded in run.json with its program and versions, and usable from a suite.
    @Test func theExampleLandscapeRunsAndIsListedAndRecorded() throws {
        let landscape = "Examples/external/tilted-wells.yaml"
        let output = temporaryDirectory() + "/run"
        let result = try BenchProcess.run(["run", "--external", landscape, "--landscape", "tilted-wells", "--dimension", "3",
                                           "--optimizer", "gd,bfgs-restarts", "--trials", "3", "--output", output])
        #expect(result.status == 0, "\(result.stderr)")
        let trials = try String(contentsOfFile: output + "/trials.csv", encoding: .utf8)
        #expect(trials.split(separator: "\n").filter { $0.hasPrefix("tilted-wells,") }.count == 6)
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: output + "/run.json")))
        let entry = ((json as? [String: Any])?["landscapes"] as? [[String: Any]])?.first
        let external = entry?["external"] as? [String: String]
        #expect(external?["command"] == "python3 tilted_wells.py" && external?["versions"]?.hasPrefix("Python 3.") == true)
        #expect(external?["registry"]?.hasSuffix("/Examples/external/tilted-wells.yaml") == true)
        #expect(entry?["optimumStatus"] as? String == "exact")
        let list = try BenchProcess.run(["list", "--external", landscape])
        #expect(list.status == 0 && list.stdout.contains("tilted-wells  (default d = 2; d ∈ 1…50; f*: unknown unless the program declares it"))
        #expect(list.stdout.contains("/Examples/external/tilted-wells.yaml)"))
        // From a suite's own external list, beside a built-in family.
        let folder = temporaryDirectory()
        try """
            name: with-landscape
            external: [\(URL(fileURLWithPath: landscape).standardizedFileURL.path)]
            optimizers: [gd]
            trials: 2
            landscapes: [{name: wells, family: tilted-wells, dimension: 2, parameters: {tilt: 0.5}}, sphere]
            """.write(toFile: folder + "/suite.yaml", atomically: true, encoding: .utf8)
        let suite = try BenchProcess.run(["run", "--suite", folder + "/suite.yaml", "--output", folder + "/out"])
        #expect(suite.status == 0, "\(suite.stderr)")
        #expect(try String(contentsOfFile: folder + "/out/trials.csv", encoding: .utf8).contains("\nwells,tilted-wells,"))
    }

    /// A landscape program that dies stops the run with status 3 in one line naming it, and an
    /// earlier run's folder is left as it was.
    @Test func aLandscapeThatDiesStopsTheRunWithStatus3AndKeepsTheEarlierRun() throws {
        let folder = temporaryDirectory()
        try """
            import json, sys
            sys.stdin.readline()
            print(json.dumps({"type": "ready"}), flush=True)
            for count, line in enumerate(sys.stdin):
                if count == 40: sys.exit(9)
                request = json.loads(line)
                print(json.dumps({"type": "values", "id": request["id"], "values": [sum(v * v for v in x) for x in request["points"]]}), flush=True)
            """.write(toFile: folder + "/dies.py", atomically: true, encoding: .utf8)
        try "name: dies\nfamily: external\ncommand: python3 dies.py\ndimension: 2\nbox: [-1, 1]\nrecheck-tolerance: 0\n"
            .write(toFile: folder + "/dies.yaml", atomically: true, encoding: .utf8)
        let output = folder + "/out"
        let first = try BenchProcess.run(["run", "--landscape", "sphere", "--optimizer", "gd", "--trials", "2", "--output", output])
        #expect(first.status == 0, "\(first.stderr)")
        let before = try String(contentsOfFile: output + "/trials.csv", encoding: .utf8)
        let result = try BenchProcess.run(["run", "--external", folder + "/dies.yaml", "--landscape", "dies", "--optimizer", "random-search",
                                           "--start", "uniform", "--trials", "4", "--output", output, "--overwrite"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("external landscape 'dies' exited with status 9"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(try String(contentsOfFile: output + "/trials.csv", encoding: .utf8) == before)
    }

    /// `bench` stopped by SIGTERM or SIGINT takes its external programs with it: each runs in a
    /// process group of its own (a terminal's Ctrl-C does not reach it), and the group, with the
    /// program's own children, is killed before `bench` dies of the signal.
    @Test(arguments: [SIGTERM, SIGINT])
    func aStoppedBenchStopsItsPrograms(signal: Int32) throws {
        let folder = temporaryDirectory()
        try """
            import os, subprocess, sys, time
            child = subprocess.Popen(["sleep", "120"])
            with open("pids.tmp", "w") as f: f.write("%d %d\\n" % (os.getpid(), child.pid))
            os.rename("pids.tmp", "pids.txt")
            time.sleep(120)
            """.write(toFile: folder + "/stuck.py", atomically: true, encoding: .utf8)
        try "name: stuck\ncommand: python3 stuck.py\ntimeout-seconds: 300\n".write(toFile: folder + "/stuck.yaml", atomically: true, encoding: .utf8)
        let process = Process()
        // The test runner starts its children with these signals blocked (the mask survives
        // exec), as a shell never does: bench is started with none blocked, through Python.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); "
                                + "os.execv(sys.argv[1], sys.argv[1:])", BenchProcess.executable.path,
                             "run", "--external", folder + "/stuck.yaml", "--landscape", "sphere", "--optimizer", "stuck",
                             "--trials", "1", "--output", folder + "/out"]
        FileManager.default.createFile(atPath: folder + "/stderr.txt", contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/stderr.txt"))
        try process.run()
        let started = ContinuousClock.now
        while process.isRunning && !FileManager.default.fileExists(atPath: folder + "/pids.txt")
                && ContinuousClock.now - started < .seconds(60) {
            usleep(20_000)
        }
        let stderr = ((try? String(contentsOfFile: folder + "/stderr.txt", encoding: .utf8)) ?? "")
            + ((try? String(contentsOfFile: folder + "/out/trials.csv", encoding: .utf8)) ?? "")
        let pids = try #require(try? String(contentsOfFile: folder + "/pids.txt", encoding: .utf8), "bench (running: \(process.isRunning), status \(process.isRunning ? 0 : process.terminationStatus)): \(stderr)").split(separator: " ")
            .compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(pids.count == 2)
        let stopped = ContinuousClock.now
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
        // Gone, or a zombie waiting for a parent that is no longer bench.
        func running(_ pid: Int32) -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
            return stat.split(separator: ")").last?.split(separator: " ").first != "Z"
        }
        while pids.contains(where: running) && ContinuousClock.now - stopped < .seconds(10) { usleep(20_000) }
        #expect(!pids.contains(where: running), "still running: \(pids.filter(running))")
        #expect(ContinuousClock.now - stopped < .seconds(10), "bench and its programs took \(ContinuousClock.now - stopped) to stop")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
    }

    @Test func unusableFilesAreRefusedInOneLine() throws {
        expectOneLineRefusal(try BenchProcess.run(["run", "--external", "/no/such/registry.yaml", "--landscape", "sphere"]),
                             containing: "--external /no/such/registry.yaml: file not found")
        let folder = temporaryDirectory()
        try "name: sa\ncommand: python3 x.py\n".write(toFile: folder + "/sa.yaml", atomically: true, encoding: .utf8)
        expectOneLineRefusal(try BenchProcess.run(["run", "--external", folder + "/sa.yaml", "--landscape", "sphere"]),
                             containing: "optimizer name 'sa' is already taken by a built-in optimizer")
        try "name: sphere\nfamily: external\ncommand: python3 x.py\ndimension: 2\nbox: [-1, 1]\nrecheck-tolerance: 0\n"
            .write(toFile: folder + "/sphere.yaml", atomically: true, encoding: .utf8)
        expectOneLineRefusal(try BenchProcess.run(["run", "--external", folder + "/sphere.yaml", "--landscape", "sphere"]),
                             containing: "give the external landscape another name")
        try "name: wells\nfamily: external\ncommand: python3 x.py\nbox: [-1, 1]\nrecheck-tolerance: 0\n"
            .write(toFile: folder + "/wells.yaml", atomically: true, encoding: .utf8)
        expectOneLineRefusal(try BenchProcess.run(["run", "--external", folder + "/wells.yaml", "--landscape", "wells"]),
                             containing: "\(folder)/wells.yaml: field 'dimension' is missing")
        // A name a spec in Landscapes/ already has would be shadowed by it.
        try "name: weak-strong-16\nfamily: external\ncommand: python3 x.py\ndimension: 2\nbox: [-1, 1]\nrecheck-tolerance: 0\n"
            .write(toFile: folder + "/ws.yaml", atomically: true, encoding: .utf8)
        expectOneLineRefusal(try BenchProcess.run(["run", "--external", folder + "/ws.yaml", "--landscape", "weak-strong-16"]),
                             containing: "names both the spec Landscapes/weak-strong-16.yaml and the external landscape")
        // Central differences are charged as made: --grad-cost cannot change them.
        let program = URL(fileURLWithPath: "Examples/external/tilted_wells.py").standardizedFileURL.path
        try """
            name: no-gradient
            family: external
            command: python3 \(program)
            dimension: 2
            box: [-2, 2]
            recheck-tolerance: 0
            parameters: [{name: tilt, type: real, default: 0.3, range: [0.01, 1.5]}]
            """.write(toFile: folder + "/no-gradient.yaml", atomically: true, encoding: .utf8)
        expectOneLineRefusal(try BenchProcess.run(["run", "--external", folder + "/no-gradient.yaml", "--landscape", "no-gradient",
                                                   "--optimizer", "gd", "--grad-cost", "1", "--trials", "1", "--output", folder + "/g"]),
                             containing: "--grad-cost does not apply to external landscape 'no-gradient': its gradients are central differences")
        let big = folder + "/big.yaml"
        try Data(repeating: UInt8(ascii: "#"), count: (1 << 20) + 1).write(to: URL(fileURLWithPath: big))
        expectOneLineRefusal(try BenchProcess.run(["run", "--external", big, "--landscape", "sphere"]),
                             containing: "--external \(big): 1048577 bytes, more than the 1048576 such a file may have")
        expectOneLineRefusal(try BenchProcess.run(["run", "--landscape", "sphere", "--optimizer", "py-random-search"]),
                             containing: "py-random-search")
    }

    @Test func aTimeoutStopsTheRunWithStatus3AndKeepsTheEarlierRun() throws {
        let folder = temporaryDirectory()
        try "import time\ntime.sleep(30)\n".write(toFile: folder + "/slow.py", atomically: true, encoding: .utf8)
        try "name: slow\ncommand: python3 slow.py\ntimeout-seconds: 0.5\n".write(toFile: folder + "/slow.yaml", atomically: true, encoding: .utf8)
        let output = folder + "/out"
        let first = try BenchProcess.run(["run", "--landscape", "sphere", "--optimizer", "gd", "--trials", "2", "--output", output])
        #expect(first.status == 0, "\(first.stderr)")
        let before = try String(contentsOfFile: output + "/trials.csv", encoding: .utf8)
        let result = try BenchProcess.run(["run", "--external", folder + "/slow.yaml", "--landscape", "sphere", "--optimizer", "slow",
                                           "--trials", "2", "--output", output, "--overwrite"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("external optimizer 'slow' exceeded its wall-clock timeout of 0.5 s"), "\(result.stderr)")
        #expect(result.stderr.contains("landscape sphere, optimizer slow, trial 0"))
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(try String(contentsOfFile: output + "/trials.csv", encoding: .utf8) == before)
    }
}
