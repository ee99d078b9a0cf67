import Landscapes

/// Differential evolution (Storn & Price 1997, J. Global Optim. 11, 341) as scipy's
/// `differential_evolution` runs it by default: strategy best/1/bin, dithered mutation, immediate
/// updating, a Latin-hypercube initial population, and an L-BFGS-B polish of the best member.
///
/// Coordinates live in the unit cube u = (x − lower)/(upper − lower); M = max(5, popsize·d)
/// members. One generation draws the mutation factor F ~ Uniform[0.5, 1) (dithering), then for each
/// member i in order:
///
///     r0 ≠ r1, both ≠ i, drawn uniformly;  b = u_best + F·(u_r0 − u_r1)
///     trial_j = b_j where v_j < CR (v_j ~ Uniform[0, 1)) or j = j_fill (one index always taken),
///               u_i,j otherwise;  a trial coordinate outside [0, 1] is redrawn uniform in it
///     member i ← trial if f(trial) ≤ f_i;  the best ← trial if f(trial) ≤ f_best   (at once)
///
/// The run has converged when the population's energies satisfy std(f) ≤ atol + tol·|mean(f)|
/// (scipy's rule, tol = 0.01, atol = 0); the best member is then polished by L-BFGS-B on the box.
///
/// The start: it replaces member 0 of the first population, as scipy's `x0`, and is the first
/// evaluation. The budget, ours: scipy stops after convergence (or `maxiter` = 1000
/// generations); here the harness's budget ends the run, so after a converged population's polish
/// the method starts again from a fresh Latin-hypercube population (without the start), keeping
/// the best point found, until the `Objective` is exhausted. Every member evaluation costs 1; the
/// polish's evaluations are value-and-gradient calls (cost `gradCost`), with the analytic gradient
/// where scipy takes finite differences.
///
/// Defaults are scipy's (1.17): popsize 15, mutation (0.5, 1), recombination 0.7, tol 0.01,
/// atol 0, polish on.
public struct DifferentialEvolution: ContinuousOptimizer {
    public static let name = "differential-evolution"
    public static let summary = "scipy's differential_evolution defaults: best/1/bin, F ~ U[0.5, 1) per generation, CR = 0.7, population 15·d, L-BFGS-B polish; restarts until the budget is spent"

    public enum Key {
        public static let popsize = Parameter<Int>("popsize", default: 15, in: 1...10_000,
            "members per coordinate (M = max(5, popsize·d)); 15 as scipy")
        public static let mutationLow = Parameter<Double>("mutation-low", default: 0.5, in: 0...2,
            "lower end of the dithered mutation factor F; 0.5 as scipy's mutation=(0.5, 1)")
        public static let mutationHigh = Parameter<Double>("mutation-high", default: 1, in: 0...2,
            "upper end of F (equal to mutation-low: no dithering); 1 as scipy")
        public static let recombination = Parameter<Double>("recombination", default: 0.7, in: 0...1,
            "crossover probability CR; 0.7 as scipy")
        public static let tol = Parameter<Double>("tol", default: 0.01, in: 0...1e6,
            "converged when std(f) ≤ atol + tol·|mean(f)| over the population; 0.01 as scipy")
        public static let atol = Parameter<Double>("atol", default: 0, in: 0...1e300,
            "absolute part of the convergence rule; 0 as scipy")
            .tuning(.fixed(why: "0 as scipy; tol carries the convergence rule, relative to the values"))
        public static let polish = Parameter<Bool>("polish", default: true,
            "polish the best member of a converged population by L-BFGS-B; on as scipy")
    }

    public static let parameterSpecs = [Key.popsize.spec, Key.mutationLow.spec, Key.mutationHigh.spec, Key.recombination.spec,
                                        Key.tol.spec, Key.atol.spec, Key.polish.spec]

    let popsize: Int
    let mutation: ClosedRange<Double>
    let recombination: Double
    let tol: Double
    let atol: Double
    let polish: Bool

    public init(parameters: ParameterValues) throws {
        popsize = parameters[Key.popsize]
        let low = parameters[Key.mutationLow], high = parameters[Key.mutationHigh]
        guard low <= high else {
            throw OptimizerError.invalidParameters(
                optimizer: Self.name,
                reason: "mutation-low \(formatReal(low)) is above mutation-high \(formatReal(high)); F is drawn between them")
        }
        mutation = low...high
        recombination = parameters[Key.recombination]
        tol = parameters[Key.tol]
        atol = parameters[Key.atol]
        polish = parameters[Key.polish]
    }

    /// The most members × d the population may hold (400 MB): d ≤ 1825 at popsize 15.
    public static let maximumPopulationSize = 50_000_000

    public func sizeLimit(dimension d: Int) -> String? {
        let m = Swift.max(5, popsize * d)
        guard m * d > Self.maximumPopulationSize else { return nil }
        return "population \(m) members × d = \(d) is above its limit of \(Self.maximumPopulationSize) coordinates"
    }

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        let box = objective.domain
        let d = start.count
        let m = Swift.max(5, popsize * d)
        // x: the point of the member or trial being evaluated, one buffer for the whole run.
        var x = start
        func place(_ u: ArraySlice<Double>) {
            for j in 0..<d {
                x[j] = Swift.min(box.lower[j] + u[u.startIndex + j] * (box.upper[j] - box.lower[j]), box.upper[j])
            }
        }
        // population[i·d ..< (i+1)·d] is member i in unit coordinates; energies[i] its value.
        var population = [Double](repeating: 0, count: m * d)
        var energies = [Double](repeating: .infinity, count: m)
        var trial = [Double](repeating: 0, count: d)
        var first = true
        while !objective.isExhausted {
            latinHypercube(&population, members: m, dimension: d, using: &rng)
            var best = 0
            for i in 0..<m {
                if first && i == 0 {
                    for j in 0..<d { population[j] = (start[j] - box.lower[j]) / (box.upper[j] - box.lower[j]) }
                    energies[0] = objective.value(at: start)
                } else {
                    if objective.isExhausted {
                        energies[i] = .infinity
                    } else {
                        place(population[i * d ..< (i + 1) * d])
                        energies[i] = objective.value(at: x)
                    }
                }
                if energies[i] < energies[best] { best = i }
            }
            first = false
            while !objective.isExhausted && !converged(energies) {
                let f = mutation.lowerBound + (mutation.upperBound - mutation.lowerBound) * rng.nextUnit()
                for i in 0..<m where !objective.isExhausted {
                    var r0 = Int(rng.nextIndex(below: UInt64(m - 1))); if r0 >= i { r0 += 1 }
                    var r1 = Int(rng.nextIndex(below: UInt64(m - 2)))
                    // r1 uniform over the members other than i and r0.
                    let (a, b) = (Swift.min(i, r0), Swift.max(i, r0))
                    if r1 >= a { r1 += 1 }
                    if r1 >= b { r1 += 1 }
                    let fill = Int(rng.nextIndex(below: UInt64(d)))
                    for j in 0..<d {
                        let crosses = rng.nextUnit() < recombination || j == fill
                        var v = population[i * d + j]
                        if crosses {
                            v = population[best * d + j] + f * (population[r0 * d + j] - population[r1 * d + j])
                            if !(0...1).contains(v) { v = rng.nextUnit() }
                        }
                        trial[j] = v
                    }
                    place(trial[...])
                    let value = objective.value(at: x)
                    if value <= energies[i] {
                        for j in 0..<d { population[i * d + j] = trial[j] }
                        energies[i] = value
                        if value <= energies[best] { best = i }
                    }
                }
            }
            if polish && !objective.isExhausted {
                place(population[best * d ..< (best + 1) * d])
                var lbfgs = BoundedLBFGS(box: box)
                _ = lbfgs.minimize(&objective, from: &x)
            }
        }
        return .budget
    }

    /// scipy's rule: std(f) ≤ atol + tol·|mean(f)| (population standard deviation).
    func converged(_ energies: [Double]) -> Bool {
        guard energies.allSatisfy(\.isFinite) else { return false }
        let n = Double(energies.count)
        let mean = energies.reduce(0, +) / n
        let variance = energies.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        return variance.squareRoot() <= atol + tol * Swift.abs(mean)
    }

    /// Member i's coordinate j in segment π_j(i) of [0, 1) cut into M equal segments, uniform in
    /// it, π_j an independent random permutation per coordinate (scipy's `latinhypercube`).
    func latinHypercube(_ population: inout [Double], members m: Int, dimension d: Int, using rng: inout Xoshiro256) {
        var order = Array(0..<m)
        for j in 0..<d {
            for k in stride(from: m - 1, to: 0, by: -1) {
                order.swapAt(k, Int(rng.nextIndex(below: UInt64(k + 1))))
            }
            for i in 0..<m { population[i * d + j] = (Double(order[i]) + rng.nextUnit()) / Double(m) }
        }
    }
}
