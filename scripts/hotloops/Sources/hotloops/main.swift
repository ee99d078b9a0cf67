// CPU time per unit of work of TunnelBench's hot loops, one thread, for scripts/compare-builds.
//
//   hotloops [SCALE] [--only NAME] [--once]
//   hotloops --list
//
//   SCALE        (default 1) multiplies every loop's work, a number in (0, 1000]
//   --only NAME  runs the loop NAME only (the others, and their set-up beyond the shared globals,
//                are skipped)
//   --once       runs each loop's work once, without the untimed warm-up call and without the
//                repetitions, so that an instruction count of the process covers exactly one
//                repetition plus start-up and set-up (compare-builds --instructions counts two
//                scales and subtracts, so that start-up and set-up cancel)
//   --list       prints the loops' names, one a line, and runs nothing
//
// Prints one line per loop: `NAME UNITS SECONDS CHECK`, where SECONDS is the least process CPU
// time (CLOCK_PROCESS_CPUTIME_ID) of the loop's repetitions in this run (with --once the one
// repetition's, rounded to the microsecond), UNITS the evaluations,
// flip attempts or bead moves one repetition made, and CHECK a number the loop computed (printed
// so no loop can be optimized away; equal between two builds when neither changed what the loop
// computes).
//
// Builds against commits on either side of the change that made the optimizer registries one;
// where a call differs, the older form is compiled with `-D OLD_API` (before the change the
// discrete optimizers were built by `SpinOptimizerCatalog` under the names `sa` and `sqa`, after
// it by `OptimizerCatalog` under `sa-spin` and `piqa-spin`).
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Landscapes
import Optimizers

func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func fail(_ message: String) -> Never {
    var line = "hotloops: \(message)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(2)
}

/// The loops, in the order a run times them.
let loopNames = ["rastrigin-d10-bare", "rastrigin-d10-objective", "sa-trial-rastrigin-d10",
                 "piqa-bead-move-rastrigin-d10", "sa-spin-rrg3-n1000", "piqa-spin-rrg3-n1000"]

let usage = "usage: hotloops [SCALE] [--only NAME] [--once] | hotloops --list"
let (scale, only, once): (Double, String?, Bool) = {
    var scale = 1.0, only: String? = nil, once = false
    var arguments = CommandLine.arguments.dropFirst()[...], sawScale = false
    while let argument = arguments.popFirst() {
        switch argument {
        case "--list":
            guard CommandLine.arguments.count == 2 else { fail("--list: takes no other argument; \(usage)") }
            for name in loopNames { print(name) }
            exit(0)
        case "--once":
            once = true
        case "--only":
            guard let name = arguments.popFirst(), loopNames.contains(name) else {
                fail("--only: expected a loop name, one of \(loopNames.joined(separator: ", "))")
            }
            only = name
        default:
            guard !sawScale, !argument.hasPrefix("-"), let value = Double(argument), value > 0, value <= 1000 else {
                fail("SCALE: expected one number in (0, 1000], got '\(argument)'; \(usage)")
            }
            scale = value
            sawScale = true
        }
    }
    return (scale, only, once)
}()
func scaled(_ n: Int) -> Int { max(1, Int((Double(n) * scale).rounded())) }
/// Whether the run includes the loop `name` (all of them unless `--only`).
func selected(_ name: String) -> Bool { only == nil || only == name }

/// Repetitions of each loop in a run; a run reports the fastest, since interference from other
/// processes (cache and memory traffic, preemption) only ever adds time. One with `--once`.
let repetitions = once ? 1 : 5

/// Times `body` `repetitions` times (after one untimed call of `warmup`, which fills caches and
/// pages; no warm-up with `--once`) and prints its line with the least CPU time. Does nothing for
/// a loop that `--only` leaves out.
func measure(_ name: String, warmup: () -> Void, _ body: () -> (units: Int, check: Double)) {
    guard selected(name) else { return }
    if !once { warmup() }
    var best = Double.infinity, units = 0, check = 0.0
    for _ in 0..<repetitions {
        let t0 = cpuSeconds()
        (units, check) = body()
        best = min(best, cpuSeconds() - t0)
    }
    // With --once the time is printed to the microsecond: a Double's description longer than 15
    // bytes is stored on the heap, and releasing the first such string costs the runtime some
    // 36 000 instructions, so a time printed with all its digits would make the instruction count
    // of the process depend on the time measured.
    print("\(name) \(units) \(once ? (best * 1e6).rounded() / 1e6 : best) \(check)")
}

func spinOptimizer(_ name: String) -> any SpinOptimizer {
    do {
        #if OLD_API
        return try SpinOptimizerCatalog.make(name == "sa-spin" ? "sa" : "sqa")
        #else
        return try OptimizerCatalog.make(name) as! any SpinOptimizer
        #endif
    } catch {
        fail("cannot build \(name): \(error)")
    }
}

func continuousOptimizer(_ name: String) -> any ContinuousOptimizer {
    do {
        // `as!` is a no-op at commits where the catalog already returns `any ContinuousOptimizer`.
        return try OptimizerCatalog.make(name) as! any ContinuousOptimizer
    } catch {
        fail("cannot build \(name): \(error)")
    }
}

// MARK: - Rastrigin d = 10: bare value calls and the same calls through Objective

let dimension = 10
let rastrigin = Rastrigin(dimension: dimension)
let box = rastrigin.domain
/// Points inside the box that the loops cycle through, so no call is a loop-invariant constant.
let points: [[Double]] = {
    var rng = Xoshiro256(seed: 0x5EED)
    return (0..<64).map { _ in (0..<dimension).map { i in box.lower[i] + (box.upper[i] - box.lower[i]) * rng.nextUnit() } }
}()

func bareValues(_ n: Int) -> (units: Int, check: Double) {
    var sum = 0.0
    for k in 0..<n { sum += rastrigin.value(at: points[k & 63]) }
    return (n, sum)
}

func objectiveValues(_ n: Int) -> (units: Int, check: Double) {
    var objective = Objective(landscape: rastrigin, budget: Double(n), escapeThreshold: -.infinity, successThreshold: nil)
    var sum = 0.0
    for k in 0..<n { sum += objective.value(at: points[k & 63]) }
    return (objective.evaluations, sum + objective.bestValue)
}

let valueCalls = scaled(1_400_000)
measure("rastrigin-d10-bare", warmup: { _ = bareValues(valueCalls / 10) }) { bareValues(valueCalls) }
measure("rastrigin-d10-objective", warmup: { _ = objectiveValues(valueCalls / 10) }) { objectiveValues(valueCalls) }

// MARK: - Continuous sa: whole default-budget trials (2000·d evaluations) through Objective

/// `trials` trials of `optimizer` from uniform starts, as a trial runs them: a fresh Objective,
/// the optimizer's minimize on the concrete landscape.
func continuousTrials(_ optimizer: any ContinuousOptimizer, trials: Int, seed: UInt64) -> (units: Int, check: Double) {
    var units = 0, check = 0.0
    for t in 0..<trials {
        var rng = Xoshiro256(seed: seed &+ UInt64(t))
        let start = (0..<dimension).map { i in box.lower[i] + (box.upper[i] - box.lower[i]) * rng.nextUnit() }
        var objective = Objective(landscape: rastrigin, budget: Double(2000 * dimension),
                                  escapeThreshold: -.infinity, successThreshold: nil)
        _ = optimizer.minimize(&objective, from: start, using: &rng)
        units += Int(objective.spent)
        check += objective.bestValue
    }
    return (units, check)
}

let sa = continuousOptimizer("sa")
let saTrials = scaled(30)
measure("sa-trial-rastrigin-d10", warmup: { _ = continuousTrials(sa, trials: 3, seed: 1000) }) {
    continuousTrials(sa, trials: saTrials, seed: 1)
}

// MARK: - piqa's single-bead move on Rastrigin d = 10 (P = 8)

/// `n` single-bead moves of a ring polymer of 8 beads, adaptation on. T = 1/P, so that a bead
/// (which sees V/P) samples at P·T = 1; Γ = 0.5/P keeps the link scale √(2Γβ/P) at 0.35.
func beadMoves(_ n: Int, seed: UInt64) -> (units: Int, check: Double) {
    var rng = Xoshiro256(seed: seed)
    let start = points[0]
    var objective = Objective(landscape: rastrigin, budget: .infinity, escapeThreshold: -.infinity, successThreshold: nil)
    var sampler = RingPolymerSampler(start: start, value: rastrigin.value(at: start), beads: 8, box: box,
                                     temperature: 1.0 / 8, gamma: 0.5 / 8, beadScale: 0.03, translationScale: 0.03)
    var accepted = 0
    for _ in 0..<n where sampler.beadMove(&objective, using: &rng) { accepted += 1 }
    return (objective.evaluations, objective.bestValue + Double(accepted))
}

let moves = scaled(800_000)
measure("piqa-bead-move-rastrigin-d10", warmup: { _ = beadMoves(moves / 10, seed: 2) }) { beadMoves(moves, seed: 1) }

// MARK: - Discrete annealers on a spin glass: random 3-regular graph, J = ±1, N = 1000

/// Built on first use (a static property is lazy), so a run of a continuous loop alone does not build it.
enum SpinGlass {
    static let model: IsingModel = {
        do { return try IsingModel.randomRegular(size: 1000, degree: 3, seed: 1) } catch { fail("cannot build the spin glass: \(error)") }
    }()
}

/// One trial of `budget` flip attempts from a random state, as a trial runs it.
func spinTrial(_ optimizer: any SpinOptimizer, budget: Int, seed: UInt64) -> (units: Int, check: Double) {
    var rng = Xoshiro256(seed: seed)
    let start = SpinGlass.model.randomState(using: &rng)
    var objective = SpinObjective(model: SpinGlass.model, budget: budget, start: start, escapeThreshold: -.infinity, successThreshold: nil)
    _ = optimizer.minimize(&objective, from: start, using: &rng)
    return (objective.spent, objective.bestEnergy)
}

let flipAttempts = scaled(20_000_000)
if selected("sa-spin-rrg3-n1000") {
    _ = SpinGlass.model
    let saSpin = spinOptimizer("sa-spin")
    measure("sa-spin-rrg3-n1000", warmup: { _ = spinTrial(saSpin, budget: flipAttempts / 10, seed: 2) }) {
        spinTrial(saSpin, budget: flipAttempts, seed: 1)
    }
}
if selected("piqa-spin-rrg3-n1000") {
    _ = SpinGlass.model
    let piqaSpin = spinOptimizer("piqa-spin")
    measure("piqa-spin-rrg3-n1000", warmup: { _ = spinTrial(piqaSpin, budget: flipAttempts / 10, seed: 2) }) {
        spinTrial(piqaSpin, budget: flipAttempts, seed: 1)
    }
}
