/// The reference quench that defines a trap (docs/DESIGN.md): projected gradient descent with small,
/// backtracking (Armijo) steps, a discrete approximation of gradient flow that stops at a small
/// projected gradient.
///
/// Each step's length is capped at `maxStepFraction` of the box diagonal, so the descent follows
/// the flow line into the basin it starts in rather than leaping across a barrier the way a line
/// search can. It is free in the budget: it defines the problem, not the run.
///
/// Close to a minimum the decrease a step promises (≈ |∇f|²/L) falls below the rounding noise of
/// f itself (≈ 1e-16·Σ|terms|), and the Armijo test can no longer tell descent from noise. There
/// (where it would accept overshooting steps by rounding luck and oscillate) a step is accepted
/// when f does not rise beyond that noise and the projected gradient shrinks, which keeps the
/// descent converging to the gradient tolerance.
///
/// Setup limit: a quench is free in the budget, so its work is bounded instead by `workLimit`,
/// counted in `ContinuousLandscape.evaluationWork` units (about one multiply-add each): it stops,
/// unconverged, before the evaluation that would take its work past the limit. The default, 10⁸
/// units, is about half a second of one core (mlp's defaults: 11 900 evaluations; a test function
/// in d = 1000: 10⁵); the quenches of one trial's start share a larger limit besides
/// (`ResolvedLandscape.startWorkLimit`, 5·10⁸).
public struct ReferenceQuench: Sendable {
    /// Stop when the projected gradient's Euclidean norm is at most this.
    public var gradientTolerance: Double
    /// Longest step, as a fraction of the box diagonal.
    public var maxStepFraction: Double
    public var maxIterations: Int
    /// Most work one quench may do, in `evaluationWork` units (see the type's comment).
    public var workLimit: Double

    /// The default setup limit of one quench: 10⁸ units.
    public static let defaultWorkLimit = 1e8

    public init(gradientTolerance: Double = 1e-7, maxStepFraction: Double = 1e-3, maxIterations: Int = 500_000,
                workLimit: Double = ReferenceQuench.defaultWorkLimit) {
        self.gradientTolerance = gradientTolerance
        self.maxStepFraction = maxStepFraction
        self.maxIterations = maxIterations
        self.workLimit = workLimit
    }

    public struct Result: Sendable {
        /// Where the descent stopped (m0 for a trap).
        public var point: [Double]
        public var value: Double
        /// Norm of the projected gradient at `point`.
        public var gradientNorm: Double
        public var iterations: Int
        /// Value-and-gradient evaluations made (the start's included).
        public var evaluations: Int
        /// evaluations × the landscape's `evaluationWork`: what the quench spent of `workLimit`.
        public var work: Double { Double(evaluations) * workPerEvaluation }
        let workPerEvaluation: Double
        /// Whether the gradient tolerance was reached (false: iteration or work limit, or a
        /// non-finite value).
        public var converged: Bool
    }

    /// Descends from `start` (projected into the box first).
    public func run<L: ContinuousLandscape>(_ landscape: L, from start: [Double]) -> Result {
        let box = landscape.domain
        let maxStep = maxStepFraction * box.diagonal
        var x = start
        box.project(&x)
        var g = [Double](repeating: 0, count: x.count)
        var f = landscape.valueAndGradient(at: x, gradient: &g)
        let unit = max(landscape.evaluationWork, 1)
        // Evaluations allowed in all (the start's included): the work limit in whole evaluations.
        let allowed = workLimit / unit >= Double(Int.max) ? Int.max : max(1, Int(workLimit / unit))
        var evaluations = 1
        let noise = 1e-13 * (1 + landscape.roundingScale(at: x))
        var trial = x
        var gTrial = g
        var h = maxStep / max(norm(g), 1e-300)
        var iterations = 0
        while iterations < maxIterations {
            let pg = ReferenceQuench.projectedGradientNorm(x: x, gradient: g, box: box)
            if !f.isFinite { break }
            if pg <= gradientTolerance {
                return Result(point: x, value: f, gradientNorm: pg, iterations: iterations, evaluations: evaluations,
                              workPerEvaluation: unit, converged: true)
            }
            iterations += 1
            // Armijo backtracking along the projected path, with the step length capped.
            let t = min(h, maxStep / max(pg, 1e-300))
            var accepted = false
            var step = t
            for _ in 0..<60 {
                if evaluations >= allowed { break }
                var decrease = 0.0
                for i in 0..<x.count {
                    trial[i] = min(max(x[i] - step * g[i], box.lower[i]), box.upper[i])
                    decrease += g[i] * (x[i] - trial[i])
                }
                let fTrial = landscape.valueAndGradient(at: trial, gradient: &gTrial)
                evaluations += 1
                // Armijo's test is meaningful only while the promised decrease exceeds the noise
                // of f; below that it accepts overshooting steps by rounding luck, so there the
                // step must shrink the projected gradient instead.
                let accept = decrease >= noise
                    ? fTrial <= f - 1e-4 * decrease
                    : fTrial <= f + noise && ReferenceQuench.projectedGradientNorm(x: trial, gradient: gTrial, box: box) < pg
                if accept {
                    swap(&x, &trial)
                    swap(&g, &gTrial)
                    f = fTrial
                    accepted = true
                    break
                }
                step *= 0.5
            }
            if !accepted { break }  // rounding noise (no descent possible along −g), or the work limit
            h = step * 2
        }
        let pg = ReferenceQuench.projectedGradientNorm(x: x, gradient: g, box: box)
        return Result(point: x, value: f, gradientNorm: pg, iterations: iterations, evaluations: evaluations,
                      workPerEvaluation: unit, converged: f.isFinite && pg <= gradientTolerance)
    }

    /// The norm of the gradient with the components that push against an active bound removed
    /// (the KKT residual of the box-constrained problem).
    public static func projectedGradientNorm(x: [Double], gradient g: [Double], box: Box) -> Double {
        var s = 0.0
        for i in 0..<x.count {
            var gi = g[i]
            if x[i] <= box.lower[i] && gi > 0 { gi = 0 }
            if x[i] >= box.upper[i] && gi < 0 { gi = 0 }
            s += gi * gi
        }
        return s.squareRoot()
    }

    private func norm(_ v: [Double]) -> Double {
        var s = 0.0
        for e in v { s += e * e }
        return s.squareRoot()
    }
}
