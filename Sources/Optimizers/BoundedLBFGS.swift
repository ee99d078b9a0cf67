import Landscapes

/// L-BFGS-B: limited-memory BFGS on a box (Byrd, Lu, Nocedal & Zhu 1995, "A limited memory
/// algorithm for bound constrained optimization", SIAM J. Sci. Comput. 16, 1190; with the
/// projected subspace step of Morales & Nocedal 2011, ACM TOMS 38, 7, "L-BFGS-B 3.0"), every
/// f and ∇f charged through the `Objective` as one value-and-gradient call (cost `gradCost`).
///
/// One iteration from x_k (feasible) with gradient g:
/// 1. **Generalized Cauchy point.** The limited-memory matrix B = θI − W·M·Wᵀ (W = [Y θS], the
///    last m pairs s_i = x_{i+1} − x_i, y_i = g_{i+1} − g_i; M the inverse of
///    [[−D, Lᵀ], [L, θSᵀS]], D = diag(s_iᵀy_i), L the strictly lower part of SᵀY) defines the
///    quadratic model m(x) = f + gᵀ(x − x_k) + ½(x − x_k)ᵀB(x − x_k). Along the projected
///    steepest-descent path x(t) = Π(x_k − t·g) the model is piecewise quadratic; walking its
///    breakpoints in order, the first local minimizer of m along the path is x^c (§4, Algorithm
///    CP). The variables at a bound at x^c are held there.
/// 2. **Subspace minimization** over the free variables, from x^c, by the direct primal method
///    (§5.1): d^u = −B̂⁻¹r^c with B̂ = ZᵀBZ inverted by Sherman–Morrison–Woodbury and
///    r^c = Zᵀ(g + B(x^c − x_k)). The end point is x^c + d^u projected onto the box; if that is not
///    a descent direction from x_k, x^c + α*·d^u with the largest feasible α* ≤ 1 instead (3.0).
/// 3. **Line search** along d = z − x_k (z the subspace point) by Moré & Thuente's safeguarded
///    cubic/quadratic search (1994, ACM TOMS 20, 286; MINPACK-2's `dcsrch`) with sufficient
///    decrease 1e-3, curvature 0.9, interval tolerance 0.1, first trial step 1 and largest step the
///    one that keeps x_k + t·d in the box (on a box, L-BFGS-B's first iteration takes step ≤ 1).
///    Each trial point is clamped onto the box (an exact step to a face can round a last bit
///    outside, and the `Objective` refuses such a point).
/// 4. The pair (s, y) enters the memory unless sᵀy ≤ ε_mach·(−gᵀs) (curvature too weak); θ = yᵀy/sᵀy.
///
/// It stops (converged) when the projected gradient's largest component ≤ `gtol`, or when
/// (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ `ftol`; after `maxIterations` iterations or
/// `maxEvaluations` calls (limit); when a line search fails with an empty memory, or when the
/// budget is spent. A line search that fails (more than `maxLineSearch` trials, or an uphill
/// direction) with a non-empty memory restores x_k, empties the memory and restarts from the
/// Cauchy step, as the reference code does. A singular middle matrix empties the memory too.
///
/// Defaults are scipy's `minimize(method="L-BFGS-B")` options: m = 10 (`maxcor`), ftol =
/// 1e7·ε_mach ≈ 2.2e-9 (`factr` = 1e7), gtol = 1e-5 (`pgtol`), 15,000 iterations and 15,000 calls,
/// 20 line-search trials (`maxls`).
///
/// This is a new implementation from the papers, not a translation of the reference Fortran: it
/// factors the 2m×2m middle matrices by LU with partial pivoting instead of the reference code's
/// Cholesky-based factorizations, so iterates agree with it in exact arithmetic, not to the bit.
struct BoundedLBFGS {
    struct Settings: Sendable, Equatable {
        var memory = 10
        var ftol = 1e7 * Double.ulpOfOne
        var gtol = 1e-5
        var maxIterations = 15_000
        var maxEvaluations = 15_000
        var maxLineSearch = 20
        /// Where ∇f comes from.
        var gradient = Gradient.analytic
    }

    enum Gradient: Sendable, Equatable {
        /// The landscape's own: one value-and-gradient call, cost `gradCost`.
        case analytic
        /// scipy's forward differences when `minimize` gets no `jac` (`approx_derivative`,
        /// '2-point', absolute step 10^−8): f(x) and f(x + h_j·e_j) for every j, each an evaluation
        /// of cost 1, ∂_j f ≈ (f(x + h_j·e_j) − f(x)) / ((x_j + h_j) − x_j). h_j = 10^−8, reversed
        /// when x_j + h_j leaves the box and x_j − h_j does not; when neither fits, the whole
        /// distance to the farther wall. A step lost to rounding (|x_j| above about 10^8) falls back
        /// to √ε·max(1, |x_j|), signed as x_j. When the budget runs out part way, the remaining
        /// components are 0 and the run ends at its next check.
        case forwardDifferences
    }

    enum Outcome: Sendable, Equatable {
        /// The projected-gradient or the relative-reduction test held (scipy's `success`).
        case converged
        /// A line search failed with an empty memory ("ABNORMAL_TERMINATION_IN_LNSRCH").
        case lineSearchFailed
        /// `maxIterations` or `maxEvaluations` was reached.
        case limit
        /// The objective's budget was spent (or the trial failed) during the run.
        case budget
    }

    struct Result: Sendable, Equatable {
        /// f at the point left in `x` (NaN if the budget was spent before x was evaluated).
        var value: Double
        var outcome: Outcome
        var iterations: Int
        var evaluations: Int
    }

    let settings: Settings
    let n: Int
    let lower: [Double]
    let upper: [Double]

    // Memory: ring buffers of the last `col` pairs, each n long; logical pair j (0 = oldest) sits
    // in slot (head + j) % m.
    private var sMemory: [Double]
    private var yMemory: [Double]
    private var head = 0
    private var col = 0
    private var theta = 1.0

    // Per-iteration buffers.
    private var g: [Double]
    private var xOld: [Double]
    private var gOld: [Double]
    private var xcp: [Double]
    private var z: [Double]
    private var d: [Double]
    private var trial: [Double]
    private var breakpoint: [Double]
    private var order: [Int]
    /// 0 free, 1 held at the lower bound, 2 held at the upper bound, −3 zero gradient (not moved
    /// by the Cauchy step, still free for the subspace step).
    private var state: [Int]
    private var middle: DenseLU
    private var reduced: DenseLU
    private var p: [Double]
    private var c: [Double]
    private var row: [Double]
    private var work: [Double]
    private var work2: [Double]
    /// The displaced point of a forward difference.
    private var probe: [Double]

    init(box: Box, settings: Settings = Settings()) {
        precondition(settings.memory >= 1 && settings.maxLineSearch >= 1)
        self.settings = settings
        n = box.dimension
        lower = box.lower
        upper = box.upper
        let m = settings.memory
        sMemory = [Double](repeating: 0, count: m * n)
        yMemory = sMemory
        g = [Double](repeating: 0, count: n)
        xOld = g; gOld = g; xcp = g; z = g; d = g; trial = g; breakpoint = g
        order = [Int](repeating: 0, count: n)
        state = order
        middle = DenseLU(capacity: 2 * m)
        reduced = DenseLU(capacity: 2 * m)
        p = [Double](repeating: 0, count: 2 * m)
        c = p; row = p; work = p; work2 = p
        probe = g
    }

    /// f(x) and ∇f(x) as `mode` says, charged to `objective`; `probe` is scratch of length n.
    static func evaluate<L: ContinuousLandscape>(_ objective: inout Objective<L>, at x: [Double],
                                                         gradient: inout [Double], mode: Gradient, probe: inout [Double],
                                                         lower: [Double], upper: [Double]) -> Double {
        let n = x.count
        switch mode {
        case .analytic:
            return objective.valueAndGradient(at: x, gradient: &gradient)
        case .forwardDifferences:
            let f = objective.value(at: x)
            for i in 0..<n { probe[i] = x[i]; gradient[i] = 0 }
            for i in 0..<n {
                if objective.isExhausted { break }
                var h = 1e-8
                if (x[i] + h) - x[i] == 0 { h = (1.0 as Double).ulp.squareRoot() * Swift.max(1, Swift.abs(x[i])) * (x[i] >= 0 ? 1 : -1) }
                let below = x[i] - lower[i], above = upper[i] - x[i]
                if x[i] + h < lower[i] || x[i] + h > upper[i] {
                    if Swift.abs(h) <= Swift.max(below, above) { h = -h } else { h = above >= below ? above : -below }
                }
                probe[i] = x[i] + h
                let dx = probe[i] - x[i]
                let fi = objective.value(at: probe)
                probe[i] = x[i]
                gradient[i] = dx == 0 ? 0 : (fi - f) / dx
            }
            return f
        }
    }

    /// Minimizes from `x` (clamped onto the box first, as scipy clips x0 into the bounds), leaving
    /// the final iterate in `x`. The memory starts empty on every call.
    mutating func minimize<L: ContinuousLandscape>(_ objective: inout Objective<L>,
                                                   from x: inout [Double]) -> Result {
        precondition(x.count == n)
        col = 0; head = 0; theta = 1
        for i in 0..<n { x[i] = Swift.min(Swift.max(x[i], lower[i]), upper[i]) }
        guard !objective.isExhausted else { return Result(value: .nan, outcome: .budget, iterations: 0, evaluations: 0) }
        var f = Self.evaluate(&objective, at: x, gradient: &g, mode: settings.gradient, probe: &probe, lower: lower, upper: upper)
        var evaluations = 1, iterations = 0
        if objective.failure != nil { return Result(value: f, outcome: .budget, iterations: 0, evaluations: 1) }
        if projectedGradientNorm(x) <= settings.gtol {
            return Result(value: f, outcome: .converged, iterations: 0, evaluations: 1)
        }
        while true {
            // Steps 1–2: the search point z.
            if !searchPoint(x) { resetMemory(); continue }
            for i in 0..<n { d[i] = z[i] - x[i] }
            // Step 3: the line search. Largest feasible step along d (≥ 1: z is in the box).
            var stepMax = 1.0
            if iterations > 0 {
                stepMax = 1e10
                for i in 0..<n {
                    stepMax = stepToFace(d[i], from: x[i], lower: lower[i], upper: upper[i], atMost: stepMax)
                }
            }
            var slopeOld = 0.0
            for i in 0..<n { slopeOld += g[i] * d[i] }
            for i in 0..<n { xOld[i] = x[i]; gOld[i] = g[i] }
            let fOld = f
            var search = LineSearch(ftol: 1e-3, gtol: 0.9, xtol: 0.1, stepMin: 0, stepMax: stepMax)
            var failed = slopeOld >= 0 || !(stepMax >= 1)
            var step = 1.0
            var slope = slopeOld
            var trials = 0
            if !failed {
                var task = search.start(step: step, value: f, slope: slopeOld)
                while task == .evaluate {
                    if trials >= settings.maxLineSearch { failed = true; break }
                    if objective.isExhausted {
                        return Result(value: f, outcome: .budget, iterations: iterations, evaluations: evaluations)
                    }
                    if step == 1 {
                        for i in 0..<n { trial[i] = z[i] }
                    } else {
                        for i in 0..<n {
                            trial[i] = Swift.min(Swift.max(xOld[i] + step * d[i], lower[i]), upper[i])
                        }
                    }
                    let fTrial = Self.evaluate(&objective, at: trial, gradient: &g, mode: settings.gradient, probe: &probe,
                                               lower: lower, upper: upper)
                    evaluations += 1
                    trials += 1
                    if objective.failure != nil {
                        return Result(value: fTrial, outcome: .budget, iterations: iterations, evaluations: evaluations)
                    }
                    swap(&x, &trial)
                    f = fTrial
                    slope = 0
                    for i in 0..<n { slope += g[i] * d[i] }
                    task = search.next(step: &step, value: f, slope: slope)
                }
                if task == .error { failed = true }
            }
            if failed {
                for i in 0..<n { x[i] = xOld[i]; g[i] = gOld[i] }
                f = fOld
                if col == 0 {
                    return Result(value: f, outcome: .lineSearchFailed, iterations: iterations + 1, evaluations: evaluations)
                }
                resetMemory()
                continue
            }
            iterations += 1
            if iterations >= settings.maxIterations || evaluations > settings.maxEvaluations {
                return Result(value: f, outcome: .limit, iterations: iterations, evaluations: evaluations)
            }
            if projectedGradientNorm(x) <= settings.gtol {
                return Result(value: f, outcome: .converged, iterations: iterations, evaluations: evaluations)
            }
            if fOld - f <= settings.ftol * Swift.max(abs(fOld), abs(f), 1) {
                return Result(value: f, outcome: .converged, iterations: iterations, evaluations: evaluations)
            }
            // Step 4: the memory.
            var sy = 0.0, yy = 0.0
            for i in 0..<n {
                let s = x[i] - xOld[i], y = g[i] - gOld[i]
                sy += s * y
                yy += y * y
            }
            if sy > Double.ulpOfOne * (-slopeOld * step) { remember(x, yy: yy, sy: sy) }
        }
    }

    /// max_i |P(x − g) − x|_i: the projected gradient's largest component (its i-th component is
    /// g_i clipped so that x_i − g_i stays in [l_i, u_i]).
    private func projectedGradientNorm(_ x: [Double]) -> Double {
        var norm = 0.0
        for i in 0..<n {
            var gi = g[i]
            if gi < 0 { gi = Swift.max(x[i] - upper[i], gi) } else { gi = Swift.min(x[i] - lower[i], gi) }
            norm = Swift.max(norm, abs(gi))
        }
        return norm
    }

    private mutating func resetMemory() {
        col = 0; head = 0; theta = 1
    }

    private mutating func remember(_ x: [Double], yy: Double, sy: Double) {
        let m = settings.memory
        let slot: Int
        if col < m { slot = (head + col) % m; col += 1 } else { slot = head; head = (head + 1) % m }
        for i in 0..<n {
            sMemory[slot * n + i] = x[i] - xOld[i]
            yMemory[slot * n + i] = g[i] - gOld[i]
        }
        theta = yy / sy
    }

    @inline(__always) private func s(_ j: Int, _ i: Int) -> Double { sMemory[((head + j) % settings.memory) * n + i] }
    @inline(__always) private func y(_ j: Int, _ i: Int) -> Double { yMemory[((head + j) % settings.memory) * n + i] }

    /// Row i of W = [Y θS] (length 2·col) into `row`.
    private mutating func wRow(_ i: Int) {
        for j in 0..<col {
            row[j] = y(j, i)
            row[col + j] = theta * s(j, i)
        }
    }

    /// Factors K = [[−D, Lᵀ], [L, θSᵀS]] (M = K⁻¹) into `middle`; false if singular.
    private mutating func factorMiddle() -> Bool {
        let k = 2 * col
        middle.resize(k)
        for a in 0..<col {
            for b in 0..<col {
                var sy = 0.0, ss = 0.0
                for i in 0..<n {
                    sy += s(a, i) * y(b, i)
                    ss += s(a, i) * s(b, i)
                }
                // Upper-left: −D (diagonal of SᵀY). Lower-left: L_ab = s_aᵀy_b for a > b. Upper-right: Lᵀ.
                middle[a, b] = a == b ? -sy : 0
                middle[col + a, b] = a > b ? sy : 0
                middle[b, col + a] = a > b ? sy : 0
                middle[col + a, col + b] = theta * ss
            }
        }
        return middle.factor()
    }

    /// wᵀ·M·v for the row `row` and a vector v (M = K⁻¹ via the LU factors; uses `work2`).
    private mutating func rowTimesM(_ v: [Double]) -> Double {
        let k = 2 * col
        for a in 0..<k { work2[a] = v[a] }
        middle.solve(&work2)
        var sum = 0.0
        for a in 0..<k { sum += row[a] * work2[a] }
        return sum
    }

    /// Steps 1 and 2: the generalized Cauchy point into `xcp`, then the subspace point into `z`.
    /// False when a middle matrix is singular (the caller empties the memory and retries).
    private mutating func searchPoint(_ x: [Double]) -> Bool {
        let k = 2 * col
        if col > 0 && !factorMiddle() { return false }
        // Direction d = −g with the variables blocked by a bound held; breakpoints t_i.
        var f1 = 0.0
        for a in 0..<k { p[a] = 0; c[a] = 0 }
        var breaks = 0
        for i in 0..<n {
            xcp[i] = x[i]
            let neg = -g[i]
            let atLower = x[i] <= lower[i], atUpper = x[i] >= upper[i]
            if atLower && neg <= 0 { state[i] = 1 }
            else if atUpper && neg >= 0 { state[i] = 2 }
            else if !atLower && !atUpper && neg == 0 { state[i] = -3 }
            else { state[i] = 0 }
            if state[i] != 0 { d[i] = 0; continue }
            d[i] = neg
            f1 -= neg * neg
            if col > 0 {
                wRow(i)
                for a in 0..<k { p[a] += row[a] * neg }
            }
            breakpoint[i] = neg < 0 ? (x[i] - lower[i]) / -neg : (upper[i] - x[i]) / neg
            order[breaks] = i
            breaks += 1
        }
        if breaks == 0 {
            // Nothing can move: x is its own Cauchy point, and z = x makes the line search fail.
            for i in 0..<n { z[i] = x[i] }
            return true
        }
        var f2: Double
        if col > 0 {
            for a in 0..<k { work[a] = p[a] }
            middle.solve(&work)
            var pMp = 0.0
            for a in 0..<k { pMp += p[a] * work[a] }
            f2 = -theta * f1 - pMp
        } else {
            f2 = -theta * f1
        }
        let f2Original = f2
        var dtm = -f1 / f2
        var tOld = 0.0, tSum = 0.0
        // Breakpoints in increasing order (ties by index, so the walk is deterministic).
        let bp = breakpoint
        order[0..<breaks].sort { bp[$0] < bp[$1] || (bp[$0] == bp[$1] && $0 < $1) }
        var fixedAll = false
        var next = 0
        while next < breaks {
            let b = order[next]
            let dt = bp[b] - tOld
            if dtm < dt { break }
            next += 1
            tSum += dt
            tOld = bp[b]
            let db = d[b]
            d[b] = 0
            let zb: Double
            if db > 0 { xcp[b] = upper[b]; state[b] = 2; zb = upper[b] - x[b] }
            else { xcp[b] = lower[b]; state[b] = 1; zb = lower[b] - x[b] }
            if next == breaks && breaks == n {
                // Every variable is now at a bound: that corner is the Cauchy point.
                dtm = dt
                fixedAll = true
                break
            }
            let db2 = db * db
            f1 += dt * f2 + db2 - theta * db * zb
            f2 -= theta * db2
            if col > 0 {
                for a in 0..<k { c[a] += dt * p[a] }
                wRow(b)
                let wMc = rowTimesM(c)
                let wMp = rowTimesM(p)
                let wMw = rowTimesM(row)
                f1 += db * wMc
                f2 += 2 * db * wMp - db2 * wMw
                for a in 0..<k { p[a] -= db * row[a] }
            }
            f2 = Swift.max(Double.ulpOfOne * f2Original, f2)
            if next < breaks { dtm = -f1 / f2 } else { dtm = 0; f1 = 0; f2 = 0 }
        }
        if !fixedAll {
            if !(dtm > 0) { dtm = 0 }
            tSum += dtm
            for i in 0..<n where d[i] != 0 { xcp[i] = x[i] + tSum * d[i] }
            for i in 0..<n { xcp[i] = Swift.min(Swift.max(xcp[i], lower[i]), upper[i]) }
        }
        if col > 0 { for a in 0..<k { c[a] += dtm * p[a] } }
        for i in 0..<n { z[i] = xcp[i] }
        guard col > 0 else { return true }
        return subspaceStep(x)
    }

    /// Step 2 (needs col > 0): minimizes the model over the free variables from x^c into `z`.
    private mutating func subspaceStep(_ x: [Double]) -> Bool {
        let k = 2 * col
        // Reduced gradient r = g + θ(x^c − x) − W·M·c on the free variables, kept in `d`.
        for a in 0..<k { work[a] = c[a] }
        middle.solve(&work)  // work = M·c
        var free = 0
        for i in 0..<n where state[i] <= 0 {
            wRow(i)
            var wMc = 0.0
            for a in 0..<k { wMc += row[a] * work[a] }
            d[i] = g[i] + theta * (xcp[i] - x[i]) - wMc
            free += 1
        }
        if free == 0 { return true }
        // (K − A/θ)·u = Wᵀ Z r with A = Wᵀ Z Zᵀ W; then d^u = −r/θ − Zᵀ W u / θ².
        reduced.resize(k)
        for a in 0..<k { for b in 0..<k { reduced[a, b] = middle.original(a, b) } }
        for a in 0..<k { work[a] = 0 }
        for i in 0..<n where state[i] <= 0 {
            wRow(i)
            for a in 0..<k {
                work[a] += row[a] * d[i]
                let ra = row[a] / theta
                for b in 0..<k { reduced[a, b] -= ra * row[b] }
            }
        }
        guard reduced.factor() else { return false }
        reduced.solve(&work)  // work = u
        for i in 0..<n where state[i] <= 0 {
            wRow(i)
            var wu = 0.0
            for a in 0..<k { wu += row[a] * work[a] }
            d[i] = -d[i] / theta - wu / (theta * theta)
        }
        // The projected Newton point, if it is a descent direction from x (L-BFGS-B 3.0).
        var slope = 0.0
        for i in 0..<n {
            z[i] = state[i] <= 0 ? Swift.min(Swift.max(xcp[i] + d[i], lower[i]), upper[i]) : xcp[i]
            slope += (z[i] - x[i]) * g[i]
        }
        if slope <= 0 { return true }
        // Otherwise the largest α ≤ 1 keeping x^c + α·d^u in the box (L-BFGS-B 2.1).
        var alpha = 1.0
        var limiting = -1
        for i in 0..<n where state[i] <= 0 {
            let t = stepToFace(d[i], from: xcp[i], lower: lower[i], upper: upper[i], atMost: alpha)
            if t < alpha { alpha = t; limiting = i }
        }
        for i in 0..<n {
            if state[i] > 0 { z[i] = xcp[i]; continue }
            if i == limiting { z[i] = d[i] > 0 ? upper[i] : lower[i]; continue }
            z[i] = Swift.min(Swift.max(xcp[i] + alpha * d[i], lower[i]), upper[i])
        }
        return true
    }
}

/// A small dense LU factorization with partial pivoting (for the 2m×2m matrices of L-BFGS-B),
/// storage reused across calls.
/// The longest step t ≤ `limit` from x along a direction with component `di` that keeps
/// coordinate x + t·di inside [lower, upper]: 0 when x already lies on the face `di` points
/// through, `limit` when the face is farther (or `di` = 0).
@inline(__always)
func stepToFace(_ di: Double, from x: Double, lower: Double, upper: Double, atMost limit: Double) -> Double {
    if di < 0 {
        let room = lower - x
        if room >= 0 { return 0 } else if di * limit < room { return room / di }
    } else if di > 0 {
        let room = upper - x
        if room <= 0 { return 0 } else if di * limit > room { return room / di }
    }
    return limit
}

struct DenseLU {
    private(set) var size = 0
    private var a: [Double]
    private var saved: [Double]
    private var pivot: [Int]
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        a = [Double](repeating: 0, count: capacity * capacity)
        saved = a
        pivot = [Int](repeating: 0, count: capacity)
    }

    mutating func resize(_ k: Int) {
        precondition(k <= capacity)
        size = k
    }

    subscript(i: Int, j: Int) -> Double {
        get { a[i * capacity + j] }
        set { a[i * capacity + j] = newValue }
    }

    /// The matrix as it was before `factor()`.
    func original(_ i: Int, _ j: Int) -> Double { saved[i * capacity + j] }

    /// Factors in place (PA = LU); false if a pivot is zero or not finite.
    mutating func factor() -> Bool {
        let k = size, w = capacity
        for i in 0..<k { for j in 0..<k { saved[i * w + j] = a[i * w + j] } }
        for col in 0..<k {
            var best = col
            var bestValue = abs(a[col * w + col])
            for r in (col + 1)..<Swift.max(k, col + 1) where abs(a[r * w + col]) > bestValue {
                best = r
                bestValue = abs(a[r * w + col])
            }
            guard bestValue > 0 && bestValue.isFinite else { return false }
            pivot[col] = best
            if best != col {
                for j in 0..<k { a.swapAt(col * w + j, best * w + j) }
            }
            let diag = a[col * w + col]
            for r in (col + 1)..<Swift.max(k, col + 1) {
                let factor = a[r * w + col] / diag
                a[r * w + col] = factor
                if factor != 0 { for j in (col + 1)..<k { a[r * w + j] -= factor * a[col * w + j] } }
            }
        }
        return true
    }

    /// Solves A·v = b in place (b in the first `size` entries of v).
    func solve(_ v: inout [Double]) {
        let k = size, w = capacity
        for col in 0..<k where pivot[col] != col { v.swapAt(col, pivot[col]) }
        for r in 0..<k {
            var sum = v[r]
            for j in 0..<r { sum -= a[r * w + j] * v[j] }
            v[r] = sum
        }
        for r in stride(from: k - 1, through: 0, by: -1) {
            var sum = v[r]
            for j in (r + 1)..<Swift.max(k, r + 1) { sum -= a[r * w + j] * v[j] }
            v[r] = sum / a[r * w + r]
        }
    }
}

/// Moré & Thuente's line search (1994; MINPACK-2 `dcsrch`/`dcstep`): finds a step t in
/// [stepMin, stepMax] with φ(t) ≤ φ(0) + ftol·t·φ'(0) and |φ'(t)| ≤ gtol·|φ'(0)|, by safeguarded
/// cubic and quadratic interpolation on an interval that brackets such a step. A state machine:
/// `start` and `next` return `.evaluate` with the step to try, until `.converged` or `.warning`
/// (the last evaluated step is the answer) or `.error`.
struct LineSearch {
    enum Task: Equatable { case evaluate, converged, warning, error }

    let ftol: Double, gtol: Double, xtol: Double, stepMin: Double, stepMax: Double
    private var bracketed = false
    private var stage = 1
    private var fInit = 0.0, gInit = 0.0, gTest = 0.0
    private var width = 0.0, width1 = 0.0
    private var stx = 0.0, fx = 0.0, gx = 0.0
    private var sty = 0.0, fy = 0.0, gy = 0.0
    private var stmin = 0.0, stmax = 0.0

    init(ftol: Double, gtol: Double, xtol: Double, stepMin: Double, stepMax: Double) {
        self.ftol = ftol; self.gtol = gtol; self.xtol = xtol
        self.stepMin = stepMin; self.stepMax = stepMax
    }

    /// φ(0) = value, φ'(0) = slope < 0; the first trial is `step`.
    mutating func start(step: Double, value: Double, slope: Double) -> Task {
        guard step >= stepMin, step <= stepMax, slope < 0, stepMax >= stepMin else { return .error }
        bracketed = false
        stage = 1
        fInit = value; gInit = slope; gTest = ftol * slope
        width = stepMax - stepMin
        width1 = width / 0.5
        stx = 0; fx = value; gx = slope
        sty = 0; fy = value; gy = slope
        stmin = 0
        stmax = step + 4 * step
        return .evaluate
    }

    /// φ(step) = value, φ'(step) = slope: returns what to do, and the next step in `step`.
    mutating func next(step stp: inout Double, value f: Double, slope g: Double) -> Task {
        let fTest = fInit + stp * gTest
        if stage == 1 && f <= fTest && g >= 0 { stage = 2 }
        // Convergence takes precedence over every warning, as in `dcsrch`.
        if f <= fTest && abs(g) <= gtol * -gInit { return .converged }
        if bracketed && (stp <= stmin || stp >= stmax) { return .warning }  // rounding prevents progress
        if bracketed && stmax - stmin <= xtol * stmax { return .warning }  // interval small enough
        if stp == stepMax && f <= fTest && g <= gTest { return .warning }
        if stp == stepMin && (f > fTest || g >= gTest) { return .warning }
        if !f.isFinite || !g.isFinite { return .warning }

        if stage == 1 && f <= fx && f > fTest {
            // The modified function ψ(t) = φ(t) − φ(0) − t·gTest while ψ ≤ 0 has not held.
            var fxm = fx - stx * gTest, fym = fy - sty * gTest
            var gxm = gx - gTest, gym = gy - gTest
            let fm = f - stp * gTest, gm = g - gTest
            Self.step(&stx, &fxm, &gxm, &sty, &fym, &gym, &stp, fm, gm, &bracketed, stmin, stmax)
            fx = fxm + stx * gTest
            fy = fym + sty * gTest
            gx = gxm + gTest
            gy = gym + gTest
        } else {
            Self.step(&stx, &fx, &gx, &sty, &fy, &gy, &stp, f, g, &bracketed, stmin, stmax)
        }
        if bracketed {
            if abs(sty - stx) >= 0.66 * width1 { stp = stx + 0.5 * (sty - stx) }
            width1 = width
            width = abs(sty - stx)
            stmin = Swift.min(stx, sty)
            stmax = Swift.max(stx, sty)
        } else {
            stmin = stp + 1.1 * (stp - stx)
            stmax = stp + 4 * (stp - stx)
        }
        stp = Swift.min(Swift.max(stp, stepMin), stepMax)
        if bracketed && (stp <= stmin || stp >= stmax) || (bracketed && stmax - stmin <= xtol * stmax) {
            stp = stx
        }
        return .evaluate
    }

    /// `dcstep`: a safeguarded step from the interval [stx, sty] (best point stx) and the trial stp.
    static func step(_ stx: inout Double, _ fx: inout Double, _ dx: inout Double,
                     _ sty: inout Double, _ fy: inout Double, _ dy: inout Double,
                     _ stp: inout Double, _ fp: Double, _ dp: Double,
                     _ bracketed: inout Bool, _ stpmin: Double, _ stpmax: Double) {
        let sgnd = (dp > 0 ? 1.0 : dp < 0 ? -1.0 : 0) * (dx > 0 ? 1.0 : dx < 0 ? -1.0 : 0)
        var stpf: Double
        if fp > fx {
            // Higher value: the minimum is bracketed; cubic or the cubic–quadratic midpoint.
            let theta = 3 * (fx - fp) / (stp - stx) + dx + dp
            let s = Swift.max(abs(theta), abs(dx), abs(dp))
            var gamma = s * ((theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
            if stp < stx { gamma = -gamma }
            let pp = (gamma - dx) + theta
            let q = ((gamma - dx) + gamma) + dp
            let stpc = stx + (pp / q) * (stp - stx)
            let stpq = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / 2) * (stp - stx)
            stpf = abs(stpc - stx) <= abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2
            bracketed = true
        } else if sgnd < 0 {
            // Derivatives of opposite sign: bracketed; cubic or secant, whichever is farther.
            let theta = 3 * (fx - fp) / (stp - stx) + dx + dp
            let s = Swift.max(abs(theta), abs(dx), abs(dp))
            var gamma = s * ((theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
            if stp > stx { gamma = -gamma }
            let pp = (gamma - dp) + theta
            let q = ((gamma - dp) + gamma) + dx
            let stpc = stp + (pp / q) * (stx - stp)
            let stpq = stp + (dp / (dp - dx)) * (stx - stp)
            stpf = abs(stpc - stp) > abs(stpq - stp) ? stpc : stpq
            bracketed = true
        } else if abs(dp) < abs(dx) {
            // Same sign, derivative decreasing in magnitude.
            let theta = 3 * (fx - fp) / (stp - stx) + dx + dp
            let s = Swift.max(abs(theta), abs(dx), abs(dp))
            var gamma = s * Swift.max(0, (theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
            if stp > stx { gamma = -gamma }
            let pp = (gamma - dp) + theta
            let q = (gamma + (dx - dp)) + gamma
            let r = pp / q
            let stpc: Double
            if r < 0 && gamma != 0 { stpc = stp + r * (stx - stp) }
            else if stp > stx { stpc = stpmax }
            else { stpc = stpmin }
            let stpq = stp + (dp / (dp - dx)) * (stx - stp)
            if bracketed {
                stpf = abs(stpc - stp) < abs(stpq - stp) ? stpc : stpq
                if stp > stx { stpf = Swift.min(stp + 0.66 * (sty - stp), stpf) }
                else { stpf = Swift.max(stp + 0.66 * (sty - stp), stpf) }
            } else {
                stpf = abs(stpc - stp) > abs(stpq - stp) ? stpc : stpq
                stpf = Swift.min(Swift.max(stpf, stpmin), stpmax)
            }
        } else {
            // Same sign, derivative not decreasing: cubic on [stp, sty] if bracketed, else a limit.
            if bracketed {
                let theta = 3 * (fp - fy) / (sty - stp) + dy + dp
                let s = Swift.max(abs(theta), abs(dy), abs(dp))
                var gamma = s * ((theta / s) * (theta / s) - (dy / s) * (dp / s)).squareRoot()
                if stp > sty { gamma = -gamma }
                let pp = (gamma - dp) + theta
                let q = ((gamma - dp) + gamma) + dy
                stpf = stp + (pp / q) * (sty - stp)
            } else if stp > stx {
                stpf = stpmax
            } else {
                stpf = stpmin
            }
        }
        if fp > fx {
            sty = stp; fy = fp; dy = dp
        } else {
            if sgnd < 0 { sty = stx; fy = fx; dy = dx }
            stx = stp; fx = fp; dx = dp
        }
        stp = stpf
    }
}
