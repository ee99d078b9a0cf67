import Landscapes
import Testing
@testable import Optimizers

/// The landscapes every optimizer is run on, with a start inside each box.
enum Case: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case rastrigin, quadratic, doubleWell, slope
    var testDescription: String { rawValue }

    /// Runs `body` with the concrete landscape and start (one existential opening per case).
    func with<T>(_ body: (any ContinuousLandscape, [Double]) -> T) -> T {
        switch self {
        case .rastrigin: return body(Rastrigin(dimension: 3), [0.995, -1.99, 2.98])
        case .quadratic: return body(Quadratic1D(curvature: 2), [1.5])
        case .doubleWell: return body(DoubleWell1D(), [0.97])
        case .slope: return body(Slope2D(), [2.5, 0.25])
        }
    }
}

func trial<L: ContinuousLandscape>(
    _ optimizer: any ContinuousOptimizer, on landscape: L, from start: [Double], budget: Double,
    gradCost: Double, seed: UInt64
) -> (reason: StopReason, objective: Objective<L>, rng: Xoshiro256) {
    var objective = plainObjective(landscape, budget: budget, gradCost: gradCost)
    let (reason, rng) = run(optimizer, &objective, from: start, seed: seed)
    return (reason, objective, rng)
}

@Test(arguments: OptimizerCatalog.names(for: .continuous), Case.allCases)
func everyOptimizerRespectsBudgetAndDomain(_ name: String, _ landscapeCase: Case) throws {
    let optimizer = try makeContinuousOptimizer(name)
    landscapeCase.with { landscape, start in checkBudgetAndDomain(optimizer, on: landscape, from: start) }
}

func checkBudgetAndDomain<L: ContinuousLandscape>(
    _ optimizer: any ContinuousOptimizer, on landscape: L, from start: [Double]
) {
    let budget = 3000.0, gradCost = 2.5
    let (reason, objective, _) = trial(optimizer, on: landscape, from: start, budget: budget,
                                       gradCost: gradCost, seed: 11)
    // The call that crosses the budget is answered, so the overshoot is below one call's cost.
    #expect(objective.spent <= budget + gradCost)
    #expect(reason == .converged || objective.spent >= budget)
    // No out-of-box point (the Objective refuses it) and no non-finite value.
    #expect(objective.failure == nil, "\(objective.failure?.description ?? "")")
    #expect(landscape.domain.contains(objective.bestPoint))
    #expect(objective.bestValue <= landscape.value(at: start))
}

@Test(arguments: OptimizerCatalog.names(for: .continuous))
func deterministicGivenSeed(_ name: String) throws {
    let optimizer = try makeContinuousOptimizer(name)
    let landscape = Rastrigin(dimension: 3)
    let start = [0.995, -1.99, 2.98]
    let first = trial(optimizer, on: landscape, from: start, budget: 2000, gradCost: 1, seed: 42)
    let second = trial(optimizer, on: landscape, from: start, budget: 2000, gradCost: 1, seed: 42)
    #expect(first.reason == second.reason)
    #expect(first.objective.bestValue == second.objective.bestValue)
    #expect(first.objective.bestPoint == second.objective.bestPoint)
    #expect(first.objective.spent == second.objective.spent)
    #expect(first.objective.evaluations == second.objective.evaluations)
    // The passed generator is left in the same state: all randomness came from it, in the same order.
    var a = first.rng, b = second.rng
    #expect(a.next() == b.next())
}

@Test func randomSearchIsUniform() throws {
    let landscape = Recording(base: Slope2D())
    let budget = 20_001
    var objective = plainObjective(landscape, budget: Double(budget))
    _ = run(try makeContinuousOptimizer("random-search"), &objective, from: [2.5, 0.25], seed: 3)
    let points = landscape.log.points.dropFirst()  // the first evaluation is the start
    let n = points.count
    #expect(n == budget - 1)
    let bins = 10, p = 1.0 / Double(bins)
    // Each bin count is Binomial(n, 1/10): mean n/10, standard deviation √(n·p(1−p)) ≈ 42.4.
    // A 5σ band per bin: the chance that any of the 2×10 bins of a correct sampler leaves it is
    // ≤ 20 × 5.7e-7 ≈ 1e-5.
    let sd = (Double(n) * p * (1 - p)).squareRoot()
    let box = landscape.domain
    for coordinate in 0..<2 {
        var counts = [Int](repeating: 0, count: bins)
        for x in points {
            let u = (x[coordinate] - box.lower[coordinate]) / (box.upper[coordinate] - box.lower[coordinate])
            counts[min(Int(u * Double(bins)), bins - 1)] += 1
        }
        for (i, c) in counts.enumerated() {
            #expect(abs(Double(c) - Double(n) * p) <= 5 * sd, "coordinate \(coordinate), bin \(i): \(c)")
        }
    }
}

@Test func unknownParameterIsRejectedWithItsName() {
    #expect {
        _ = try makeContinuousOptimizer("sa", overrides: ["no-such-knob": "1"])
    } throws: { error in
        guard let e = error as? ParameterError, case .unknown(let owner, let name, let valid) = e else { return false }
        return owner == "optimizer sa" && name == "no-such-knob" && valid.contains("initial-temperature")
            && e.description.contains("unknown parameter 'no-such-knob' for optimizer sa")
    }
}

@Test(arguments: [("adam", "beta1", "1"), ("momentum", "nesterov", "maybe"), ("gd", "learning-rate", "-1"),
                  ("sa", "target-acceptance", "0"), ("sgd", "temperature-samples", "2.5")])
func invalidParameterValueIsRejectedWithWhatWasExpected(_ name: String, _ parameter: String, _ value: String) {
    #expect {
        _ = try makeContinuousOptimizer(name, overrides: [parameter: value])
    } throws: { error in
        guard let e = error as? ParameterError, case .invalid(_, let p, let v, _) = e else { return false }
        return p == parameter && v == value && e.description.contains("expected")
    }
}

@Test(arguments: ["sa", "sgd"])
func finalTemperatureAboveInitialIsInconsistent(_ name: String) {
    #expect(throws: OptimizerError.invalidParameters(
        optimizer: name, reason: "final-temperature 2 is above initial-temperature 1; annealing cools")) {
        _ = try makeContinuousOptimizer(name, overrides: ["initial-temperature": "1", "final-temperature": "2"])
    }
    // Equal temperatures (a fixed-temperature run) are allowed.
    #expect(throws: Never.self) {
        _ = try makeContinuousOptimizer(name, overrides: ["initial-temperature": "1", "final-temperature": "1"])
    }
}

@Test func unknownOptimizerIsRejectedWithTheValidNames() {
    #expect(throws: OptimizerError.unknown("nope", valid: OptimizerCatalog.names)) {
        _ = try OptimizerCatalog.make("nope")
    }
}

@Test(arguments: OptimizerCatalog.names(for: .continuous))
func everyDefaultIsAnAcceptedValueThatRoundTrips(_ name: String) throws {
    let type = try OptimizerCatalog.definition(named: name)
    for spec in type.parameterSpecs {
        #expect(spec.parse(spec.format(spec.defaultValue)) == spec.defaultValue, "\(name) \(spec.name)")
        #expect(!spec.summary.isEmpty)
    }
    // Building with explicit defaults equals building with none.
    let explicit = Dictionary(uniqueKeysWithValues: type.parameterSpecs.map { ($0.name, $0.format($0.defaultValue)) })
    _ = try makeContinuousOptimizer(name, overrides: explicit)
}
