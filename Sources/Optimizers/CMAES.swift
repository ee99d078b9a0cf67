import Foundation
import GSL
import Landscapes

/// CMA-ES, the covariance matrix adaptation evolution strategy, as Hansen's tutorial states it
/// (arXiv:1604.00772, Table 1 and eqs. 39–47, with the active update's negative weights), restarted
/// with a doubling population (IPOP, Auger & Hansen 2005) or in two regimes (BIPOP, Hansen 2009).
///
/// **Coordinates.** The strategy lives in unit coordinates u, x = lower + u·(upper − lower), so its
/// first distribution N(m0, σ0²·I) has standard deviation σ0 times each coordinate's box width.
/// σ0 has no published default; ours is 0.25, as the `pycma-ipop` peer's.
///
/// **A generation** samples λ points u_k = m + σ·y_k, y_k = B·D·z_k with z_k ~ N(0, I) and
/// C = B·D²·Bᵀ, evaluates each at x = T(lower + u_k·w) (T below), ranks them by value (ties by
/// sampling order), and updates, with y_{i:λ} the i-th best:
///
///     ⟨y⟩ = Σ_{i≤μ} w_i y_{i:λ}                         m ← m + c_m σ ⟨y⟩
///     p_σ ← (1 − c_σ) p_σ + √(c_σ(2 − c_σ)μ_eff) · C^(−1/2) ⟨y⟩
///     h_σ = 1 if |p_σ| / √(1 − (1 − c_σ)^(2(g+1))) < (1.4 + 2/(n + 1)) · E|N(0, I)|, else 0
///     p_c ← (1 − c_c) p_c + h_σ √(c_c(2 − c_c)μ_eff) ⟨y⟩
///     C ← (1 + c_1 δ(h_σ) − c_1 − c_μ Σ_j w_j) C + c_1 p_c p_cᵀ + c_μ Σ_{i≤λ} w°_i y_{i:λ} y_{i:λ}ᵀ
///     σ ← σ · exp(min(1, (c_σ/d_σ)(|p_σ| / E|N(0, I)| − 1)))     (the cap at e: pycma's)
///
/// with w°_i = w_i for w_i ≥ 0 and w_i·n/|C^(−1/2) y_{i:λ}|² otherwise, δ(h) = (1 − h)c_c(2 − c_c),
/// E|N(0, I)| ≈ √n(1 − 1/(4n) + 1/(21n²)). The defaults are the tutorial's: λ = 4 + ⌊3 ln n⌋,
/// μ = ⌊λ/2⌋, w'_i = ln((λ + 1)/2) − ln i for i = 1…λ, the positive ones normalized to sum 1 and the
/// negative ones scaled by min(1 + c_1/c_μ, 1 + 2μ⁻_eff/(μ_eff + 2), (1 − c_1 − c_μ)/(n c_μ)) over their
/// absolute sum; c_m = 1, c_σ = (μ_eff + 2)/(n + μ_eff + 5),
/// d_σ = 1 + 2 max(0, √((μ_eff − 1)/(n + 1)) − 1) + c_σ, c_c = (4 + μ_eff/n)/(n + 4 + 2μ_eff/n),
/// c_1 = 2/((n + 1.3)² + μ_eff), c_μ = min(1 − c_1, 2(μ_eff − 2 + 1/μ_eff)/((n + 2)² + μ_eff)).
/// B and D are refreshed from C (symmetrized, by GSL's `gsl_eigen_symmv`) every
/// max(1, ⌊1/(10 n (c_1 + c_μ))⌋) generations.
///
/// **The box.** T is pycma's `BoundTransform` (`BoxConstraintsLinQuadTransformation`): per
/// coordinate, with margins a_l = min(w/2, max(1, |lower|)/20) and a_u likewise at the upper
/// bound, the identity on [lower + a_l, upper − a_u], quadratic in the margins down to the bounds,
/// mirrored beyond them and periodic further out, so that every evaluated point lies in the box
/// while the distribution itself is not cut. The update uses the unmapped samples.
///
/// **Ending a run** (pycma 4's defaults, the tutorial leaving them to implementations): the range
/// of the generation's values and of the best values of the last 10 + ⌈30n/λ⌉ generations both
/// below `tolfun` (1e-11); that history's range below 1e-12; σ·√C_jj and σ·|p_c,j| below `tolx`
/// (1e-11) in every coordinate of the landscape; the best and the ⌊0.75λ⌋-th value equal in two
/// generations running (flat fitness); cond(C) above 1e14; m unchanged by 0.1σ along the principal
/// axis g mod n or by 0.2σ√C_jj in any coordinate j; σ·√C_jj above 1000·σ0 in some coordinate, or
/// σ/max D above 10^20·σ0; 100 + ⌊150(n + 3)²/√λ⌋ generations; and stagnation as Hansen (2009)
/// defines it: over the last 20% of the generations (at least 120 + 30n/λ, at most 20,000), the
/// median of the most recent 30% of the best and of the median values no better than that of the
/// oldest 30% (checked every fifth generation).
///
/// **Restarts.** `restarts = ipop` starts a new run after each ending with λ multiplied by
/// `incpopsize` (2), until the budget is spent. `bipop` (Hansen 2009) runs the first with the
/// default λ0; afterwards, while the small regime has spent fewer evaluations than the large one,
/// a small run with λ = ⌊λ0 · (λ_large/(2λ0))^(U²)⌋ and σ = σ0·10^(−2U), U ~ Uniform[0, 1),
/// stopped after half the evaluations of the last large run; otherwise a large run with the
/// next doubled population λ_large and σ0. λ stops growing at λ·d = 10^7 (memory), and d is at
/// most 2000 (the covariance matrix): larger dimensions are refused before the run. `none` makes one run and returns "converged" when it
/// ends. Every run starts at the trial's start (as pycma's restarts do with a given x0); only
/// σ, λ and the random draws differ.
///
/// **The start** is evaluated first (one evaluation) and is every run's initial mean. Every sample
/// costs one evaluation; a generation cut short by the budget ends the trial.
public struct CMAES: ContinuousOptimizer {
    public static let name = "cma-es"
    public static let summary = "CMA-ES (Hansen's tutorial defaults, active update), sigma0 = 0.25 of the box width, pycma's bound transform, IPOP restarts from the start until the budget is spent"

    public enum Restarts: String, ParameterChoice {
        case ipop
        case bipop
        case none
    }

    public enum Key {
        public static let sigma0 = Parameter<Double>("sigma0", default: 0.25, in: 1e-9...1,
            "initial step size as a fraction of each coordinate's box width (ours: CMA-ES has no default)")
        public static let population = Parameter<Int>("population", default: 0, in: 0...1_000_000,
            "λ of the first run; 0 takes the tutorial's 4 + floor(3 ln d)")
            .tuning(.fixed(why: "0 = the tutorial's λ; IPOP and BIPOP set λ themselves at each restart"))
        public static let restarts = Parameter<Restarts>("restarts", default: .ipop,
            "ipop (population doubling, Auger & Hansen 2005), bipop (Hansen 2009) or none (one run)")
        public static let incpopsize = Parameter<Double>("incpopsize", default: 2, in: 1...10,
            "factor on λ at each IPOP restart (and the large regime's of BIPOP: 2 there always); 2 as Auger & Hansen")
        public static let tolfun = Parameter<Double>("tolfun", default: 1e-11, in: 0...1e300,
            "end a run when the generation's values and the recent best values each span less; 1e-11 as pycma")
        public static let tolx = Parameter<Double>("tolx", default: 1e-11, in: 0...1e300,
            "end a run when σ·sqrt(C_jj) and σ·|p_c,j| are below it in every coordinate, in the landscape's units; 1e-11 as pycma")
    }

    public static let parameterSpecs = [Key.sigma0.spec, Key.population.spec, Key.restarts.spec, Key.incpopsize.spec,
                                        Key.tolfun.spec, Key.tolx.spec]

    let sigma0: Double
    let population: Int
    let restarts: Restarts
    let incpopsize: Double
    let tolfun: Double
    let tolx: Double

    public init(parameters: ParameterValues) throws {
        sigma0 = parameters[Key.sigma0]
        population = parameters[Key.population]
        restarts = parameters[Key.restarts]
        incpopsize = parameters[Key.incpopsize]
        tolfun = parameters[Key.tolfun]
        tolx = parameters[Key.tolx]
        guard population == 0 || population >= 2 else {
            throw OptimizerError.invalidParameters(optimizer: Self.name,
                reason: "population \(population) must be 0 (the default) or at least 2 (μ = floor(λ/2) parents)")
        }
    }

    /// The largest dimension: C, its eigenvectors and GSL's copies hold about 5d² doubles
    /// (160 MB at d = 2000).
    public static let maximumDimension = 2000
    /// The most λ·d a population may hold (two λ × d arrays, 160 MB): IPOP stops doubling λ there.
    public static let maximumPopulationSize = 10_000_000

    public func sizeLimit(dimension d: Int) -> String? {
        if d > Self.maximumDimension {
            return "needs a d × d covariance matrix; d = \(d) is above its limit of \(Self.maximumDimension)"
        }
        let lambda = population == 0 ? Self.defaultPopulation(dimension: d) : population
        if lambda * d > Self.maximumPopulationSize {
            return "population \(lambda) × d = \(d) is above its limit of \(Self.maximumPopulationSize) coordinates"
        }
        return nil
    }

    /// The default λ in dimension d: 4 + ⌊3 ln d⌋.
    public static func defaultPopulation(dimension d: Int) -> Int { 4 + Int(3 * Foundation.log(Double(d))) }

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        let box = objective.domain
        let d = start.count
        guard let solver = GSL.SymmetricEigensolver(n: d) else {
            objective.abort("cma-es: GSL could not allocate an eigensolver for d = \(d)")
            return .failed
        }
        var evaluator = Evaluator(box: box, start: start)
        _ = objective.value(at: start)
        let lambda0 = population == 0 ? Self.defaultPopulation(dimension: d) : population
        let mean0 = evaluator.unit(start)

        switch restarts {
        case .none:
            let ended = runOnce(&objective, &evaluator, solver, mean: mean0, lambda: lambda0, sigma: sigma0,
                                evaluationLimit: .infinity, using: &rng)
            return ended ? .converged : .budget
        case .ipop:
            var lambda = Double(lambda0)
            while !objective.isExhausted {
                _ = runOnce(&objective, &evaluator, solver, mean: mean0, lambda: Int(lambda), sigma: sigma0,
                            evaluationLimit: .infinity, using: &rng)
                lambda = Swift.min((lambda * incpopsize).rounded(.down), Double(Self.maximumPopulationSize / d))
            }
        case .bipop:
            var largeSpent = 0.0, smallSpent = 0.0
            var largeLambda = lambda0
            var lastLargeSpent = 0.0
            var first = true
            while !objective.isExhausted {
                let before = objective.spent
                if !first && smallSpent < largeSpent {
                    let u = rng.nextUnit()
                    let ratio = Double(largeLambda) / (2 * Double(lambda0))
                    let lambda = Swift.max(2, Int((Double(lambda0) * Foundation.pow(ratio, u * u)).rounded(.down)))
                    _ = runOnce(&objective, &evaluator, solver, mean: mean0, lambda: lambda,
                                sigma: sigma0 * Foundation.pow(10, -2 * u), evaluationLimit: lastLargeSpent / 2, using: &rng)
                    smallSpent += objective.spent - before
                } else {
                    if !first { largeLambda = Swift.min(2 * largeLambda, Swift.max(lambda0, Self.maximumPopulationSize / d)) }
                    first = false
                    _ = runOnce(&objective, &evaluator, solver, mean: mean0, lambda: largeLambda, sigma: sigma0,
                                evaluationLimit: .infinity, using: &rng)
                    lastLargeSpent = objective.spent - before
                    largeSpent += lastLargeSpent
                }
            }
        }
        return .budget
    }

    /// One CMA-ES run from `mean` until one of its ending rules holds, `evaluationLimit`
    /// evaluations pass, or the budget is spent. Returns true when an ending rule ended it.
    func runOnce<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, _ evaluator: inout Evaluator, _ solver: GSL.SymmetricEigensolver,
        mean: [Double], lambda: Int, sigma: Double, evaluationLimit: Double, using rng: inout Xoshiro256
    ) -> Bool {
        let begin = objective.spent
        // A population larger than the evaluations left can never complete a generation: sample
        // from the first distribution until the budget ends (only the evaluated draws matter).
        if Double(lambda) > objective.remaining.rounded(.up) {
            var state = State(dimension: mean.count, mean: mean, sigma: sigma)
            while !objective.isExhausted {
                state.sample(into: &evaluator.u, z: &evaluator.z, using: &rng)
                _ = evaluator.evaluate(&objective)
            }
            return false
        }
        var state = State(dimension: mean.count, mean: mean, sigma: sigma)
        var strategy = Strategy(dimension: mean.count, lambda: lambda, tolfun: tolfun, tolx: tolx, widths: evaluator.widths)
        var generation = Generation(dimension: mean.count, lambda: lambda)
        while !objective.isExhausted && objective.spent - begin < evaluationLimit {
            for k in 0..<lambda {
                if objective.isExhausted { return false }
                state.sample(into: &evaluator.u, z: &evaluator.z, using: &rng)
                generation.store(k, u: evaluator.u, z: evaluator.z, mean: state.mean, sigma: state.sigma)
                generation.values[k] = evaluator.evaluate(&objective)
            }
            generation.rank()
            if strategy.update(&state, with: generation, solver: solver) { return true }
        }
        return false
    }

    /// Unit coordinates to the landscape's, through the bound transform, and the point buffer.
    struct Evaluator {
        let lower: [Double]
        let upper: [Double]
        let widths: [Double]
        let marginLow: [Double]
        let marginHigh: [Double]
        var x: [Double]
        var u: [Double]
        var z: [Double]

        init(box: Box, start: [Double]) {
            lower = box.lower
            upper = box.upper
            widths = zip(box.lower, box.upper).map { $1 - $0 }
            marginLow = zip(box.lower, widths).map { Swift.min($1 / 2, Swift.max(1, Swift.abs($0)) / 20) }
            marginHigh = zip(box.upper, widths).map { Swift.min($1 / 2, Swift.max(1, Swift.abs($0)) / 20) }
            x = start
            u = start
            z = start
        }

        func unit(_ point: [Double]) -> [Double] {
            (0..<point.count).map { (point[$0] - lower[$0]) / widths[$0] }
        }

        /// Evaluates the current `u` at T(lower + u·w).
        mutating func evaluate<L: ContinuousLandscape>(_ objective: inout Objective<L>) -> Double {
            for j in 0..<x.count {
                x[j] = Self.transform(lower[j] + u[j] * widths[j], lower: lower[j], upper: upper[j],
                                      marginLow: marginLow[j], marginHigh: marginHigh[j])
            }
            return objective.value(at: x)
        }

        /// pycma's `BoxConstraintsLinQuadTransformation` of one coordinate, then held in
        /// [lower, upper] against rounding.
        static func transform(_ value: Double, lower lb: Double, upper ub: Double, marginLow al: Double, marginHigh au: Double) -> Double {
            var y = value
            let span = ub - lb
            if y < lb - 2 * al - span / 2 || y > ub + 2 * au + span / 2 {
                let period = 2 * (span + al + au)
                let origin = lb - 2 * al - span / 2
                y -= period * ((y - origin) / period).rounded(.down)
            }
            if y > ub + au { y -= 2 * (y - ub - au) }
            if y < lb - al { y += 2 * (lb - al - y) }
            if y < lb + al {
                y = lb + (y - (lb - al)) * (y - (lb - al)) / (4 * al)
            } else if y > ub - au {
                y = ub - (y - (ub + au)) * (y - (ub + au)) / (4 * au)
            }
            return Swift.min(Swift.max(y, lb), ub)
        }
    }

    /// The distribution: mean, step size, covariance and its eigendecomposition, paths.
    struct State {
        let n: Int
        var mean: [Double]
        var sigma: Double
        let sigma0: Double
        var c: [Double]
        var b: [Double]
        var diag: [Double]
        var pSigma: [Double]
        var pC: [Double]
        var scratch: [Double]

        init(dimension n: Int, mean: [Double], sigma: Double) {
            self.n = n
            self.mean = mean
            self.sigma = sigma
            sigma0 = sigma
            c = [Double](repeating: 0, count: n * n)
            b = c
            for i in 0..<n { c[i * n + i] = 1; b[i * n + i] = 1 }
            diag = [Double](repeating: 1, count: n)
            pSigma = [Double](repeating: 0, count: n)
            pC = pSigma
            scratch = pSigma
        }

        /// u = m + σ·B·D·z, z ~ N(0, I).
        mutating func sample(into u: inout [Double], z: inout [Double], using rng: inout Xoshiro256) {
            for j in 0..<n { z[j] = rng.nextGaussian(); scratch[j] = diag[j] * z[j] }
            for i in 0..<n {
                var s = 0.0
                for j in 0..<n { s += b[i * n + j] * scratch[j] }
                u[i] = mean[i] + sigma * s
            }
        }
    }

    /// One generation's samples: y_k = (u_k − m)/σ, z_k, values, and the ranking.
    struct Generation {
        let n: Int
        let lambda: Int
        var y: [Double]
        var z: [Double]
        var values: [Double]
        var order: [Int]

        init(dimension n: Int, lambda: Int) {
            self.n = n
            self.lambda = lambda
            y = [Double](repeating: 0, count: lambda * n)
            z = y
            values = [Double](repeating: 0, count: lambda)
            order = Array(0..<lambda)
        }

        mutating func store(_ k: Int, u: [Double], z zk: [Double], mean: [Double], sigma: Double) {
            for j in 0..<n {
                y[k * n + j] = (u[j] - mean[j]) / sigma
                z[k * n + j] = zk[j]
            }
        }

        /// Ascending values, NaN last, ties in sampling order.
        mutating func rank() {
            for k in 0..<lambda { order[k] = k }
            let v = values
            order.sort { a, b in
                let (fa, fb) = (v[a].isNaN ? Double.infinity : v[a], v[b].isNaN ? Double.infinity : v[b])
                return fa < fb || (fa == fb && a < b)
            }
        }

        func value(rank i: Int) -> Double { values[order[i]].isNaN ? .infinity : values[order[i]] }
    }

    /// The tutorial's constants for one λ, the update, and the ending rules' histories.
    struct Strategy {
        let n: Int
        let lambda: Int
        let mu: Int
        let weights: [Double]
        let muEff: Double
        let cSigma, dSigma, cC, c1, cMu, chiN: Double
        let eigenEvery: Int
        /// Σ_j w_j over all λ weights (negative ones included), in C's decay factor.
        let weightSum: Double
        let tolfun: Double
        let tolx: Double
        /// The box widths, for tolx in the landscape's units.
        let widths: [Double]
        var generation = 0
        var flatRun = 0
        var recentBest: [Double] = []
        var bests: [Double] = []
        var medians: [Double] = []
        var weightedY: [Double]
        var weightedZ: [Double]
        var work: [Double]

        init(dimension n: Int, lambda: Int, tolfun: Double = 1e-11, tolx: Double = 1e-11, widths: [Double]? = nil) {
            self.tolfun = tolfun
            self.tolx = tolx
            self.widths = widths ?? [Double](repeating: 1, count: n)
            self.n = n
            self.lambda = lambda
            mu = lambda / 2
            let nd = Double(n)
            let raw = (1...lambda).map { Foundation.log(Double(lambda + 1) / 2) - Foundation.log(Double($0)) }
            let positive = raw.prefix(mu).reduce(0, +)
            let positiveSquares = raw.prefix(mu).reduce(0) { $0 + $1 * $1 }
            let muEff = positive * positive / positiveSquares
            self.muEff = muEff
            cSigma = (muEff + 2) / (nd + muEff + 5)
            dSigma = 1 + 2 * Swift.max(0, ((muEff - 1) / (nd + 1)).squareRoot() - 1) + cSigma
            cC = (4 + muEff / nd) / (nd + 4 + 2 * muEff / nd)
            c1 = 2 / ((nd + 1.3) * (nd + 1.3) + muEff)
            cMu = Swift.min(1 - c1, 2 * (muEff - 2 + 1 / muEff) / ((nd + 2) * (nd + 2) + muEff))
            chiN = nd.squareRoot() * (1 - 1 / (4 * nd) + 1 / (21 * nd * nd))
            // Negative weights (ranks with w'_i < 0; none when λ is 2 or 3).
            let negativeRaw = raw.filter { $0 < 0 }
            let negativeSum = negativeRaw.reduce(0) { $0 - $1 }
            var scale = 0.0
            if !negativeRaw.isEmpty {
                let muEffMinus = negativeSum * negativeSum / negativeRaw.reduce(0) { $0 + $1 * $1 }
                scale = Swift.min(1 + c1 / cMu, 1 + 2 * muEffMinus / (muEff + 2), (1 - c1 - cMu) / (nd * cMu)) / negativeSum
            }
            weights = raw.map { $0 >= 0 ? $0 / positive : $0 * scale }
            eigenEvery = Swift.max(1, Int((1 / (10 * nd * (c1 + cMu))).rounded(.down)))
            weightSum = weights.reduce(0, +)
            weightedY = [Double](repeating: 0, count: n)
            weightedZ = weightedY
            work = weightedY
        }

        var historyLength: Int { 10 + Int((30 * Double(n) / Double(lambda)).rounded(.up)) }
        var maxGenerations: Int { 100 + Int(150 * Double((n + 3) * (n + 3)) / Double(lambda).squareRoot()) }

        /// Updates `state` from a ranked generation; returns true when an ending rule holds.
        mutating func update(_ state: inout State, with g: Generation, solver: GSL.SymmetricEigensolver) -> Bool {
            let n = self.n
            for j in 0..<n { weightedY[j] = 0; weightedZ[j] = 0 }
            for i in 0..<mu {
                let k = g.order[i], w = weights[i]
                for j in 0..<n { weightedY[j] += w * g.y[k * n + j]; weightedZ[j] += w * g.z[k * n + j] }
            }
            for j in 0..<n { state.mean[j] += state.sigma * weightedY[j] }
            // C^(−1/2)⟨y⟩ = B·⟨z⟩, since y_k = B·D·z_k with the B and D the samples were drawn with.
            let sigmaFactor = (cSigma * (2 - cSigma) * muEff).squareRoot()
            var normSquared = 0.0
            for i in 0..<n {
                var s = 0.0
                for j in 0..<n { s += state.b[i * n + j] * weightedZ[j] }
                state.pSigma[i] = (1 - cSigma) * state.pSigma[i] + sigmaFactor * s
                normSquared += state.pSigma[i] * state.pSigma[i]
            }
            let norm = normSquared.squareRoot()
            let correction = (1 - Foundation.pow(1 - cSigma, Double(2 * (generation + 1)))).squareRoot()
            let hSigma: Double = norm / correction < (1.4 + 2 / (Double(n) + 1)) * chiN ? 1 : 0
            let cFactor = hSigma * (cC * (2 - cC) * muEff).squareRoot()
            for j in 0..<n { state.pC[j] = (1 - cC) * state.pC[j] + cFactor * weightedY[j] }
            let delta = (1 - hSigma) * cC * (2 - cC)
            let keep = 1 + c1 * delta - c1 - cMu * weightSum
            for i in 0..<n {
                for j in 0...i {
                    state.c[i * n + j] = keep * state.c[i * n + j] + c1 * state.pC[i] * state.pC[j]
                }
            }
            for r in 0..<lambda {
                let k = g.order[r]
                var w = weights[r]
                if w < 0 {
                    // |C^(−1/2) y_k|² = |z_k|².
                    var zz = 0.0
                    for j in 0..<n { zz += g.z[k * n + j] * g.z[k * n + j] }
                    w *= zz > 0 ? Double(n) / zz : 0
                }
                let cw = cMu * w
                for i in 0..<n {
                    let yi = cw * g.y[k * n + i]
                    for j in 0...i { state.c[i * n + j] += yi * g.y[k * n + j] }
                }
            }
            for i in 0..<n { for j in 0..<i { state.c[j * n + i] = state.c[i * n + j] } }
            state.sigma *= Foundation.exp(Swift.min(1, (cSigma / dSigma) * (norm / chiN - 1)))
            generation += 1
            if generation % eigenEvery == 0 {
                guard solver.decompose(state.c, eigenvalues: &work, eigenvectors: &state.b),
                      work.allSatisfy({ $0 > 0 && $0.isFinite }) else { return true }
                for j in 0..<n { state.diag[j] = work[j].squareRoot() }
            }
            guard state.sigma.isFinite && state.sigma > 0 else { return true }
            return ended(state, g)
        }

        /// pycma's ending rules, and Hansen's (2009) stagnation.
        mutating func ended(_ state: State, _ g: Generation) -> Bool {
            let n = self.n
            let best = g.value(rank: 0), worst = g.value(rank: lambda - 1)
            recentBest.append(best)
            if recentBest.count > historyLength { recentBest.removeFirst(recentBest.count - historyLength) }
            let historyRange = (recentBest.max() ?? 0) - (recentBest.min() ?? 0)
            if worst - best < tolfun && historyRange < tolfun { return true }
            if recentBest.count > 9 && historyRange < 1e-12 { return true }
            if best < g.value(rank: Int(0.75 * Double(lambda))) { flatRun = 0 } else {
                flatRun += 1
                if flatRun > 1 { return true }
            }
            var allSmall = true
            for j in 0..<n {
                let sd = state.sigma * state.c[j * n + j].squareRoot()
                if !(sd * widths[j] < tolx && state.sigma * Swift.abs(state.pC[j]) * widths[j] < tolx) { allSmall = false }
                if sd > 1000 * state.sigma0 { return true }
                if state.mean[j] == state.mean[j] + 0.2 * sd { return true }
            }
            if allSmall { return true }
            let dMax = state.diag.max() ?? 1, dMin = state.diag.min() ?? 1
            if dMax > 1e7 * dMin { return true }
            if state.sigma / dMax > 1e20 * state.sigma0 { return true }
            let axis = generation % n
            var moves = false
            for i in 0..<n where state.mean[i] != state.mean[i] + 0.1 * state.sigma * state.diag[axis] * state.b[i * n + axis] {
                moves = true; break
            }
            if !moves { return true }
            if generation >= maxGenerations { return true }
            // Stagnation.
            bests.append(best)
            medians.append(lambda % 2 == 1 ? g.value(rank: lambda / 2) : (g.value(rank: lambda / 2 - 1) + g.value(rank: lambda / 2)) / 2)
            if bests.count > 40_000 { bests.removeFirst(20_000); medians.removeFirst(20_000) }
            let minimum = 120 + Int(30 * Double(n) / Double(lambda))
            if generation % 5 == 0 && generation >= minimum {
                let window = Swift.min(20_000, Swift.max(minimum, generation / 5), bests.count)
                if Self.stagnates(bests.suffix(window)) && Self.stagnates(medians.suffix(window)) { return true }
            }
            return false
        }

        /// The median of the most recent 30% of `history` is no better than that of its oldest 30%.
        static func stagnates(_ history: ArraySlice<Double>) -> Bool {
            let part = Swift.max(1, Int(0.3 * Double(history.count)))
            return median(history.suffix(part)) >= median(history.prefix(part))
        }

        static func median(_ values: ArraySlice<Double>) -> Double {
            let sorted = values.sorted()
            let m = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2
        }
    }
}
