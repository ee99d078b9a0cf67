import Foundation
import Landscapes

/// The kinetic term of a path integral: how neighbouring beads of the ring polymer are coupled.
public enum KineticTerm: String, ParameterChoice {
    /// T = p²/2m = Γ·p² (ħ = 1): the free propagator over an imaginary-time slice ε = β/P is a
    /// Gaussian with variance 2Γε per coordinate, i.e. a harmonic spring between neighbours.
    case quadratic
    /// T = c·Σ_i |p_i| (ħ = 1, one massless relativistic term per coordinate; Stella, Santoro &
    /// Tosatti, PRB 73, 144302, 2006): the free propagator over a slice ε is a Cauchy density per
    /// coordinate, ∝ cε / ((x − x')² + c²ε²), whose heavy tails let single links jump barriers.
    case relativistic
}

/// Robbins–Monro adaptation of one move type's step size toward a target acceptance rate, the
/// same update as `MetropolisSampler`: after every batch, log s ← log s + (a_batch − a*)/√k.
public struct StepAdapter: Sendable {
    public private(set) var scale: Double
    public var adapts: Bool
    public let target: Double
    public let batchSize: Int
    public let range: ClosedRange<Double>
    public private(set) var proposed = 0
    public private(set) var accepted = 0
    var batchProposed = 0
    var batchAccepted = 0
    var batches = 0

    public init(scale: Double, target: Double, batchSize: Int, range: ClosedRange<Double>, adapts: Bool) {
        precondition(batchSize >= 1, "batch size must be positive")
        self.scale = Swift.min(Swift.max(scale, range.lowerBound), range.upperBound)
        self.target = target
        self.batchSize = batchSize
        self.range = range
        self.adapts = adapts
    }

    public var acceptanceRate: Double { proposed == 0 ? 0 : Double(accepted) / Double(proposed) }

    public mutating func resetCounters() {
        proposed = 0
        accepted = 0
    }

    mutating func record(_ accept: Bool) {
        proposed += 1
        batchProposed += 1
        if accept {
            accepted += 1
            batchAccepted += 1
        }
        guard batchProposed == batchSize else { return }
        if adapts {
            batches += 1
            let rate = Double(batchAccepted) / Double(batchSize)
            let next = exp(log(scale) + (rate - target) / Double(batches).squareRoot())
            scale = Swift.min(Swift.max(next, range.lowerBound), range.upperBound)
        }
        batchProposed = 0
        batchAccepted = 0
    }
}

/// A ring polymer of P beads x_1…x_P ∈ R^d (x_{P+1} = x_1) sampled by Metropolis at inverse
/// temperature β = 1/T with weight exp(−S), S = β·U the discretized Euclidean action:
///
///     quadratic:     S = Σ_k [ |x_{k+1} − x_k|² / (2σ²) + β·V(x_k)/P ],   σ² = 2Γε = ħ²ε/m,
///     relativistic:  S = Σ_k [ Σ_i ln((x_{k+1,i} − x_{k,i})² + (cε)²)  + β·V(x_k)/P ] + const,
///
/// where ε = β/P is the imaginary-time slice (ħ = 1) and Γ = ħ²/2m the quantum kinetic scale. The
/// quadratic form is U = Σ_k [(mP/(2β²ħ²))|x_{k+1} − x_k|² + V(x_k)/P]; its spring constant
/// mP/(2β²ħ²) = P/(4β²Γ) grows as Γ falls. The relativistic link weight is the Cauchy kernel
/// cε/((Δ)² + (cε)²) per coordinate (Stella, Santoro & Tosatti 2006); its half-width cε plays the
/// role of the Gaussian link spread σ.
///
/// Moves (each with its own adapted step, `StepAdapter`):
/// 1. `beadMove`: one bead k, y = reflect(x_k + s·w∘ξ). `Box.reflect` is the complete periodic
///    fold (period 2W per coordinate, W the width), so the proposal density is the image sum
///    q(x→y) = Π_i Σ_n [φ(y_i − x_i + 2nW_i) + φ(y_i + x_i − 2a_i + 2nW_i)] with φ the even N(0, s²w_i²)
///    density: symmetric in x and y, hence the move is exact for the box-restricted density. That
///    needs all three: an even step density, the full fold (one mirror and a clamp would not do)
///    and a fixed s (adaptation is frozen for equilibrium). ΔS needs only the two links at k (O(d))
///    and one evaluation of V.
/// 2. `translationMove`: every bead shifted by one vector s_t·w∘ξ; the links are unchanged, so it is
///    accepted on β·ΔΣV/P alone and costs P evaluations. A shift that would take any bead out of the
///    box is rejected before any evaluation (cost 0) rather than reflected: per-bead reflection
///    would change the links and break the symmetry of the proposal, whereas rejection is exactly
///    Metropolis for the box-restricted density.
/// 3. `stagingMove` (quadratic only): a segment of j links between two fixed beads x_a and x_{a+j}
///    is redrawn from the free Brownian bridge by the Lévy (staging) construction, bead by bead:
///    x_{a+i} ~ N(x_{a+i−1} + (x_{a+j} − x_{a+i−1})/n, σ²(n−1)/n), n = j − i + 1 links left. The
///    proposal density is then proportional to the free-link weight, so it is accepted on β·ΔΣV/P
///    alone and costs j − 1 evaluations. The adapted "step" is the segment length j ∈ [2, P].
///    The box-restricted target is zero outside the box, so a bridge with any bead outside is
///    rejected before any evaluation (cost 0): the Metropolis–Hastings ratio with the free bridge
///    as proposal is then 1_box(y)·exp(−β·ΔΣV/P), exact at the walls. (Folding outside beads back,
///    as the bead move does, would give them the image-summed density instead of the bridge
///    density the acceptance assumes: measured with P = 4 and σ = 0.35 of the box, that over-weights
///    the outer tenths by 47–68%, and by 52% in the sweep mix.) It does not apply to the relativistic kinetic term (its bridge is
///    not Gaussian), where beads and translations suffice.
///
/// Every evaluation of V goes through the `Objective`, which charges it and keeps the incumbent, so
/// the incumbent is the best bead ever evaluated. A multi-evaluation move that finds the budget
/// spent before its last evaluation stops and is rejected. Nothing is allocated per move.
public struct RingPolymerSampler {
    public let beadCount: Int
    public let dimension: Int
    public let kinetic: KineticTerm
    /// Bead k's coordinates are `beads[k·d ..< (k+1)·d]`.
    public private(set) var beads: [Double]
    /// V(x_k) for each bead.
    public private(set) var potentials: [Double]
    public private(set) var temperature: Double
    public private(set) var gamma: Double
    public var bead: StepAdapter
    public var translation: StepAdapter
    public var staging: StepAdapter

    let box: Box
    let widths: [Double]
    var point: [Double]
    var saved: [Double]
    var savedPotentials: [Double]
    var mean: [Double]
    // Derived from (T, Γ, P): β/P, and the link parameter (1/(2σ²) or (cε)²).
    var betaOverP = 0.0
    var linkCoefficient = 0.0

    /// - Parameters:
    ///   - start: every bead starts here; `value` = V(start), already evaluated by the caller.
    ///   - gamma: Γ = ħ²/2m (quadratic) or the kinetic scale that sets c (relativistic, see `lightSpeed`).
    public init(start: [Double], value: Double, beads: Int, box: Box, temperature: Double, gamma: Double,
                kinetic: KineticTerm = .quadratic, beadScale: Double, translationScale: Double,
                stagingLength: Double = 2, targetAcceptance: Double = 0.234, batchSize: Int = 50,
                adapts: Bool = true) {
        precondition(beads >= 2, "a ring polymer needs at least 2 beads")
        precondition(temperature > 0 && gamma > 0, "T and Γ must be positive")
        self.beadCount = beads
        self.dimension = start.count
        self.kinetic = kinetic
        self.beads = (0..<beads).flatMap { _ in start }
        self.potentials = [Double](repeating: value, count: beads)
        self.temperature = temperature
        self.gamma = gamma
        self.bead = StepAdapter(scale: beadScale, target: targetAcceptance, batchSize: batchSize,
                                range: 1e-12...1, adapts: adapts)
        self.translation = StepAdapter(scale: translationScale, target: targetAcceptance, batchSize: batchSize,
                                       range: 1e-12...1, adapts: adapts)
        self.staging = StepAdapter(scale: stagingLength, target: targetAcceptance, batchSize: batchSize,
                                   range: 2...Double(beads), adapts: adapts)
        self.box = box
        self.widths = (0..<box.dimension).map { box.upper[$0] - box.lower[$0] }
        self.point = [Double](repeating: 0, count: start.count)
        self.saved = [Double](repeating: 0, count: beads * start.count)
        self.savedPotentials = [Double](repeating: 0, count: beads)
        self.mean = [Double](repeating: 0, count: start.count)
        updateDerived()
    }

    /// The relativistic kinetic scale c, matched to Γ so that a link's Cauchy half-width cε equals
    /// the quadratic link's standard deviation σ = √(2Γε): c = √(2Γ/ε). Annealing Γ thus shrinks
    /// both kinds of link alike.
    public var lightSpeed: Double { (2 * gamma / slice).squareRoot() }

    /// ε = β/P, the imaginary-time slice.
    public var slice: Double { 1 / (temperature * Double(beadCount)) }

    /// σ (quadratic) or cε (relativistic): the free link's scale.
    public var linkScale: Double { (2 * gamma * slice).squareRoot() }

    public mutating func setParameters(temperature: Double, gamma: Double) {
        precondition(temperature > 0 && gamma > 0, "T and Γ must be positive")
        self.temperature = temperature
        self.gamma = gamma
        updateDerived()
    }

    mutating func updateDerived() {
        let eps = slice
        betaOverP = eps
        let s2 = 2 * gamma * eps
        switch kinetic {
        case .quadratic: linkCoefficient = 1 / (2 * s2)
        case .relativistic: linkCoefficient = s2  // (cε)² = σ² with c = √(2Γ/ε)
        }
    }

    public mutating func freezeAdaptation() {
        bead.adapts = false
        translation.adapts = false
        staging.adapts = false
    }

    /// The action of one link between beads k and k' (each given by its offset into `beads`), or
    /// between bead k and the buffer `point`.
    @inline(__always)
    func linkAction(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>) -> Double {
        var s = 0.0
        switch kinetic {
        case .quadratic:
            for i in 0..<dimension {
                let t = a[i] - b[i]
                s += t * t
            }
            return s * linkCoefficient
        case .relativistic:
            var prod = 1.0
            for i in 0..<dimension {
                let t = a[i] - b[i]
                prod *= t * t + linkCoefficient
                // Keep the product in range; log of a product is the sum of logs.
                if prod > 1e200 || prod < 1e-200 {
                    s += log(prod)
                    prod = 1
                }
            }
            return s + log(prod)
        }
    }

    /// The change of the link action when bead k moves to `point`, from its two links only (O(d)).
    /// For Gaussian springs, (y − a)² − (x − a)² = (y − x)(y + x − 2a), so both links together
    /// change by 2·Σᵢ (yᵢ − xᵢ)(yᵢ + xᵢ − pᵢ − nᵢ): one pass. Not generic, so it compiles to the
    /// same code whatever the landscape.
    func beadLinkChange(bead k: Int, previous prev: Int, next: Int) -> Double {
        let d = dimension
        return beads.withUnsafeBufferPointer { xs in
            point.withUnsafeBufferPointer { y in
                let base = xs.baseAddress!, yb = y.baseAddress!
                let xk = base + k * d, xp = base + prev * d, xn = base + next * d
                switch kinetic {
                case .quadratic:
                    var s = 0.0
                    for i in 0..<d { s += (yb[i] - xk[i]) * (yb[i] + xk[i] - xp[i] - xn[i]) }
                    return 2 * s * linkCoefficient
                case .relativistic:
                    return linkAction(yb, xp) + linkAction(yb, xn) - linkAction(xk, xp) - linkAction(xk, xn)
                }
            }
        }
    }

    /// Σ_k |x_{k+1} − x_k|² over the ring (quadratic spring sum, any kinetic term).
    public var squaredLinkSum: Double {
        var s = 0.0
        for k in 0..<beadCount {
            let n = (k + 1) % beadCount
            for i in 0..<dimension {
                let t = beads[n * dimension + i] - beads[k * dimension + i]
                s += t * t
            }
        }
        return s
    }

    /// Primitive energy estimator (quadratic): dP/(2β) − (mP/(2β²ħ²))Σ|Δx|² + ΣV/P, with
    /// m/ħ² = 1/(2Γ). Its mean is −∂ ln Z_P/∂β exactly at finite P.
    public var primitiveEnergy: Double {
        let beta = 1 / temperature, p = Double(beadCount)
        return Double(dimension) * p / (2 * beta) - p / (4 * beta * beta * gamma) * squaredLinkSum
            + potentials.reduce(0, +) / p
    }

    // MARK: - Moves

    /// One single-bead move on bead `k` (random when nil). Costs 1 evaluation.
    @discardableResult
    public mutating func beadMove<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, bead k0: Int? = nil, using rng: inout Xoshiro256
    ) -> Bool {
        let d = dimension, p = beadCount
        // A bead uniform in 0..<P by the high word of a 64×64-bit product (Lemire 2019; the bias,
        // P/2^64, is immaterial), and its neighbours on the ring, without integer division.
        let k = k0 ?? Int(rng.next().multipliedFullWidth(by: UInt64(p)).high)
        let prev = k == 0 ? p - 1 : k - 1, next = k == p - 1 ? 0 : k + 1
        let s = bead.scale
        for i in 0..<d { point[i] = beads[k * d + i] + s * widths[i] * rng.nextGaussian() }
        box.reflect(&point)
        let v = objective.value(at: point)
        let delta = beadLinkChange(bead: k, previous: prev, next: next) + betaOverP * (v - potentials[k])
        // NaN compares false in both tests, so a NaN is rejected.
        let accept = delta <= 0 || rng.nextUnit() < exp(-delta)
        if accept {
            for i in 0..<d { beads[k * d + i] = point[i] }
            potentials[k] = v
        }
        bead.record(accept)
        return accept
    }

    /// Shifts the whole polymer by one Gaussian vector; costs P evaluations (0 if a bead would leave
    /// the box, which rejects the move).
    @discardableResult
    public mutating func translationMove<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, using rng: inout Xoshiro256
    ) -> Bool {
        let d = dimension, p = beadCount
        let s = translation.scale
        for i in 0..<d { mean[i] = s * widths[i] * rng.nextGaussian() }
        var inside = true
        for k in 0..<p {
            for i in 0..<d {
                let y = beads[k * d + i] + mean[i]
                if !(y >= box.lower[i] && y <= box.upper[i]) { inside = false }
            }
        }
        guard inside else {
            translation.record(false)
            return false
        }
        for k in 0..<p {
            for i in 0..<d { saved[k * d + i] = beads[k * d + i] + mean[i] }
        }
        guard let deltaV = proposedChange(&objective, from: 0, count: p) else {
            translation.record(false)
            return false
        }
        let accept = metropolisAccepts(deltaV, using: &rng)
        if accept {
            swap(&beads, &saved)
            swap(&potentials, &savedPotentials)
        }
        translation.record(accept)
        return accept
    }

    /// Redraws the j − 1 interior beads of a segment of j links starting at bead `a` (random when
    /// nil) from the free bridge; j = `length` or the adapted staging length. Quadratic only.
    @discardableResult
    public mutating func stagingMove<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, start a0: Int? = nil, length: Int? = nil, using rng: inout Xoshiro256
    ) -> Bool {
        precondition(kinetic == .quadratic, "the staging move samples the Gaussian free bridge")
        let d = dimension, p = beadCount
        let j = length ?? Int(staging.scale.rounded())
        precondition(j >= 2 && j <= p, "segment length must be in 2...P")
        let a = a0 ?? Int(rng.next() % UInt64(p))
        let end = (a + j) % p
        let sigma2 = 2 * gamma * slice
        // Draw the whole bridge first into `saved` (the proposed beads at their ring positions;
        // `point` holds the previous new bead). The target density is zero outside the box, so a
        // bridge with any bead outside is rejected before any evaluation (cost 0): folding it back
        // would change its density away from the free bridge the acceptance assumes.
        var inside = true
        for i in 0..<d { point[i] = beads[a * d + i] }
        for step in 1..<j {
            let k = (a + step) % p
            let n = Double(j - step + 1)
            let sd = (sigma2 * (n - 1) / n).squareRoot()
            for i in 0..<d {
                let m = point[i] + (beads[end * d + i] - point[i]) / n
                let y = m + sd * rng.nextGaussian()
                point[i] = y
                saved[k * d + i] = y
                if !(y >= box.lower[i] && y <= box.upper[i]) { inside = false }
            }
        }
        guard inside else {
            staging.record(false)
            return false
        }
        guard let deltaV = proposedChange(&objective, from: a + 1, count: j - 1) else {
            staging.record(false)
            return false
        }
        let accept = metropolisAccepts(deltaV, using: &rng)
        if accept {
            for step in 1..<j {
                let k = (a + step) % p
                for i in 0..<d { beads[k * d + i] = saved[k * d + i] }
                potentials[k] = savedPotentials[k]
            }
        }
        staging.record(accept)
        return accept
    }

    /// ΣΔV of moving the `count` beads from ring position `first` on (modulo P) to their proposals
    /// in `saved`, each evaluated (and charged) in ring order, the new potentials kept in
    /// `savedPotentials`; nil when the budget runs out first (the move is then rejected).
    private mutating func proposedChange<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from first: Int, count: Int
    ) -> Double? {
        let d = dimension, p = beadCount
        var deltaV = 0.0
        for t in 0..<count {
            if objective.isExhausted { return nil }
            let k = (first + t) % p
            for i in 0..<d { point[i] = saved[k * d + i] }
            let v = objective.value(at: point)
            savedPotentials[k] = v
            deltaV += v - potentials[k]
        }
        return deltaV
    }

    /// The Metropolis rule at β/P for a potential change of a whole move.
    private func metropolisAccepts(_ deltaV: Double, using rng: inout Xoshiro256) -> Bool {
        let delta = betaOverP * deltaV
        return delta <= 0 || rng.nextUnit() < exp(-delta)
    }

    /// One sweep: P single-bead moves (bead chosen at random each time), one translation and, for
    /// the quadratic kinetic term, one staging move. Costs at most 2P + j − 1 evaluations (a
    /// translation or bridge that leaves the box costs nothing).
    public mutating func sweep<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, using rng: inout Xoshiro256
    ) {
        for _ in 0..<beadCount {
            if objective.isExhausted { return }
            beadMove(&objective, using: &rng)
        }
        if objective.isExhausted { return }
        translationMove(&objective, using: &rng)
        if kinetic == .quadratic && !objective.isExhausted {
            stagingMove(&objective, using: &rng)
        }
    }
}

extension RingPolymerSampler {
    /// Records every bead (its point and V) for the report's picture of the polymer; a no-op unless
    /// the trial is traced.
    public func traceSnapshot<L: ContinuousLandscape>(_ objective: inout Objective<L>) {
        let d = beads.count / beadCount
        let points = (0..<beadCount).map { k in Array(beads[(k * d)..<((k + 1) * d)]) }
        objective.traceSnapshot(points, values: potentials)
    }

    /// Reports the polymer's centroid (and its beads' mean V) as the trial's path.
    public func traceCentroid<L: ContinuousLandscape>(_ objective: inout Objective<L>) {
        let d = beads.count / beadCount
        var centroid = [Double](repeating: 0, count: d)
        for k in 0..<beadCount { for i in 0..<d { centroid[i] += beads[k * d + i] / Double(beadCount) } }
        objective.traceState(centroid, value: potentials.reduce(0, +) / Double(beadCount))
    }
}
