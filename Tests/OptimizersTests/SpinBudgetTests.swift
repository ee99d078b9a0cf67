import Landscapes
import Testing
@testable import Optimizers

// Discrete optimizers stop exactly at the budget (docs/DESIGN.md, invariant 1). The attempts are
// counted where each ΔE is computed (`SpinAttemptTally`, debug builds), independently of the bulk
// charges that make up `spent`, and the cost model (a local move 1, a global move P, a restart's
// energy N) is applied to those counts here.

/// The models: ±J couplings (the sweeps' acceptance table), Gaussian couplings (exp per attempt),
/// and weak-strong with h = 0.44 (real fields, exp per attempt).
enum SpinBudgetModel: String, CaseIterable, CustomTestStringConvertible {
    case pm, gaussian, weakStrong
    var testDescription: String { rawValue }
    func model() throws -> IsingModel {
        switch self {
        case .pm: return try IsingModel.sherringtonKirkpatrick(size: 12, gaussian: false, seed: 4)
        case .gaussian: return try IsingModel.sherringtonKirkpatrick(size: 12, gaussian: true, seed: 4)
        case .weakStrong: return try IsingModel.weakStrong(pairs: 2)
        }
    }
}

/// A discrete optimizer as the tests run it, with its P (slices or replicas; 1 otherwise).
struct SpinCase: CustomTestStringConvertible, Sendable {
    var name: String
    var overrides: [String: String]
    var population: Int
    var testDescription: String { "\(name) \(overrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))" }
}

let spinCases = [
    SpinCase(name: "sa-spin", overrides: [:], population: 1),
    SpinCase(name: "pt-spin", overrides: ["replicas": "3"], population: 3),
    SpinCase(name: "piqa-spin", overrides: ["slices": "4"], population: 4),
    SpinCase(name: "piqa-spin", overrides: ["slices": "4", "global-moves": "0"], population: 4),
    SpinCase(name: "piqa-spin", overrides: ["slices": "5", "global-moves": "1"], population: 5),
    SpinCase(name: "greedy-restarts", overrides: [:], population: 1),
]

/// Budgets at every edge of the move schedule for N spins and P slices or replicas: a single
/// attempt, one sweep ± 1, P sweeps ± 1 (one sqa sweep without global moves, one pt round), 2P
/// sweeps ± 1 (one sqa sweep with global moves), a spin's worth of attempts into a sweep ± 1, and
/// several sweeps plus a remainder.
func scheduleEdges(n: Int, p: Int) -> [Int] {
    let edges = [1, 2, p - 1, p, p + 1, 2 * p - 1, 2 * p + 1, n - 1, n, n + 1, p * n - 1, p * n, p * n + 1,
                 2 * p * n - 1, 2 * p * n, 2 * p * n + 1, 2 * p * n + p - 1, 2 * p * n + p + 1,
                 2 * p * n + 2 * p - 1, 3 * 2 * p * n + 5, 1009]
    return Array(Set(edges.filter { $0 >= 1 })).sorted()
}

@Test(.enabled(if: SpinAttemptTally.isCounting, "the sweeps count attempts in debug builds only"),
      arguments: spinCases, SpinBudgetModel.allCases)
func discreteOptimizersSpendExactlyTheAttemptsTheyMake(_ spin: SpinCase, _ which: SpinBudgetModel) throws {
    let model = try which.model()
    let n = model.size
    var rng = Xoshiro256(seed: 17)
    let trap = model.quench(model.randomState(using: &rng))
    let optimizer = try makeSpinOptimizer(spin.name, overrides: spin.overrides)
    for budget in scheduleEdges(n: n, p: spin.population) {
        let tally = SpinAttemptTally()
        var objective = SpinObjective(model: model, budget: budget, start: trap.state,
                                      escapeThreshold: trap.energy - 1e-6, successThreshold: nil)
        objective.tally = tally
        var stream = Xoshiro256(seed: UInt64(budget))
        _ = optimizer.minimize(&objective, from: trap.state, using: &stream)
        let made = tally.localMoves + spin.population * tally.globalMoves + n * tally.energyEvaluations
        let label = "\(spin.testDescription) on \(which.rawValue), N = \(n), budget \(budget)"
        #expect(made == objective.spent, "\(label): charged \(objective.spent), made \(made)")
        if spin.name == "greedy-restarts" {
            // A restart costs N: the run stops when fewer than N attempts are left.
            #expect(objective.spent <= budget && budget - objective.spent < n, "\(label): spent \(objective.spent)")
        } else {
            #expect(objective.spent == budget, "\(label): spent \(objective.spent)")
        }
        if let t = objective.spentAtEscape { #expect(t >= 1 && t <= budget, "\(label): escape at \(t)") }
        // The stored incumbent is the tracked one.
        #expect(abs(model.energy(objective.bestState) - objective.bestEnergy) <= 1e-9, "\(label)")
    }
}

@Test func greedyRestartsPayForEachRestartsEnergy() throws {
    // With a budget of N − 1 no restart can be paid: nothing is evaluated, so the incumbent stays
    // the start. With exactly N, one random state is evaluated (and nothing else can be).
    let model = try IsingModel.sherringtonKirkpatrick(size: 12, gaussian: true, seed: 4)
    var rng = Xoshiro256(seed: 2)
    let trap = model.quench(model.randomState(using: &rng))
    let optimizer = try makeSpinOptimizer("greedy-restarts")
    for budget in [model.size - 1, model.size] {
        var objective = SpinObjective(model: model, budget: budget, start: trap.state,
                                      escapeThreshold: -.infinity, successThreshold: nil)
        var stream = Xoshiro256(seed: 9)
        _ = optimizer.minimize(&objective, from: trap.state, using: &stream)
        #expect(objective.spent == (budget == model.size ? model.size : 0))
    }
}

@Test func improvementPastTheBudgetCreditsNothing() throws {
    let model = try IsingModel.sherringtonKirkpatrick(size: 6, gaussian: true, seed: 1)
    let up = [Int8](repeating: 1, count: 6)
    var objective = SpinObjective(model: model, budget: 10, start: up, escapeThreshold: .infinity, successThreshold: .infinity)
    let before = objective.bestEnergy
    objective.charge(11)
    objective.improve(before - 100, spentAt: 11)
    objective.storeIncumbent { out in for i in 0..<6 { out[i] = -1 } }
    #expect(objective.bestEnergy == before)
    #expect(objective.bestState == up)
    #expect(objective.spentAtEscape == nil)
    // The attempt that spends the budget's last unit is still credited.
    objective.improve(before - 1, spentAt: 10)
    #expect(objective.bestEnergy == before - 1)
    #expect(objective.spentAtEscape == 10)
}
