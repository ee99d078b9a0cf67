import Foundation
import GSL
import Landscapes
import Testing
@testable import Optimizers

// Exactness of the discrete samplers against enumeration, transfer matrices and exact
// diagonalization. Convention everywhere: H(s) = −Σ_{i<j} J_ij s_i s_j − Σ_i h_i s_i.

/// Checks each series' mean against its exact value by batch means (SamplerStatistics.swift):
/// every series must have batches ≥ 20τ long, and every Student-t statistic must be within the
/// Bonferroni critical value t_{B−1}(1 − α/(2m)) over the m series, family-wise α = 0.001.
func expectBatchMeans(_ series: [[Double]], exact: [Double], batches: Int = 50, _ label: String) {
    let critical = studentTQuantile(1 - 0.001 / (2 * Double(series.count)), degreesOfFreedom: batches - 1)
    for (o, xs) in series.enumerated() {
        let tau = integratedAutocorrelationTime(xs)
        #expect(Double(xs.count / batches) >= 20 * tau, "\(label) \(o): τ = \(tau)")
        let estimate = batchMeansEstimate(xs, batches: batches)
        #expect(abs(estimate.t(against: exact[o])) <= critical,
                "\(label) \(o): \(estimate.mean) ± \(estimate.standardError), exact \(exact[o]), critical t \(critical)")
    }
}

func unboundedObjective(_ model: IsingModel, _ start: [Int8]) -> SpinObjective {
    SpinObjective(model: model, budget: .max, start: start, escapeThreshold: -.infinity, successThreshold: nil)
}

/// Every state of N spins, as bit patterns (bit i set: s_i = +1).
func allStates(_ n: Int) -> [[Int8]] {
    (0..<(1 << n)).map { bits in (0..<n).map { (bits >> $0) & 1 == 1 ? 1 : -1 } }
}

/// The test ring of the path-integral tests: N = 4, J = 1, h = 0.2, transverse field Γ.
func testRing() throws -> IsingModel {
    try IsingModel(size: 4, edges: (0..<4).map { ($0, ($0 + 1) % 4, 1.0) }, fields: [0.2, 0.2, 0.2, 0.2])
}

@Test(arguments: ["gaussian", "pm"])
func metropolisAtFixedBetaSamplesBoltzmannOfSmallSpinGlass(couplings: String) throws {
    // N = 6 SK instance: 64 states, enumerated. "pm" exercises the acceptance table, "gaussian"
    // the per-attempt exponential.
    let model = try IsingModel.sherringtonKirkpatrick(size: 6, gaussian: couplings == "gaussian", seed: 11)
    let beta = 1.5
    let states = allStates(6)
    let energies = states.map(model.energy)
    let eMin = energies.min()!
    let weights = energies.map { exp(-beta * ($0 - eMin)) }
    let z = weights.reduce(0, +)
    let exactMean = zip(energies, weights).reduce(0) { $0 + $1.0 * $1.1 } / z
    let groundIndex = energies.firstIndex(of: eMin)!
    let exactGround = weights.enumerated().filter { abs(energies[$0.offset] - eMin) < 1e-12 }.reduce(0) { $0 + $1.element } / z
    _ = groundIndex

    let graph = SpinGraph(model)
    let runner = MetropolisRunner(graph)
    let chain = SpinChain(graph, state: states[0])
    var objective = unboundedObjective(model, states[0])
    var rng = Xoshiro256(seed: 5)
    var e = [Double](), ground = [Double]()
    for t in 0..<101_000 {
        _ = runner.sweep(chain, beta: beta, rng: &rng, objective: &objective)
        guard t >= 1000 else { continue }  // burn-in
        e.append(chain.energy)
        ground.append(abs(chain.energy - eMin) < 1e-9 ? 1 : 0)
    }
    // ⟨E⟩ and P(ground) by batch means, Student-t with Bonferroni over the two (fixed seed).
    expectBatchMeans([e, ground], exact: [exactMean, exactGround], "\(couplings): ⟨E⟩, P(ground)")
}

/// Exact finite-P averages of the path-integral model by the transfer matrix
/// T(σ, σ') = e^{−εH(σ)/2} e^{K⊥ Σ σ_i σ'_i} e^{−εH(σ')/2}, ε = β/P: Z_P = Tr T^P and a diagonal
/// observable O on one slice averages to Tr(O T^P)/Z_P. Returns (⟨s_0 s_1⟩, ⟨H⟩ of a slice).
func trotterAverages(_ model: IsingModel, beta: Double, gamma: Double, slices p: Int) -> (correlation: Double, energy: Double) {
    let averages = trotterDiagonalAverages(model, beta: beta, gamma: gamma, slices: p,
                                           [{ Double($0[0] * $0[1]) }, { model.energy($0) }])
    return (averages[0], averages[1])
}

@Test func transferMatrixEqualsEnumerationOfFourSliceModel() throws {
    // The transfer-matrix values used below are checked against brute-force enumeration of all
    // 2^16 configurations of N = 4, P = 4 (exact arithmetic up to rounding: tolerance 1e-10).
    let model = try testRing()
    let beta = 2.0, gamma = 1.0, p = 4
    let kPerp = PathIntegralChain.trotterCoupling(beta: beta, gamma: gamma, slices: p)
    let states = allStates(4)
    let h = states.map(model.energy)
    var z = 0.0, corr = 0.0, energy = 0.0
    for config in 0..<(1 << 16) {
        let slice = (0..<p).map { (config >> (4 * $0)) & 15 }
        var logW = 0.0
        for k in 0..<p {
            logW -= beta / Double(p) * h[slice[k]]
            let next = slice[(k + 1) % p]
            for i in 0..<4 { logW += kPerp * Double(states[slice[k]][i] * states[next][i]) }
        }
        let w = exp(logW)
        z += w
        corr += w * Double(states[slice[0]][0] * states[slice[0]][1])
        energy += w * h[slice[0]]
    }
    let exact = trotterAverages(model, beta: beta, gamma: gamma, slices: p)
    #expect(abs(corr / z - exact.correlation) < 1e-10)
    #expect(abs(energy / z - exact.energy) < 1e-10)
}

@Test func pathIntegralSamplerMatchesExactFourSliceModel() throws {
    let model = try testRing()
    let beta = 2.0, gamma = 1.0, p = 4
    let exact = trotterAverages(model, beta: beta, gamma: gamma, slices: p)
    let graph = SpinGraph(model)
    let start: [Int8] = [1, -1, 1, -1]
    let chain = PathIntegralChain(graph, slices: p, state: start)
    var objective = unboundedObjective(model, start)
    var rng = Xoshiro256(seed: 3)
    var corr = [Double](), energy = [Double]()
    for t in 0..<101_000 {
        chain.sweep(count: 4, beta: beta, gamma: gamma, globalMoves: true, rng: &rng, objective: &objective)
        guard t >= 1000 else { continue }
        var c = 0.0, e = 0.0
        // By the ring's translation symmetry every bond and slice has the same ⟨s_i s_{i+1}⟩:
        // averaging them all lowers the variance without bias.
        for k in 0..<p {
            e += chain.energy(slice: k)
            for i in 0..<4 { c += Double(chain.spin(i, slice: k) * chain.spin((i + 1) % 4, slice: k)) }
        }
        corr.append(c / Double(4 * p))
        energy.append(e / Double(p))
    }
    expectBatchMeans([corr, energy], exact: [exact.correlation, exact.energy], "⟨ss⟩, ⟨H⟩")
}

/// ln Z of H_q = λ H(σ^z) + μ σ^z_0 σ^z_1 − Γ Σ σ^x, from its eigenvalues (GSL).
func quantumLogZ(_ model: IsingModel, beta: Double, gamma: Double, lambda: Double, mu: Double) -> Double {
    let states = allStates(model.size)
    let d = states.count
    var m = [Double](repeating: 0, count: d * d)
    for a in 0..<d {
        m[a * d + a] = lambda * model.energy(states[a]) + mu * Double(states[a][0] * states[a][1])
        for i in 0..<model.size { m[a * d + (a ^ (1 << i))] = -gamma }
    }
    let values = GSL.symmetricEigenvalues(m, n: d)!
    let e0 = values[0]
    return -beta * e0 + log(values.reduce(0) { $0 + exp(-beta * ($1 - e0)) })
}

@Test func trotterValuesApproachExactDiagonalizationAsOneOverPSquared() throws {
    // Quantum values by Hellmann–Feynman: ⟨O⟩ = −(1/β) ∂ln Z/∂μ, ⟨H_z⟩ = −(1/β) ∂ln Z/∂λ, with a
    // five-point stencil (h = 1e-3: truncation O(h⁴) ≈ 1e-12, rounding ≈ 1e-16·|ln Z|/h ≈ 1e-12,
    // both far below the Trotter errors ≥ 1e-5 compared here).
    let model = try testRing()
    let beta = 2.0, gamma = 1.0, h = 1e-3
    func derivative(_ f: (Double) -> Double, at x: Double) -> Double {
        (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h) - f(x + 2 * h)) / (12 * h)
    }
    let quantumCorr = -derivative({ quantumLogZ(model, beta: beta, gamma: gamma, lambda: 1, mu: $0) }, at: 0) / beta
    let quantumEnergy = -derivative({ quantumLogZ(model, beta: beta, gamma: gamma, lambda: $0, mu: 0) }, at: 1) / beta
    let ps = [8, 16, 32, 64]
    let errors = ps.map { p -> (Double, Double) in
        let v = trotterAverages(model, beta: beta, gamma: gamma, slices: p)
        return (abs(v.correlation - quantumCorr), abs(v.energy - quantumEnergy))
    }
    // Symmetric Trotter splitting: error = c/P² + O(1/P⁴), so doubling P divides it by 4 up to
    // a relative O(1/P²) correction; accept ratios in [3.5, 4.5] from P = 16 on.
    for index in 1..<(ps.count - 1) {
        let corrRatio = errors[index].0 / errors[index + 1].0
        let energyRatio = errors[index].1 / errors[index + 1].1
        #expect(corrRatio > 3.5 && corrRatio < 4.5, "⟨ss⟩ error ratio \(corrRatio) at P = \(ps[index])")
        #expect(energyRatio > 3.5 && energyRatio < 4.5, "⟨H⟩ error ratio \(energyRatio) at P = \(ps[index])")
    }
    // From P = 8 to 64 the error must fall by (64/8)² = 64, up to the same O(1/P²) correction: > 50.
    #expect(errors.first!.0 / errors.last!.0 > 50 && errors.first!.1 / errors.last!.1 > 50,
            "errors \(errors)")
}

@Test func trackedEnergiesEqualRecomputationAfterLongRuns() throws {
    // Gaussian couplings (no table, inexact arithmetic), no resynchronization: after 2·10^6
    // accepted-or-not attempts the incrementally tracked energy must still equal a full
    // recomputation to 1e-9·(1 + Σ|J|): each update rounds by ≤ 2^−52·|E| and the errors add like
    // a random walk, √(10^6)·2^−52·Σ|J| ≈ 2e-13·Σ|J|, far inside the tolerance.
    let model = try IsingModel.edwardsAnderson(side: 16, dimensions: 2, gaussian: true, seed: 4)
    let graph = SpinGraph(model)
    let runner = MetropolisRunner(graph)
    var rng = Xoshiro256(seed: 9)
    let start = model.randomState(using: &rng)
    let chain = SpinChain(graph, state: start)
    var objective = unboundedObjective(model, start)
    for _ in 0..<8000 { _ = runner.sweep(chain, beta: 1, rng: &rng, objective: &objective) }
    let tolerance = 1e-9 * (1 + model.roundingScale)
    #expect(abs(chain.energy - model.energy(chain.state)) <= tolerance)
    #expect(abs(objective.bestEnergy - model.energy(objective.bestState)) <= tolerance)

    let sqa = PathIntegralChain(graph, slices: 8, state: start)
    var sqaObjective = unboundedObjective(model, start)
    for _ in 0..<500 { sqa.sweep(count: model.size, beta: 2, gamma: 0.5, globalMoves: true, rng: &rng, objective: &sqaObjective) }
    for k in 0..<8 { #expect(abs(sqa.energy(slice: k) - model.energy(sqa.state(slice: k))) <= tolerance) }
    #expect(abs(sqaObjective.bestEnergy - model.energy(sqaObjective.bestState)) <= tolerance)
}

@Test(arguments: OptimizerCatalog.names(for: .ising))
func spinOptimizerSpendsExactBudgetStoresItsIncumbentAndIsDeterministic(name: String) throws {
    let model = try IsingModel.plantedLoops(side: 6, loopDensity: 0.5, maxCoupling: 3, seed: 2)
    var rng = Xoshiro256(seed: 1)
    let start = model.quench(model.randomState(using: &rng)).state
    let optimizer = try makeSpinOptimizer(name)
    func run() -> SpinObjective {
        var objective = SpinObjective(model: model, budget: 36 * 150 + 7, start: start, escapeThreshold: model.energy(start) - 1e-6,
                                      successThreshold: model.optimum.value! + 1e-6)
        var r = Xoshiro256(seed: 42)
        _ = optimizer.minimize(&objective, from: start, using: &r)
        return objective
    }
    let a = run(), b = run()
    if name == "greedy-restarts" {
        // A restart's energy costs N = 36: it stops once fewer than N attempts are left.
        #expect(a.spent <= a.budget && a.budget - a.spent < 36)
    } else {
        #expect(a.spent == a.budget)
    }
    #expect(abs(a.bestEnergy - model.energy(a.bestState)) <= 1e-12 * (1 + model.roundingScale))
    #expect(a.bestEnergy >= model.optimum.value! - 1e-9)
    #expect(a.bestState == b.bestState && a.spent == b.spent && a.spentAtEscape == b.spentAtEscape)
}

// MARK: - sqa on both acceptance paths, and the Γ → 0 limit

/// Exact finite-P averages of diagonal observables of one slice, Tr(O T^P)/Tr T^P, by the transfer
/// matrix T(σ, σ') = e^{−εH(σ)/2} e^{K⊥ Σ σ_i σ'_i} e^{−εH(σ')/2}, ε = β/P, K⊥ from its definition
/// (checked against enumeration of all 2^(N·P) configurations in
/// `transferMatrixEqualsEnumerationOfFourSliceModel`).
func trotterDiagonalAverages(_ model: IsingModel, beta: Double, gamma: Double, slices p: Int,
                             _ observables: [([Int8]) -> Double]) -> [Double] {
    let states = allStates(model.size)
    let d = states.count
    let eps = beta / Double(p)
    let kPerp = -0.5 * log(tanh(beta * gamma / Double(p)))  // the definition, not the code under test
    let h = states.map(model.energy)
    var t = [Double](repeating: 0, count: d * d)
    for a in 0..<d {
        for b in 0..<d {
            var overlap = 0.0
            for i in 0..<model.size { overlap += Double(states[a][i] * states[b][i]) }
            t[a * d + b] = exp(-eps * (h[a] + h[b]) / 2 + kPerp * overlap)
        }
    }
    var power = t
    for _ in 1..<p {
        var next = [Double](repeating: 0, count: d * d)
        for a in 0..<d { for c in 0..<d { let x = power[a * d + c]; for b in 0..<d { next[a * d + b] += x * t[c * d + b] } } }
        let scale = next.max()!
        power = next.map { $0 / scale }
    }
    let z = (0..<d).reduce(0.0) { $0 + power[$1 * d + $1] }
    return observables.map { o in (0..<d).reduce(0.0) { $0 + o(states[$1]) * power[$1 * d + $1] } / z }
}

/// The models of the two acceptance paths: couplings commensurate with one unit (the threshold
/// table) or not (exp per attempt, as santoro-80x80's real couplings and weak-strong's h = 0.44).
enum SliceMovePath: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case tabulatedRing, computedRingWeakField, computedGaussianGlass
    var testDescription: String { rawValue }
    func model() throws -> IsingModel {
        switch self {
        case .tabulatedRing: return try testRing()  // J = 1, h = 0.2: unit 0.2
        case .computedRingWeakField:
            // J = 1, h = 0.44 (weak-strong's weak field): 1/0.44 is not an integer, no unit.
            return try IsingModel(size: 4, edges: (0..<4).map { ($0, ($0 + 1) % 4, 1.0) }, fields: [0.44, 0.44, 0.44, 0.44])
        case .computedGaussianGlass:
            // N = 5, all pairs with J_ij ~ N(0, 1) (fixed seed), h = 0.44 on every spin.
            var rng = Xoshiro256(seed: 77)
            var edges = [(Int, Int, Double)]()
            for i in 0..<5 { for j in (i + 1)..<5 { edges.append((i, j, rng.nextGaussian())) } }
            return try IsingModel(size: 5, edges: edges, fields: [Double](repeating: 0.44, count: 5))
        }
    }
}

@Test(arguments: SliceMovePath.allCases, [true, false])
func sqaChainSamplesExactFiniteTrotterAveragesOnEitherAcceptancePath(_ path: SliceMovePath, globalMoves: Bool) throws {
    let model = try path.model()
    let graph = SpinGraph(model)
    #expect((graph.unit != nil) == (path == .tabulatedRing), "\(path) must run the \(path == .tabulatedRing ? "tabulated" : "computed") moves")
    // β = 1, Γ = 1, P = 4: K⊥ = 0.70, slices neither independent nor locked, so both the
    // classical and the K⊥ part of every acceptance matter.
    let beta = 1.0, gamma = 1.0, p = 4, n = model.size
    let observables: [([Int8]) -> Double] = [
        { model.energy($0) }, { Double($0[0] * $0[1]) }, { Double($0[0] * $0[2]) },
    ]
    let exact = trotterDiagonalAverages(model, beta: beta, gamma: gamma, slices: p, observables)
    let start = [Int8](repeating: -1, count: n)
    let chain = PathIntegralChain(graph, slices: p, state: start)
    var objective = unboundedObjective(model, start)
    var rng = Xoshiro256(seed: 31 + UInt64(SliceMovePath.allCases.firstIndex(of: path)!) * 2 + (globalMoves ? 1 : 0))
    let sweeps = 50_000
    var series = [[Double]](repeating: [], count: observables.count)
    for t in 0..<(sweeps + 1_000) {
        chain.sweep(count: n, beta: beta, gamma: gamma, globalMoves: globalMoves, rng: &rng, objective: &objective)
        guard t >= 1_000 else { continue }
        // Every slice has the same marginal (the ring is symmetric in k): average over slices.
        for (o, observable) in observables.enumerated() {
            series[o].append((0..<p).reduce(0.0) { $0 + observable(chain.state(slice: $1)) } / Double(p))
        }
    }
    // Batch means over 50 batches, Bonferroni over the 3 observables at family-wise α = 0.001.
    expectBatchMeans(series, exact: exact, "\(path), global \(globalMoves): ⟨H⟩, ⟨s0 s1⟩, ⟨s0 s2⟩")
}

/// A chain whose slices 0..<P/2 hold `state` and P/2..<P its negation: two domain walls in
/// imaginary time on every spin.
func chainWithDomainWalls(_ graph: SpinGraph, slices p: Int, state: [Int8]) -> PathIntegralChain {
    let chain = PathIntegralChain(graph, slices: p, state: state)
    for i in 0..<graph.size { for k in (p / 2)..<p { chain.spins[i * p + k] = -state[i] } }
    chain.resync()
    return chain
}

@Test(arguments: [SliceMovePath.tabulatedRing, .computedRingWeakField])
func sqaAtZeroGammaMovesDomainWallsAsInTheLockedLimit(_ path: SliceMovePath) throws {
    // Γ = 0 makes βΓ/P = 0 and the formula's K⊥ infinite. The K⊥ → ∞ limit is a finite rule: a flip
    // against both slice neighbours never happens, one that heals two walls always does, and one
    // with one neighbour each way (a wall moving by a slice) is accepted on the classical energy
    // alone. Γ = 1e-300 at β = 1 gives the finite K⊥ = −½ ln(1e-300/P) ≈ 346, where exp(−4K⊥)
    // underflows: every decision is that rule's, drawn from the same random numbers. So the two
    // runs must agree spin for spin.
    let model = try path.model()
    let graph = SpinGraph(model)
    let p = 8, beta = 1.0
    #expect(PathIntegralChain.trotterCoupling(beta: beta, gamma: 0, slices: p).isFinite)
    let state: [Int8] = [1, -1, 1, 1]
    let locked = chainWithDomainWalls(graph, slices: p, state: state)
    let tiny = chainWithDomainWalls(graph, slices: p, state: state)
    var o1 = unboundedObjective(model, state), o2 = unboundedObjective(model, state)
    var r1 = Xoshiro256(seed: 5), r2 = Xoshiro256(seed: 5)
    var wallMoves = 0
    for sweep in 0..<200 {
        let before = (0..<p).map { locked.state(slice: $0) }
        locked.sweep(count: 4, beta: beta, gamma: 0, globalMoves: true, rng: &r1, objective: &o1)
        tiny.sweep(count: 4, beta: beta, gamma: 1e-300, globalMoves: true, rng: &r2, objective: &o2)
        let after = (0..<p).map { locked.state(slice: $0) }
        if after != before { wallMoves += 1 }
        guard after == (0..<p).map({ tiny.state(slice: $0) }), (0..<p).allSatisfy({ locked.energy(slice: $0).isFinite }) else {
            Issue.record("sweep \(sweep): Γ = 0 gives \(after), Γ = 1e-300 gives \((0..<p).map { tiny.state(slice: $0) })")
            return
        }
    }
    // Walls did move (otherwise the comparison says nothing), and no wall was ever created:
    // every spin has at most 2 walls around the ring, as at the start.
    #expect(wallMoves >= 10, "only \(wallMoves) sweeps changed a slice")
    for i in 0..<4 {
        let walls = (0..<p).filter { locked.spin(i, slice: $0) != locked.spin(i, slice: ($0 + 1) % p) }.count
        #expect(walls <= 2)
    }
}

@Test func sqaAtZeroGammaWithGlobalMovesIsClassicalMetropolisAtBeta() throws {
    // Locked slices (all equal at the start, never separated at K⊥ → ∞) and global moves, whose
    // acceptance (β/P)·Σ_k ΔE_k = β·ΔE is classical: the chain samples exp(−βH), by enumeration.
    let model = try SliceMovePath.computedRingWeakField.model()
    let graph = SpinGraph(model)
    let beta = 1.0, p = 4
    let states = allStates(4)
    let weights = states.map { exp(-beta * model.energy($0)) }
    let exact = zip(states, weights).reduce(0.0) { $0 + model.energy($1.0) * $1.1 } / weights.reduce(0, +)
    let start: [Int8] = [1, 1, 1, 1]
    let chain = PathIntegralChain(graph, slices: p, state: start)
    var objective = unboundedObjective(model, start)
    var rng = Xoshiro256(seed: 12)
    var energies = [Double]()
    for t in 0..<20_500 {
        chain.sweep(count: 4, beta: beta, gamma: 0, globalMoves: true, rng: &rng, objective: &objective)
        if t >= 500 { energies.append(chain.energy(slice: 0)) }
        for k in 1..<p { #expect(chain.state(slice: k) == chain.state(slice: 0)) }
    }
    expectBatchMeans([energies], exact: [exact], "classical ⟨H⟩ at Γ = 0")
}

@Test func sqaWithVanishingFinalGammaStaysFiniteAndStoresItsIncumbent() throws {
    // Γ = 1e-320 throughout at β = 0.01: βΓ/P = 6e-325 underflows to 0 (the slices are locked).
    let model = try IsingModel.plantedLoops(side: 4, loopDensity: 0.5, maxCoupling: 3, seed: 3)
    let start = [Int8](repeating: 1, count: model.size)
    let optimizer = try makeSpinOptimizer("piqa-spin", overrides: ["beta": "0.01", "gamma-initial": "1e-320", "gamma-final": "1e-320"])
    var objective = SpinObjective(model: model, budget: 16 * 16 * 2 * 200, start: start, escapeThreshold: -.infinity,
                                  successThreshold: nil)
    var rng = Xoshiro256(seed: 8)
    _ = optimizer.minimize(&objective, from: start, using: &rng)
    #expect(objective.bestEnergy.isFinite)
    #expect(abs(objective.bestEnergy - model.energy(objective.bestState)) <= 1e-12 * (1 + model.roundingScale))
}

/// With every rung at the same β the swap ratio is e^0 = 1: `pt-spin` reports an acceptance of 1
/// for each of its R − 1 neighbour pairs; at the default ladder each pair's acceptance is a rate
/// in [0, 1].
@Test func ptSpinReportsItsSwapAcceptancePerNeighbourPair() throws {
    let model = try IsingModel(size: 4, edges: (0..<4).map { ($0, ($0 + 1) % 4, 1.0) }, fields: [0.2, 0.2, 0.2, 0.2])
    let start: [Int8] = [1, -1, 1, -1]
    for (overrides, equal) in [(["replicas": "5", "beta-min": "0.7", "beta-max": "0.7"], true), (["replicas": "5"], false)] {
        var objective = SpinObjective(model: model, budget: 4 * 5 * 200, start: start, escapeThreshold: -.infinity, successThreshold: nil)
        var rng = Xoshiro256(seed: 8)
        _ = try makeSpinOptimizer("pt-spin", overrides: overrides).minimize(&objective, from: start, using: &rng)
        let report = try #require(objective.diagnostics.first { $0.name == "swap-acceptance" })
        #expect(report.values.count == 4)
        if equal { #expect(report.values == [1, 1, 1, 1]) } else { #expect(report.values.allSatisfy { (0...1).contains($0) }) }
    }
}
