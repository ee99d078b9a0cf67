import Foundation
import Landscapes
import Optimizers
import Testing
@testable import Harness

/// An external optimizer written for one test: a Python program and its registry file in a
/// fresh folder.
struct ExternalFixture {
    let folder: String
    let registry: String

    /// `program` is the body of `prog.py`, after a prelude defining `send`, `receive` and
    /// `trial = receive()`; `fields` are extra registry lines.
    init(_ name: String, program: String, command: String = "python3 prog.py", fields: String = "", parameters: String = "") throws {
        folder = NSTemporaryDirectory() + "tunnelbench-external-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let prelude = """
            import json, sys, os, time, random
            def send(m):
                sys.stdout.write(json.dumps(m) + "\\n"); sys.stdout.flush()
            def receive():
                return json.loads(sys.stdin.readline())
            trial = receive()

            """
        try (prelude + program).write(toFile: folder + "/prog.py", atomically: true, encoding: .utf8)
        registry = folder + "/\(name).yaml"
        try "name: \(name)\ncommand: \(command)\n\(fields)\(parameters.isEmpty ? "" : "parameters:\n" + parameters)"
            .write(toFile: registry, atomically: true, encoding: .utf8)
    }

    var file: ExternalOptimizerFile { get throws { try ExternalOptimizerFile.load(registry) } }

    /// The records of `trials` trials of this optimizer on `family` (d = 2 unless given).
    func run(family: String = "rastrigin", dimension: Int = 2, trials: Int = 3, budget: Double = 200,
             threads: Int = 1, start: StartProtocolKind? = nil, overrides: [String: String] = [:]) throws -> [TrialRecord] {
        let file = try file
        return try OptimizerCatalog.withExternal([file.definition]) {
            let landscape = try ResolvedLandscape(LandscapeSpec(name: family, family: family),
                                                  overrides: SpecOverrides(dimension: dimension, trials: trials, budget: budget, start: start))
            let entries = try OptimizerEntry.entries(for: landscape, names: [file.name], overrides: [file.name: overrides])
            return try BenchmarkRun.execute(RunPlan(landscapes: [landscape], optimizers: entries, masterSeed: 7, threads: threads))
        }
    }
}

/// The registry file of the documented example (Examples/external).
let exampleRegistry = "Examples/external/random-search.yaml"

@Suite struct ExternalOptimizerTests {
    /// The documented example through the harness, on landscapes of different families and
    /// dimensions: no trial fails, the spending is the native rule's (a value costs 1; the
    /// harness stops answering once the budget is spent, so a value-only method ends exactly at
    /// it), and the rows are identical with one thread and two, and from run to run.
    @Test(arguments: [("rastrigin", 2), ("ackley", 5), ("schwefel", 3), ("double-well", 1)])
    func theDocumentedExampleRunsReproduciblyWithinItsBudget(family: String, dimension: Int) throws {
        let file = try ExternalOptimizerFile.load(exampleRegistry)
        func run(threads: Int) throws -> [TrialRecord] {
            try OptimizerCatalog.withExternal([file.definition]) {
                let landscape = try ResolvedLandscape(LandscapeSpec(name: family, family: family),
                                                      overrides: SpecOverrides(dimension: dimension, trials: 4, budget: 301))
                let entries = try OptimizerEntry.entries(for: landscape, names: [file.name, "random-search"])
                return try BenchmarkRun.execute(RunPlan(landscapes: [landscape], optimizers: entries, masterSeed: 11, threads: threads))
            }
        }
        let one = try run(threads: 1), two = try run(threads: 2), again = try run(threads: 2)
        #expect(RegistryTrialTests.timeless(one) == RegistryTrialTests.timeless(two))
        #expect(RegistryTrialTests.timeless(two) == RegistryTrialTests.timeless(again))
        let external = one.filter { $0.optimizer == file.name }
        #expect(external.count == 4)
        for record in external {
            #expect(!record.failed, "\(record.failure)")
            // 301 = f(start) + 18 batches of 16 + 12 of the 19th: the harness cuts the batch at the budget.
            #expect(record.spent == 301 && record.evaluations == 301 && record.stopReason == "budget")
        }
        // Paired with the native method: the same starts, so the same trap values.
        let native = one.filter { $0.optimizer == "random-search" }
        #expect(external.map(\.trapValue) == native.map(\.trapValue))
        #expect(external.map(\.startSeed) == native.map(\.startSeed))
    }

    /// A budget of one evaluation: f(start), then "exhausted".
    @Test func aBudgetOfOneIsOneEvaluation() throws {
        let records = try ExternalFixture("budget-edge", program: """
            send({"type": "evaluate", "point": trial["start"]})
            r = receive()
            assert r["exhausted"] and len(r["values"]) == 1
            send({"type": "evaluate", "points": [trial["start"]] * 5})
            r = receive()
            assert r["exhausted"] and r["values"] == [] and r["spent"] == 1
            send({"type": "done"})
            """).run(budget: 1)
        for record in records {
            #expect(!record.failed, "\(record.failure)")
            #expect(record.spent == 1 && record.evaluations == 1 && record.stopReason == "budget")
            // The start is the trap, and the one evaluation is of it: no escape.
            #expect(!record.escaped && record.bestValue == record.trapValue)
        }
    }

    /// What the program is told: exactly the documented fields; never f*, the trap's value or
    /// the tolerances. Its seed is the trial's optimizer stream, so it differs between trials.
    @Test func theTrialMessageHoldsTheDocumentedFieldsOnly() throws {
        let fixture = try ExternalFixture("echo", program: """
            with open("trial-%d.json" % trial["seed"], "w") as f:
                json.dump(trial, f)
            send({"type": "done"})
            """, parameters: "  - {name: mode, type: choice, choices: [fast, slow], default: slow}\n"
                + "  - {name: count, type: integer, default: 3, range: [1, 9]}\n  - {name: on, type: flag, default: true}\n")
        let records = try fixture.run(trials: 2, budget: 50, overrides: ["count": "7"])
        #expect(records.allSatisfy { !$0.failed && $0.evaluations == 0 && $0.stopReason == "converged" })
        let files = try FileManager.default.contentsOfDirectory(atPath: fixture.folder).filter { $0.hasPrefix("trial-") }
        #expect(files.count == 2)
        for name in files {
            let data = try #require(FileManager.default.contents(atPath: fixture.folder + "/" + name))
            let message = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(Set(message.keys) == ["type", "protocol", "kind", "dimension", "lower", "upper", "budget", "gradCost",
                                          "start", "seed", "parameters"])
            #expect(message["dimension"] as? Int == 2 && message["budget"] as? Double == 50)
            #expect(message["lower"] as? [Double] == [-5.12, -5.12] && message["upper"] as? [Double] == [5.12, 5.12])
            let parameters = try #require(message["parameters"] as? [String: Any])
            #expect(parameters["mode"] as? String == "slow" && parameters["count"] as? Int == 7 && parameters["on"] as? Bool == true)
        }
    }

    /// Values and gradients cross the pipe bit for bit (shortest round-trip text both ways), and
    /// a gradient is charged gradCost.
    @Test func valuesAndGradientsRoundTripExactlyAndAreCharged() throws {
        let fixture = try ExternalFixture("gradients", program: """
            rng = random.Random(trial["seed"])
            pts = [[rng.uniform(lo, hi) for lo, hi in zip(trial["lower"], trial["upper"])] for _ in range(8)]
            send({"type": "evaluate", "points": pts, "gradient": True})
            r = receive()
            with open("out-%d.json" % trial["seed"], "w") as f:
                json.dump({"points": pts, "values": r["values"], "gradients": r["gradients"], "spent": r["spent"]}, f)
            send({"type": "done"})
            """, fields: "gradients: true\n")
        let records = try fixture.run(family: "ackley", dimension: 3, trials: 2, budget: 1000)
        let landscape = try ResolvedLandscape(LandscapeSpec(name: "ackley", family: "ackley"), overrides: SpecOverrides(dimension: 3))
        guard case .continuous(let function) = landscape.landscape else { Issue.record("ackley is continuous"); return }
        for record in records {
            #expect(!record.failed, "\(record.failure)")
            #expect(record.gradientEvaluations == 8 && record.spent == (0..<8).reduce(0.0) { spent, _ in spent + function.gradCost })
        }
        // Read back with the protocol's own reader: Foundation's JSON parser does not round every
        // decimal text to the nearest double, so it cannot witness a bit-for-bit round trip.
        let charged = (0..<8).reduce(0.0) { spent, _ in spent + function.gradCost }
        for name in try FileManager.default.contentsOfDirectory(atPath: fixture.folder) where name.hasPrefix("out-") {
            let data = try #require(FileManager.default.contents(atPath: fixture.folder + "/" + name))
            let out = try JSONReader.parse(Array(data))
            let points = (out["points"]?.array ?? []).compactMap { $0.numbers }
            let gradients = (out["gradients"]?.array ?? []).compactMap { $0.numbers }
            let values = try #require(out["values"]?.numbers)
            #expect(points.count == 8 && gradients.count == 8)
            #expect(out["spent"]?.number == charged)
            for (k, x) in points.enumerated() {
                var g = [Double](repeating: 0, count: 3)
                let f = function.valueAndGradient(at: x, gradient: &g)
                #expect(values[k].bitPattern == f.bitPattern && zip(gradients[k], g).allSatisfy { $0.bitPattern == $1.bitPattern },
                        "\(values[k]) \(f) \(gradients[k]) \(g)")
            }
        }
    }

    /// Each way a program can break the protocol fails that trial with a reason naming it, and
    /// the run goes on (every trial is recorded, each failed).
    @Test(arguments: [
        ("outside", "send({'type': 'evaluate', 'point': [x - 1 for x in trial['lower']]})\nreceive()", "outside the domain box"),
        ("crash", "sys.stderr.write('boom: no such model\\n'); sys.exit(4)", "exited with status 4 before it finished the trial; its last line on stderr: boom: no such model"),
        ("garbage", "sys.stdout.write('{not json\\n'); sys.stdout.flush(); receive()", "sent malformed JSON"),
        ("wrong-type", "send({'type': 'hello'}); receive()", "sent a message of type 'hello', expected 'evaluate' or 'done'"),
        ("short-point", "send({'type': 'evaluate', 'point': [0.0]}); receive()", "sent a point that is not a list of 2 numbers"),
        ("nan-point", "sys.stdout.write('{\"type\": \"evaluate\", \"point\": [NaN, 0]}\\n'); sys.stdout.flush(); receive()", "outside the domain box"),
        ("no-gradients", "send({'type': 'evaluate', 'point': trial['start'], 'gradient': True}); receive()", "registry file says 'gradients: false'"),
        ("huge-batch", "send({'type': 'evaluate', 'points': [trial['start']] * 5000}); receive()", "more than the 4096 allowed"),
        ("not-started", "", "exited with status 127"),
        // Closes its stdin, then asks for a point: the reply's write fails with EPIPE, which must
        // fail the trial, not kill the harness with SIGPIPE.
        ("closes-stdin", "os.close(0); send({'type': 'evaluate', 'point': trial['start']}); time.sleep(0.3); sys.exit(5)",
         "exited with status 5 while a reply was sent"),
    ])
    func aBrokenProgramFailsItsTrialWithTheReason(name: String, program: String, reason: String) throws {
        // "not-started": a command that cannot run (the shell says so and exits 127).
        let commands = ["not-started": "./no-such-program"]
        let fixture = try ExternalFixture(name, program: program, command: commands[name] ?? "python3 prog.py")
        let records = try fixture.run(trials: 3)
        #expect(records.count == 3)
        for record in records {
            #expect(record.failed && record.stopReason == "failed" && !record.escaped && record.success != true)
            let expected = reason
            #expect(record.failure.contains("external optimizer '\(name)'") || name == "outside" || name == "nan-point",
                    "\(record.failure)")
            #expect(record.failure.contains(expected), "\(record.failure)")
            #expect(record.failure.contains("(reproduce: --seed 7"), "\(record.failure)")
        }
    }

    /// A program that exceeds its wall-clock timeout stops the run (it is not an outcome): the
    /// error names the landscape, the optimizer and the trial, and it comes soon after the timeout.
    @Test func aTimeoutStopsTheRunNamingTheTrial() throws {
        let fixture = try ExternalFixture("sleeper", program: "time.sleep(30)\n", fields: "timeout-seconds: 0.5\n")
        let clock = ContinuousClock.now
        #expect {
            _ = try fixture.run(trials: 2)
        } throws: { error in
            let text = String(describing: error)
            return error is RunAborted && text.contains("exceeded its wall-clock timeout of 0.5 s")
                && text.contains("landscape rastrigin, optimizer sleeper, trial 0")
        }
        #expect(ContinuousClock.now - clock < .seconds(15))
    }

    /// `reuse: true`: one process serves many trials, reset between them, and the rows are those
    /// of a process per trial, whatever order the trials reach the worker in.
    @Test func aReusedWorkerGivesTheRowsOfAFreshProcessInAnyOrder() throws {
        let loop = """
            while True:
                with open("pids.txt", "a") as f: f.write("%d\\n" % os.getpid())
                rng = random.Random(trial["seed"])
                x = trial["start"]
                for _ in range(5):
                    x = [min(hi, max(lo, v + rng.gauss(0, 0.3))) for v, lo, hi in zip(x, trial["lower"], trial["upper"])]
                    send({"type": "evaluate", "point": x})
                    if receive()["exhausted"]: break
                send({"type": "done"})
                if not REUSE: break
                assert receive()["type"] == "reset"
                send({"type": "ready"})
                trial = receive()
            """
        let reused = try ExternalFixture("reused", program: "REUSE = True\n" + loop, fields: "reuse: true\n")
        let fresh = try ExternalFixture("reused", program: "REUSE = False\n" + loop)
        func rows(_ fixture: ExternalFixture, order: [String]) throws -> [String: [String]] {
            let file = try fixture.file
            return try OptimizerCatalog.withExternal([file.definition]) {
                let entry = try OptimizerEntry(name: file.name)  // one pool for both landscapes
                let landscapes = try order.map {
                    try ResolvedLandscape(LandscapeSpec(name: $0, family: $0), overrides: SpecOverrides(dimension: 2, trials: 4, budget: 50))
                }
                let records = try BenchmarkRun.execute(RunPlan(landscapes: landscapes, optimizersPerLandscape: landscapes.map { _ in [entry] },
                                                               masterSeed: 3, threads: 1))
                return Dictionary(grouping: RegistryTrialTests.timeless(records), by: { $0.components(separatedBy: ",")[0] })
            }
        }
        let expected = try rows(fresh, order: ["rastrigin", "ackley"])
        #expect(try rows(reused, order: ["rastrigin", "ackley"]) == expected)
        #expect(try rows(reused, order: ["ackley", "rastrigin"]) == expected)
        // The reused program ran 16 trials in at most a process per plan; the fresh one, one each.
        let pids = { (f: ExternalFixture) in Set(((try? String(contentsOfFile: f.folder + "/pids.txt", encoding: .utf8)) ?? "").split(separator: "\n")) }
        #expect(pids(reused).count <= 2 && pids(fresh).count == 8)
    }

    /// Registry files that cannot be used are refused in one line naming the file and the field.
    @Test(arguments: [
        ("name: sa\ncommand: x\n", "optimizer name 'sa' is already taken by a built-in optimizer"),
        ("name: sqa\ncommand: x\n", "optimizer name 'sqa' is a former name of piqa-spin"),
        ("name: spin-free\ncommand: x\n", ""),
        ("name: Bad_Name\ncommand: x\n", "field 'name' is 'Bad_Name', expected 1 to 40 lowercase letters"),
        ("name: ok\n", "field 'command' is missing"),
        ("name: ok\ncommand: x\ncolour: red\n", "unknown field 'colour'"),
        ("name: ok\ncommand: x\nkinds: [continuous, ising]\n", "expected [continuous] or [ising] (one kind per file"),
        ("name: ok\ncommand: x\nkinds: [ising]\ngradients: true\n", "an Ising landscape has no gradient"),
        ("name: ok\ncommand: x\nkinds: [ising]\n", ""),
        ("name: ok\ncommand: x\ntimeout-seconds: 0\n", "field 'timeout-seconds' is '0', expected a number > 0"),
        ("name: ok\ncommand: x\nparameters:\n  - {name: step, default: 2, range: [0, 1]}\n", "field 'step.default' is '2', expected a real number in [0, 1]"),
        ("name: ok\ncommand: x\nparameters:\n  - {name: step, type: complex, default: 1}\n", "field 'step.type' is 'complex', expected real, integer, flag or choice"),
        ("name: ok\ncommand: x\nparameters:\n  - {name: a, default: 1}\n  - {name: a, default: 2}\n", "parameter 'a' is declared twice"),
        ("name: ok\ncommand: x\nparameters:\n  - {name: c, type: choice, default: z, choices: [x, y]}\n", "field 'c.default' is 'z', expected one of x, y"),
        ("[1, 2]\n", "expected a mapping with an external optimizer's or landscape's registry"),
    ])
    func unusableRegistryFilesAreRefused(text: String, message: String) throws {
        let path = NSTemporaryDirectory() + "tunnelbench-registry-\(UUID().uuidString).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            let file = try ExternalOptimizerFile.load(path)
            _ = try OptimizerCatalog.withExternal([file.definition]) { 0 }
            #expect(message.isEmpty, "accepted: \(text)")
        } catch {
            #expect(!message.isEmpty && String(describing: error).contains(message), "\(error)")
            #expect(!String(describing: error).contains("\n"))
        }
    }

    /// `version-command`'s output (lines joined) goes to run.json; one that fails says so there,
    /// and one that is absent records nothing.
    @Test func theVersionCommandIsRecordedOrItsFailureSaid() throws {
        let file = { (line: String) throws -> ExternalOptimizerFile in
            try ExternalOptimizerFile.parse(yaml: "name: v\ncommand: x\n" + line, file: "v.yaml", directory: NSTemporaryDirectory())
        }
        #expect(try file("version-command: printf 'lib 1.0\\n\\nother 2\\n'\n").versions() == "lib 1.0; other 2")
        #expect(try file("version-command: sh -c 'echo broken >&2; exit 3'\n").versions()
                == "unavailable: version-command exited with status 3; its last line on stderr: broken")
        #expect(try file("").versions() == nil)
    }

    /// Each command's external optimizers are its own: a name bound in one task is unknown in
    /// another, and the same file twice is one registration.
    @Test func registrationsAreScopedToTheirCommand() throws {
        let file = try ExternalOptimizerFile.load(exampleRegistry)
        try OptimizerCatalog.withExternal([file.definition, file.definition]) {
            #expect(OptimizerCatalog.names.filter { $0 == "py-random-search" }.count == 1)
        }
        #expect(!OptimizerCatalog.names.contains("py-random-search"))
        #expect(OptimizerCatalog.names == OptimizerCatalog.all.map { $0.name })
    }
}
