import Foundation
import Landscapes
import Optimizers
import Testing
@testable import Harness

/// f(x) = Σ (x_i² − 1)² + t·x_i, the documented example's landscape, computed here from its
/// formula: one coordinate's term, its derivatives, and its two minima found by Newton's method
/// (the program finds them by Cardano's formula).
struct TiltedWells {
    var tilt: Double

    func term(_ v: Double) -> Double { (v * v - 1) * (v * v - 1) + tilt * v }
    func slope(_ v: Double) -> Double { 4 * v * (v * v - 1) + tilt }
    func value(_ x: [Double]) -> Double { x.reduce(0) { $0 + term($1) } }
    /// Σ |parts of each term|, the scale of f's rounding error.
    func scale(_ x: [Double]) -> Double { x.reduce(1) { $0 + (($1 * $1 - 1) * ($1 * $1 - 1)) + abs(tilt * $1) } }

    /// The minimum of one term near `guess` (−1: the lower, left well; +1: the right one).
    func minimum(near guess: Double) -> Double {
        var v = guess
        for _ in 0..<60 { v -= slope(v) / (12 * v * v - 4) }
        return v
    }
    var left: Double { term(minimum(near: -1)) }
    var right: Double { term(minimum(near: 1)) }
    /// The values of the local minima in d: k coordinates in the right well, k = 0 the global one.
    func minima(dimension d: Int) -> [Double] { (0...d).map { k in Double(k) * right + Double(d - k) * left } }
}

/// An external landscape written for one test: `program` (Python) and a registry file with
/// `fields`, in a fresh folder. `example` programs run the documented example's program instead.
struct LandscapeFixture {
    let folder: String
    let registry: String
    let name: String

    static let exampleProgram = URL(fileURLWithPath: "Examples/external/tilted_wells.py").standardizedFileURL.path

    init(_ name: String, program: String? = nil, fields: String) throws {
        self.name = name
        folder = NSTemporaryDirectory() + "tunnelbench-landscape-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let command: String
        if let program {
            try program.write(toFile: folder + "/prog.py", atomically: true, encoding: .utf8)
            command = "python3 prog.py"
        } else {
            command = "python3 \(Self.exampleProgram)"
        }
        registry = folder + "/\(name).yaml"
        try "name: \(name)\nfamily: external\ncommand: \(command)\n\(fields)".write(toFile: registry, atomically: true, encoding: .utf8)
    }

    /// The documented example's program under another registry file: d ∈ 1…10 on [−2, 2].
    static func example(_ name: String, gradient: Bool) throws -> LandscapeFixture {
        try LandscapeFixture(name, fields: """
            dimension: 2
            dimensions: [1, 10]
            box: [-2, 2]
            \(gradient ? "gradient: true\ngrad-cost: 2" : "gradient: false")
            recheck-tolerance: 0
            parameters:
              - {name: tilt, type: real, default: 0.3, range: [0.01, 1.5]}

            """)
    }

    var file: ExternalRegistryFile { get throws { try ExternalRegistryFile.load(registry) } }

    func registering<T>(_ body: () throws -> T) throws -> T { try ExternalRegistryFile.registering([file], body) }

    func resolved(dimension: Int, trials: Int = 3, budget: Double = 300, start: StartProtocolKind? = nil,
                  parameters: [String: String] = [:]) throws -> ResolvedLandscape {
        var spec = LandscapeSpec(name: name, family: name)
        spec.parameters = parameters
        return try ResolvedLandscape(spec, overrides: SpecOverrides(dimension: dimension, trials: trials, budget: budget, start: start))
    }

    /// The records of `optimizers` on this landscape.
    func run(_ optimizers: [String], dimension: Int = 2, trials: Int = 3, budget: Double = 300, threads: Int = 1,
             start: StartProtocolKind? = nil, parameters: [String: String] = [:]) throws -> [TrialRecord] {
        try registering {
            let landscape = try resolved(dimension: dimension, trials: trials, budget: budget, start: start, parameters: parameters)
            let entries = try OptimizerEntry.entries(for: landscape, names: optimizers)
            return try BenchmarkRun.execute(RunPlan(landscapes: [landscape], optimizers: entries, masterSeed: 5, threads: threads))
        }
    }

    /// The continuous instance itself.
    func instance(dimension: Int, tilt: Double) throws -> any ContinuousLandscape {
        try registering {
            guard case .continuous(let landscape) = try resolved(dimension: dimension, parameters: ["tilt": "\(tilt)"]).landscape else {
                throw HarnessError("not continuous")
            }
            return landscape
        }
    }
}

@Suite struct ExternalLandscapeTests {
    /// Through the protocol, the documented example's values, gradients and declared optimum are
    /// the formula's: at random points, at the walls, and for a tilt that is not a round number.
    @Test func theDocumentedExampleAnswersWithTheFormula() throws {
        let tilt = 0.7310585786300049
        let example = try ExternalRegistryFile.load("Examples/external/tilted-wells.yaml")
        let d = 3
        let f = TiltedWells(tilt: tilt)
        try ExternalRegistryFile.registering([example]) {
            var spec = LandscapeSpec(name: "tilted-wells", family: "tilted-wells")
            spec.parameters = ["tilt": "\(tilt)"]
            let resolved = try ResolvedLandscape(spec, overrides: SpecOverrides(dimension: d))
            guard case .continuous(let landscape) = resolved.landscape else { Issue.record("not continuous"); return }
            // f* = d · (the left well's term), exact.
            #expect(landscape.optimum.status == .exact)
            let optimum = try #require(landscape.optimum.value)
            #expect(abs(optimum - Double(d) * f.left) <= 1e-13 * Double(d), "\(optimum) vs \(Double(d) * f.left)")
            var rng = Xoshiro256(seed: 42)
            var points = (0..<40).map { _ in (0..<d).map { _ in -2 + 4 * rng.nextUnit() } }
            points.append([-2, 2, 0])
            points.append([2, 2, 2])
            var gradient = [Double](repeating: 0, count: d)
            for x in points {
                let rounding = 8 * Double.ulpOfOne * f.scale(x)
                #expect(abs(landscape.value(at: x) - f.value(x)) <= rounding, "x = \(x)")
                let value = landscape.valueAndGradient(at: x, gradient: &gradient)
                #expect(abs(value - f.value(x)) <= rounding)
                for i in 0..<d {
                    #expect(abs(gradient[i] - f.slope(x[i])) <= 8 * Double.ulpOfOne * (1 + 4 * abs(x[i]) * (x[i] * x[i] + 1) + tilt))
                }
            }
            #expect(landscape.programFailure == nil)
        }
    }

    /// docs/external.md shows the example's program and registry file as they are.
    @Test func theDocsShowTheExampleAsItIs() throws {
        let page = try String(contentsOfFile: "docs/external.md", encoding: .utf8)
        for file in ["Examples/external/tilted_wells.py", "Examples/external/tilted-wells.yaml"] {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(page.contains("\n" + text + "```\n"), "docs/external.md does not show \(file) as it is")
        }
    }

    /// Without `gradient: true` a gradient is central differences: inside the box within their
    /// truncation (h²/6·max|f‴| with f‴ = 24x) and rounding (a few ε·Σ|terms| / h) bounds; at a
    /// wall one-sided, inward (the program refuses a point outside the box), within h/2·max|f″|.
    @Test func centralDifferencesAreWithinTheirErrorBounds() throws {
        let program = """
            import json, sys
            def send(m):
                sys.stdout.write(json.dumps(m) + "\\n"); sys.stdout.flush()
            landscape = json.loads(sys.stdin.readline())
            lo, hi, tilt = landscape["lower"], landscape["upper"], landscape["parameters"]["tilt"]
            assert not landscape["gradient"]
            assert landscape["protocol"] == 2, "landscape protocol %r" % landscape["protocol"]
            send({"type": "ready"})
            for line in sys.stdin:
                request = json.loads(line)
                assert not request["gradient"]
                for x in request["points"]:
                    if any(v < a or v > b for v, a, b in zip(x, lo, hi)):
                        sys.exit("point outside the box: %r" % x)
                send({"type": "values", "id": request["id"], "values": [sum((v * v - 1) ** 2 + tilt * v for v in x) for x in request["points"]]})
            """
        let fixture = try LandscapeFixture("tw-differences", program: program, fields: """
            dimension: 4
            box: [-2, 2]
            recheck-tolerance: 0
            parameters:
              - {name: tilt, type: real, default: 0.3, range: [0.01, 1.5]}

            """)
        let tilt = 0.41421356237309503
        let f = TiltedWells(tilt: tilt)
        let landscape = try fixture.instance(dimension: 4, tilt: tilt)
        var rng = Xoshiro256(seed: 9)
        var points = (0..<30).map { _ in (0..<4).map { _ in -2 + 4 * rng.nextUnit() } }
        points.append([2, -2, 0, 1e-3])  // two walls
        points.append([2 - 1e-7, -2 + 1e-7, 1, -1])  // closer to the walls than h
        var gradient = [Double](repeating: 0, count: 4)
        for x in points {
            let value = landscape.valueAndGradient(at: x, gradient: &gradient)
            #expect(abs(value - f.value(x)) <= 8 * Double.ulpOfOne * f.scale(x))
            for i in 0..<4 {
                let h = cbrt(Double.ulpOfOne) * max(1, abs(x[i]))
                let rounding = 16 * Double.ulpOfOne * f.scale(x) / h
                let up = min(x[i] + h, 2), down = max(x[i] - h, -2)
                let bound: Double
                if up - down < 1.5 * h {
                    // One-sided over a width w ≥ h: error ≤ w/2·max|f″|, f″ = 12x² − 4 ≤ 44 on the box.
                    bound = (up - down) / 2 * 44 + rounding / (up - down) * h
                } else {
                    bound = h * h / 6 * 24 * (abs(x[i]) + h) + rounding
                }
                #expect(abs(gradient[i] - f.slope(x[i])) <= bound, "x = \(x), i = \(i): \(gradient[i]) vs \(f.slope(x[i])), bound \(bound)")
            }
        }
        #expect(landscape.programFailure == nil)
    }

    /// What a gradient costs: the declared grad-cost with `gradient: true`, 2d + 1 value
    /// evaluations without; every run's spend is evaluations + cost × gradients, past its budget
    /// by at most one call.
    @Test(arguments: [true, false])
    func aGradientCostsWhatTheRegistryFileImplies(gradient: Bool) throws {
        let d = 3
        let fixture = try LandscapeFixture.example(gradient ? "tw-cost-declared" : "tw-cost-differences", gradient: gradient)
        let records = try fixture.run(["gd", "bfgs-restarts"], dimension: d, trials: 2, budget: 500)
        let cost = gradient ? 2.0 : Double(2 * d + 1)
        for record in records {
            #expect(!record.failed, "\(record.failure)")
            #expect(record.gradientEvaluations > 0)
            #expect(record.spent == Double(record.evaluations) + cost * Double(record.gradientEvaluations), "\(record.optimizer)")
            // The last call may end past the budget by at most its own cost (Objective's rule).
            #expect(record.spent <= 500 + max(1, cost))
        }
    }

    /// The local-minimum start's trap is a minimum of the formula other than the global one, with
    /// the program's gradients and with central differences; gradient descent stays in it and
    /// multi-start L-BFGS-B finds f*.
    @Test(arguments: [true, false])
    func theTrapIsALocalMinimumOfTheFormula(gradient: Bool) throws {
        let d = 3
        let fixture = try LandscapeFixture.example(gradient ? "tw-trap-declared" : "tw-trap-differences", gradient: gradient)
        let records = try fixture.run(["gd", "bfgs-restarts"], dimension: d, trials: 4, budget: 2000, start: .localMin)
        let minima = TiltedWells(tilt: 0.3).minima(dimension: d)
        // The quench stops within its gradient tolerance of the minimum: the value is off by O(|g|²).
        let tolerance = gradient ? 1e-10 : 1e-8
        for record in records {
            #expect(!record.failed, "\(record.failure)")
            #expect(record.trapped)
            let k = minima.indices.min { abs(minima[$0] - record.trapValue) < abs(minima[$1] - record.trapValue) }!
            #expect(k >= 1 && abs(minima[k] - record.trapValue) <= tolerance, "trap \(record.trapValue), minima \(minima)")
            if record.optimizer == "gd" { #expect(!record.escaped) }
            if record.optimizer == "bfgs-restarts" { #expect(record.success == true && record.gap! <= 1e-6) }
        }
    }

    /// One program per worker thread, any of which may answer: the rows are the same with one
    /// thread and two, and from run to run.
    @Test func rowsAreTheSameAtOneAndTwoThreadsAndFromRunToRun() throws {
        let fixture = try LandscapeFixture.example("tw-threads", gradient: false)
        let optimizers = ["gd", "sa", "bfgs-restarts"]
        let one = try fixture.run(optimizers, trials: 4, threads: 1)
        let two = try fixture.run(optimizers, trials: 4, threads: 2)
        let again = try fixture.run(optimizers, trials: 4, threads: 2)
        #expect(one.count == 12 && one.allSatisfy { !$0.failed })
        #expect(RegistryTrialTests.timeless(one) == RegistryTrialTests.timeless(two))
        #expect(RegistryTrialTests.timeless(two) == RegistryTrialTests.timeless(again))
    }

    /// A program that stops answering stops the run (it is not an outcome of the optimizer), in
    /// a trial or while the starts are drawn, and the error names the landscape.
    @Test(arguments: [StartProtocolKind.uniform, .localMin])
    func aProgramThatCrashesMidRunStopsTheRun(start: StartProtocolKind) throws {
        let program = """
            import json, sys
            landscape = json.loads(sys.stdin.readline())
            print(json.dumps({"type": "ready"}), flush=True)
            for count, line in enumerate(sys.stdin):
                if count == 12:
                    sys.exit("out of memory")
                request = json.loads(line)
                points = request["points"]
                print(json.dumps({"type": "values", "id": request["id"], "values": [sum((v * v - 1) ** 2 + 0.3 * v for v in x) for x in points]}), flush=True)
            """
        let fixture = try LandscapeFixture("crashy", program: program, fields: "dimension: 2\nbox: [-2, 2]\nrecheck-tolerance: 0\n")
        #expect {
            _ = try fixture.run(["random-search"], trials: 3, budget: 200, start: start)
        } throws: { error in
            let text = String(describing: error)
            return error is RunAborted && text.contains("external landscape 'crashy' exited with status 1")
                && text.contains("out of memory") && text.contains("not an outcome")
        }
    }

    /// Values that are not finite, a reply of the wrong size or out of step with the requests, and
    /// a `ready` with a malformed optimum each stop the run with what was wrong.
    @Test(arguments: [
        ("print(json.dumps({'type': 'ready'}), flush=True)\nfor line in sys.stdin: print(json.dumps({'type': 'values', 'id': json.loads(line)['id'], "
            + "'values': [float('nan')] * len(json.loads(line)['points'])}), flush=True)", "sent a value that is not finite (nan)"),
        ("print(json.dumps({'type': 'ready'}), flush=True)\nfor line in sys.stdin: print('{\"type\": \"values\", \"id\": ' + str(json.loads(line)['id']) + ', \"values\": [' "
            + "+ ','.join(['1e999'] * len(json.loads(line)['points'])) + ']}', flush=True)", "sent a value that is not finite (inf)"),
        ("print(json.dumps({'type': 'ready'}), flush=True)\nfor line in sys.stdin: print(json.dumps({'type': 'values', 'id': json.loads(line)['id'], 'values': []}), flush=True)",
         "sent 'values' that is not a list of"),
        ("print(json.dumps({'type': 'ready', 'optimum': {'value': 'low'}}), flush=True)", "optimum.value is not a finite number"),
        ("print(json.dumps({'type': 'ready', 'optimum': {'value': 0, 'status': 'guessed'}}), flush=True)",
         "optimum.status is not exact, planted or best-known"),
        ("print(json.dumps({'type': 'hello'}), flush=True)", "expected {\"type\":\"ready\"}"),
        // A reply without the request's id, and one reply too many: the extra line would pass as
        // request 4's answer (right type, right count) and shift every later one.
        ("print(json.dumps({'type': 'ready'}), flush=True)\nfor line in sys.stdin: print(json.dumps({'type': 'values', "
            + "'values': [0.0] * len(json.loads(line)['points'])}), flush=True)", "sent a 'values' reply with no id to request 1"),
        ("print(json.dumps({'type': 'ready'}), flush=True)\nfor line in sys.stdin:\n    r = json.loads(line)\n"
            + "    for _ in range(2 if r['id'] == 3 else 1): print(json.dumps({'type': 'values', 'id': r['id'], "
            + "'values': [0.0] * len(r['points'])}), flush=True)", "sent a 'values' reply with id 3 to request 4"),
    ])
    func aBrokenReplyStopsTheRun(program: String, message: String) throws {
        let fixture = try LandscapeFixture("broken", program: "import json, sys\nsys.stdin.readline()\n" + program + "\n",
                                           fields: "dimension: 2\nbox: [-1, 1]\nrecheck-tolerance: 0\ntimeout-seconds: 10\n")
        #expect {
            _ = try fixture.run(["random-search"], trials: 2, budget: 50, start: .uniform)
        } throws: { error in
            error is RunAborted && String(describing: error).contains("external landscape 'broken' ")
                && String(describing: error).contains(message)
        }
    }

    /// The incumbent's recheck uses the registry's tolerance: a program whose values wander by
    /// about 1e-9 fails it at recheck-tolerance 0 and passes at 1e-6.
    @Test func aProgramThatDoesNotRepeatItsValuesFailsTheRecheck() throws {
        let program = """
            import json, sys, random
            landscape = json.loads(sys.stdin.readline())
            print(json.dumps({"type": "ready"}), flush=True)
            for line in sys.stdin:
                request = json.loads(line)
                points = request["points"]
                print(json.dumps({"type": "values", "id": request["id"], "values": [sum(v * v for v in x) + 1e-9 * random.random() for x in points]}), flush=True)
            """
        for (tolerance, fails) in [("0", true), ("1e-6", false)] {
            let fixture = try LandscapeFixture("noisy", program: program,
                                               fields: "dimension: 2\nbox: [-1, 1]\nrecheck-tolerance: \(tolerance)\n")
            let records = try fixture.run(["random-search"], trials: 3, budget: 100, start: .uniform)
            #expect(records.count == 3)
            for record in records {
                #expect(record.failed == fails, "\(record.failure)")
                if fails { #expect(record.failure.hasPrefix("incumbent mismatch")) }
            }
            // Noise of 1e-9 makes central differences noisy by ~1e-4, far above the quench's
            // 1e-7: the local-minimum start cannot be drawn, and the refusal says what to use.
            if !fails {
                #expect {
                    _ = try fixture.run(["random-search"], trials: 1, budget: 100, start: .localMin)
                } throws: { error in
                    String(describing: error).contains("reached the setup limit")
                        && String(describing: error).contains("use --start uniform (values that differ by up to recheck-tolerance")
                }
            }
        }
    }

    /// Idle programs are bounded across instances: a plan of more instances than
    /// `ExternalLandscape.maximumIdle` ends with at most that many programs running (each
    /// program writes its pid when it starts), not one per instance.
    @Test func manyInstancesDoNotHoldAProgramEach() throws {
        let program = """
            import json, os, sys
            landscape = json.loads(sys.stdin.readline())
            with open("pids.txt", "a") as f: f.write("%d\\n" % os.getpid())
            print(json.dumps({"type": "ready"}), flush=True)
            for line in sys.stdin:
                request = json.loads(line)
                points = request["points"]
                print(json.dumps({"type": "values", "id": request["id"], "values": [sum(v * v for v in x) for x in points]}), flush=True)
            """
        let fixture = try LandscapeFixture("many", program: program, fields: "dimension: 2\nbox: [-1, 1]\nrecheck-tolerance: 0\n")
        let count = ExternalLandscape.maximumIdle + 16
        try fixture.registering {
            var landscapes = [ResolvedLandscape]()
            for instance in 1...count {
                var spec = LandscapeSpec(name: "many", family: "many")
                spec.instance = instance
                landscapes.append(try ResolvedLandscape(spec, overrides: SpecOverrides(trials: 1, budget: 20, start: .uniform)))
            }
            let entries = try OptimizerEntry.entries(for: landscapes[0], names: ["random-search"])
            let records = try BenchmarkRun.execute(RunPlan(landscapes: landscapes, optimizers: entries, masterSeed: 3, threads: 2))
            #expect(records.count == count && records.allSatisfy { !$0.failed })
            let pids = try String(contentsOfFile: fixture.folder + "/pids.txt", encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
            #expect(pids.count >= count)
            usleep(300_000)  // the evicted programs have been stopped; let them be reaped
            let running = pids.filter { FileManager.default.fileExists(atPath: "/proc/\($0)") }
            #expect(running.count <= ExternalLandscape.maximumIdle, "\(running.count) of \(pids.count) programs still running")
            withExtendedLifetime(landscapes) {}
        }
    }

    /// Each field of a registry file is checked, and a taken name is refused.
    @Test(arguments: [
        ("dimension: 2\nrecheck-tolerance: 0\n", "field 'box' is missing"),
        ("box: [-1, 1]\nrecheck-tolerance: 0\n", "field 'dimension' is missing"),
        ("dimension: 2\nbox: [-1, 1]\n", "field 'recheck-tolerance' is missing"),
        ("dimension: 2\nbox: [1, -1]\nrecheck-tolerance: 0\n", "expected [lower, upper], finite numbers with lower < upper"),
        ("dimension: 2\nbox: [-1, .inf]\nrecheck-tolerance: 0\n", "expected [lower, upper], finite numbers with lower < upper"),
        ("dimension: 2\nbox: [-1e308, 1e308]\nrecheck-tolerance: 0\n", "and a finite width"),
        ("dimension: 0\nbox: [-1, 1]\nrecheck-tolerance: 0\n", "field 'dimension'"),
        ("dimension: 2000000\nbox: [-1, 1]\nrecheck-tolerance: 0\n", "field 'dimension'"),
        ("dimension: 5\ndimensions: [6, 9]\nbox: [-1, 1]\nrecheck-tolerance: 0\n", "1 ≤ low ≤ dimension (5) ≤ high"),
        ("dimension: 2\nbox: [-1, 1]\nrecheck-tolerance: 0\ngradient: true\n", "field 'grad-cost' is missing"),
        ("dimension: 2\nbox: [-1, 1]\nrecheck-tolerance: 0\ngrad-cost: 2\n", "'grad-cost' applies only with gradient: true"),
        ("dimension: 2\nbox: [-1, 1]\nrecheck-tolerance: -1\n", "field 'recheck-tolerance'"),
        ("dimension: 2\nbox: [-1, 1]\nrecheck-tolerance: 0\noptimum: {value: 1, status: guessed}\n", "exact, planted or best-known"),
        ("dimension: 2\nbox: [-1, 1]\nrecheck-tolerance: 0\noptimum: {status: exact}\n", "field 'optimum.value' is missing"),
        ("dimension: 2\nbox: [-1, 1]\nrecheck-tolerance: 0\nkinds: [ising]\n", "kinds"),
        ("dimension: 2\nbox: [-1, 1]\nrecheck-tolerance: 0\ntimeout-seconds: 1e9\n", "at most 86400"),
    ])
    func aRegistryFileIsCheckedFieldByField(fields: String, message: String) throws {
        let fixture = try LandscapeFixture("checked", program: "", fields: fields)
        #expect { _ = try fixture.file } throws: { error in
            String(describing: error).contains(message) && String(describing: error).contains(fixture.registry)
        }
    }

    @Test func aBuiltInFamilysNameIsRefused() throws {
        let fixture = try LandscapeFixture("rastrigin", program: "", fields: "dimension: 2\nbox: [-1, 1]\nrecheck-tolerance: 0\n")
        #expect {
            try fixture.registering {}
        } throws: { error in
            String(describing: error).contains("'rastrigin'") && String(describing: error).contains("give the external landscape another name")
        }
        // A registry file names no family but `external`.
        let other = fixture.folder + "/other.yaml"
        try "name: py-other\nfamily: gaussian\ncommand: python3 x.py\ndimension: 2\nbox: [-1, 1]\nrecheck-tolerance: 0\n"
            .write(toFile: other, atomically: true, encoding: .utf8)
        #expect { _ = try ExternalRegistryFile.load(other) } throws: {
            String(describing: $0).contains("field 'family'") && String(describing: $0).contains("external")
        }
    }
}
