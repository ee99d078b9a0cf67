import Foundation
import Landscapes

/// A minimizer of Ising energies H(s) = −Σ_{i<j} J_ij s_i s_j − Σ_i h_i s_i.
///
/// Like `ContinuousOptimizer`: randomness only from the given `rng`, the landscape seen only
/// through the counting `SpinObjective`.
public protocol SpinOptimizer: Optimizer {
    /// Minimizes from `start` until `objective.isExhausted`; stores the incumbent before returning.
    func minimize(_ objective: inout SpinObjective, from start: [Int8], using rng: inout Xoshiro256) -> StopReason

    /// Whether what it spends is declared by the method rather than counted by the objective (an
    /// external sampler that returns final states with the attempts they cost): its rows are
    /// marked `declared` and carry no hitting times.
    static var declaresBudget: Bool { get }
}

extension SpinOptimizer {
    public static var kind: LandscapeKind { .ising }

    public static var declaresBudget: Bool { false }
}

/// How an inverse temperature (or transverse field) moves from its first to its last value.
public enum SpinSchedule: String, ParameterChoice {
    case geometric, linear

    /// Value at step t of `steps` (t = 0 gives `from`, t = steps − 1 gives `to`).
    public func value(from a: Double, to b: Double, step t: Int, steps: Int) -> Double {
        guard steps > 1 else { return b }
        let u = Double(t) / Double(steps - 1)
        switch self {
        case .geometric: return a * pow(b / a, u)
        case .linear: return a + (b - a) * u
        }
    }
}

/// Runs the single-replica sweep with the fastest exact acceptance for the model. It owns its
/// two buffers (the acceptance table and the sweep's move log): allocated once per trial when it
/// is made, freed when the last reference to it goes.
final class MetropolisRunner {
    let graph: SpinGraph
    let table: UnsafeMutablePointer<UInt64>
    let log: UnsafeMutablePointer<Int32>

    init(_ graph: SpinGraph) {
        self.graph = graph
        table = .allocate(capacity: graph.levels + 1)
        log = .allocate(capacity: graph.size)
    }

    deinit {
        table.deallocate()
        log.deallocate()
    }

    /// One sweep at β (β = ∞: greedy descent) over min(N, remaining budget) spins.
    func sweep(_ chain: SpinChain, beta: Double, rng: inout Xoshiro256, objective: inout SpinObjective) -> Int {
        let count = min(graph.size, objective.remaining)
        if beta == .infinity {
            return SpinSweep.sweep(chain, graph, count: count, acceptance: GreedyAcceptance(graph: graph), rng: &rng, objective: &objective, log: log)
        }
        // A table costs levels exponentials per sweep: worth it unless the levels outnumber the spins.
        if graph.unit != nil && graph.levels <= max(64, graph.size) {
            let acceptance = TableAcceptance(beta: beta, graph: graph, buffer: table)
            return SpinSweep.sweep(chain, graph, count: count, acceptance: acceptance, rng: &rng, objective: &objective, log: log)
        }
        return SpinSweep.sweep(chain, graph, count: count, acceptance: ExpAcceptance(beta: beta), rng: &rng, objective: &objective, log: log)
    }
}

/// Simulated annealing on spins: single-flip Metropolis sweeps in the fixed order 0…N−1, β moved
/// once per sweep from `beta-initial` to `beta-final` over the budget (⌈budget/N⌉ sweeps).
/// Defaults (0 = derived): the rule dwave-samplers documents, hot β = ln 2 / maxΔE and cold
/// β = ln 100 / ΔE_small (`IsingModel.defaultBetaRange`), geometric schedule.
public struct SpinAnnealing: SpinOptimizer {
    public static let name = "sa-spin"
    public static let seedKey = "sa"
    public static let summary = "simulated annealing: single-flip Metropolis sweeps, β geometric (or linear) hot → cold over the budget"
    /// The parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let betaInitial = Parameter<Double>("beta-initial", default: 0, in: 0...1e6,
            "hot β; 0 = ln 2 / maxΔE (worst flip accepted with probability ½)")
            .tuning(.fixed(why: "0 = auto from the couplings; bench tune runs on continuous landscapes only"))
        public static let betaFinal = Parameter<Double>("beta-final", default: 0, in: 0...1e6,
            "cold β; 0 = ln 100 / ΔE_small (small uphill flip accepted with probability 1%)")
            .tuning(.fixed(why: "0 = auto from the couplings; bench tune runs on continuous landscapes only"))
        public static let schedule = Parameter<SpinSchedule>("schedule", default: .geometric, "how β moves between the two")
    }

    public static let parameterSpecs = [Key.betaInitial.spec, Key.betaFinal.spec, Key.schedule.spec]

    public let betaInitial: Double?
    public let betaFinal: Double?
    public let schedule: SpinSchedule

    public init(parameters: ParameterValues) throws {
        betaInitial = parameters.automatic(Key.betaInitial)
        betaFinal = parameters.automatic(Key.betaFinal)
        schedule = parameters[Key.schedule]
    }

    public func minimize(_ objective: inout SpinObjective, from start: [Int8], using rng: inout Xoshiro256) -> StopReason {
        let graph = SpinGraph(objective.model)
        let runner = MetropolisRunner(graph)
        let chain = SpinChain(graph, state: start)
        let range = objective.model.defaultBetaRange
        let hot = betaInitial ?? range.hot, cold = betaFinal ?? range.cold
        let sweeps = (objective.remaining + graph.size - 1) / graph.size
        var t = 0
        while !objective.isExhausted {
            let beta = schedule.value(from: hot, to: cold, step: t, steps: sweeps)
            _ = runner.sweep(chain, beta: beta, rng: &rng, objective: &objective)
            t += 1
            if t % spinResyncPeriod == 0 { chain.resync(graph) }
        }
        objective.recordFinal(chain.state)
        return .budget
    }
}

/// Simulated quantum annealing: discrete-time path-integral Monte Carlo of the transverse-field
/// Ising model (`PathIntegralChain`) with P slices at fixed β, Γ annealed from `gamma-initial` to
/// `gamma-final` > 0 over the budget (Santoro et al., Science 295, 2427, 2002, who used a linear
/// Γ schedule). A sweep costs N·P attempts, plus N·P for the N global moves; the last sweep is cut
/// to the attempts left (`PathIntegralChain.sweep(attempts:…)`), so a run spends its budget
/// exactly. All slices start at the trial's start; the incumbent is the lowest classical energy
/// of any slice.
/// Defaults (0 = derived): β = the cold β of `sa` (the temperature `sa` ends at), Γ0 = maxΔE/2
/// (the largest local field, so quantum fluctuations initially dominate every coupling),
/// Γ1 = Γ0/1000.
public struct SpinQuantumAnnealing: SpinOptimizer {
    public static let name = "piqa-spin"
    public static let seedKey = "sqa"
    public static let walkerParameter: String? = "slices"
    public static let classicalControl: String? = SpinParallelTempering.name
    public static let summary = "simulated quantum annealing: path-integral Monte Carlo, P Trotter slices, Γ annealed Γ0 → Γ1 at fixed T, local + global moves"
    /// The parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let slices = Parameter<Int>("slices", default: 16, in: 2...1024, "P, Trotter slices")
            .tuning(.fixed(why: "P = 16 = pt-spin's R pairs the two at equal walkers; bench tune runs on continuous landscapes only"))
        public static let beta = Parameter<Double>("beta", default: 0, in: 0...1e6,
            "β of the quantum system; 0 = sa's cold β")
            .tuning(.fixed(why: "0 = auto, sa-spin's cold β; bench tune runs on continuous landscapes only"))
        public static let gammaInitial = Parameter<Double>("gamma-initial", default: 0, in: 0...1e6, "Γ0; 0 = maxΔE/2")
            .tuning(.fixed(why: "0 = auto from the couplings; bench tune runs on continuous landscapes only"))
        public static let gammaFinal = Parameter<Double>("gamma-final", default: 0, in: 0...1e6, "Γ1 > 0; 0 = Γ0/1000")
            .tuning(.fixed(why: "0 = auto, Γ0/1000; bench tune runs on continuous landscapes only"))
        public static let schedule = Parameter<SpinSchedule>("schedule", default: .linear, "how Γ moves (linear, as Santoro et al.)")
        public static let globalMoves = Parameter<Bool>("global-moves", default: true,
            "one global move (spin i in every slice) per spin per sweep")
    }

    public static let parameterSpecs = [
        Key.slices.spec,
        Key.beta.spec,
        Key.gammaInitial.spec,
        Key.gammaFinal.spec,
        Key.schedule.spec,
        Key.globalMoves.spec,
    ]

    public let slices: Int
    public let beta: Double?
    public let gammaInitial: Double?
    public let gammaFinal: Double?
    public let schedule: SpinSchedule
    public let globalMoves: Bool

    public init(parameters: ParameterValues) throws {
        slices = parameters[Key.slices]
        beta = parameters.automatic(Key.beta)
        gammaInitial = parameters.automatic(Key.gammaInitial)
        gammaFinal = parameters.automatic(Key.gammaFinal)
        schedule = parameters[Key.schedule]
        globalMoves = parameters[Key.globalMoves]
        if let g0 = gammaInitial, let g1 = gammaFinal, g1 > g0 {
            throw OptimizerError.invalidParameters(optimizer: Self.name, reason: "gamma-final \(g1) is above gamma-initial \(g0)")
        }
    }

    public func minimize(_ objective: inout SpinObjective, from start: [Int8], using rng: inout Xoshiro256) -> StopReason {
        let graph = SpinGraph(objective.model)
        let chain = PathIntegralChain(graph, slices: slices, state: start)
        let b = beta ?? objective.model.defaultBetaRange.cold
        let g0 = gammaInitial ?? max(objective.model.maxFlipEnergy / 2, 1e-9)
        let g1 = gammaFinal ?? g0 / 1000
        let perSpin = chain.costPerSpin(globalMoves: globalMoves)
        let perSweep = graph.size * perSpin
        let sweeps = (objective.remaining + perSweep - 1) / perSweep
        var t = 0
        while !objective.isExhausted {
            let gamma = schedule.value(from: g0, to: g1, step: t, steps: sweeps)
            // The last sweep is cut to the attempts left, so the run stops exactly at the budget.
            let attempts = min(perSweep, objective.remaining)
            chain.sweep(attempts: attempts, beta: b, gamma: gamma, globalMoves: globalMoves, rng: &rng, objective: &objective)
            t += 1
            if t % spinResyncPeriod == 0 { chain.resync() }
        }
        chain.resync()
        let last = (0..<chain.slices).min { chain.energy(slice: $0) < chain.energy(slice: $1) }!
        objective.recordFinal(chain.state(slice: last))
        return .budget
    }
}

/// Replica-exchange Monte Carlo (Swendsen & Wang 1986; Hukushima & Nemoto 1996): R replicas at
/// a geometric β ladder between `sa`'s hot and cold β, one Metropolis sweep each per round, then
/// exchanges of neighbouring replicas (even pairs on even rounds, odd on odd), accepted with
/// probability min(1, e^{(β_r − β_{r+1})(E_r − E_{r+1})}) at no cost (the energies are known).
/// All replicas start at the trial's start; the incumbent is the best over all replicas.
public struct SpinParallelTempering: SpinOptimizer {
    public static let name = "pt-spin"
    public static let seedKey = "pt"
    public static let walkerParameter: String? = "replicas"
    public static let summary = "parallel tempering: R Metropolis replicas on a geometric β ladder, neighbour exchanges every sweep"
    /// The parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let replicas = Parameter<Int>("replicas", default: 16, in: 2...1024,
            "R, replicas (16: compared with sqa's 16 slices at equal budget)")
            .tuning(.fixed(why: "R = 16 = piqa-spin's P pairs the two at equal walkers; bench tune runs on continuous landscapes only"))
        public static let betaMin = Parameter<Double>("beta-min", default: 0, in: 0...1e6, "hottest β; 0 = sa's hot β")
            .tuning(.fixed(why: "0 = auto, sa-spin's hot β; bench tune runs on continuous landscapes only"))
        public static let betaMax = Parameter<Double>("beta-max", default: 0, in: 0...1e6, "coldest β; 0 = sa's cold β")
            .tuning(.fixed(why: "0 = auto, sa-spin's cold β; bench tune runs on continuous landscapes only"))
    }

    public static let parameterSpecs = [Key.replicas.spec, Key.betaMin.spec, Key.betaMax.spec]

    public let replicas: Int
    public let betaMin: Double?
    public let betaMax: Double?

    public init(parameters: ParameterValues) throws {
        replicas = parameters[Key.replicas]
        betaMin = parameters.automatic(Key.betaMin)
        betaMax = parameters.automatic(Key.betaMax)
    }

    public func minimize(_ objective: inout SpinObjective, from start: [Int8], using rng: inout Xoshiro256) -> StopReason {
        let graph = SpinGraph(objective.model)
        let runner = MetropolisRunner(graph)
        let range = objective.model.defaultBetaRange
        let lo = betaMin ?? range.hot, hi = betaMax ?? range.cold
        let ladder = (0..<replicas).map { SpinSchedule.geometric.value(from: lo, to: hi, step: $0, steps: replicas) }
        // chains[r] is the replica currently at temperature ladder[r].
        var chains = (0..<replicas).map { _ in SpinChain(graph, state: start) }
        var round = 0
        // Swaps proposed and accepted between rungs r and r + 1 (index r), reported per pair.
        var proposed = [Int](repeating: 0, count: Swift.max(0, replicas - 1)), accepted = proposed
        while !objective.isExhausted {
            for r in 0..<replicas where !objective.isExhausted {
                _ = runner.sweep(chains[r], beta: ladder[r], rng: &rng, objective: &objective)
            }
            var r = round % 2
            while r + 1 < replicas {
                let delta = (ladder[r] - ladder[r + 1]) * (chains[r].energy - chains[r + 1].energy)
                proposed[r] += 1
                if delta >= 0 || rng.nextUnit() < exp(delta) { chains.swapAt(r, r + 1); accepted[r] += 1 }
                r += 2
            }
            round += 1
            if round % spinResyncPeriod == 0 { for c in chains { c.resync(graph) } }
        }
        for c in chains { c.resync(graph) }
        objective.recordFinal(chains.min { $0.energy < $1.energy }!.state)
        objective.report("swap-acceptance", zip(accepted, proposed).map { $1 > 0 ? Double($0) / Double($1) : .nan })
        return .budget
    }
}

/// The baseline every discrete method must beat: a uniform random state, quenched by greedy
/// single-flip descent in the fixed order (the reference quench, here charged one attempt per
/// ΔE), repeated until the budget is spent. No parameters.
///
/// Each restart's energy is an evaluation: computed from scratch, it is charged N attempts (as
/// many as the N local fields it needs; a sweep of ΔEs costs the same). A restart starts only
/// when N attempts remain, so the run ends at most N − 1 attempts below the budget, never above.
public struct SpinGreedyRestarts: SpinOptimizer {
    public static let name = "greedy-restarts"
    public static let summary = "random state + greedy single-flip descent, repeated: the floor every discrete method must beat"
    public static let parameterSpecs: [ParameterSpec] = []

    public init(parameters: ParameterValues) throws {}

    public func minimize(_ objective: inout SpinObjective, from start: [Int8], using rng: inout Xoshiro256) -> StopReason {
        let graph = SpinGraph(objective.model)
        let runner = MetropolisRunner(graph)
        let chain = SpinChain(graph, state: start)
        let n = graph.size
        while !objective.isExhausted {
            // A random state's energy costs N attempts; with fewer left, no restart can be paid.
            guard objective.remaining >= n else { break }
            chain.set(objective.model.randomState(using: &rng), graph)
            objective.charge(n)
            #if DEBUG
            objective.tally?.energyEvaluations += 1
            #endif
            SpinSweep.offer(chain, objective: &objective)
            while !objective.isExhausted {
                if runner.sweep(chain, beta: .infinity, rng: &rng, objective: &objective) == 0 { break }
            }
        }
        // The last restart's descent (the start itself when no restart could be paid).
        objective.recordFinal(chain.state)
        return .budget
    }
}
