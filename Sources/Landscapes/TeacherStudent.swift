import Foundation

/// The population loss of a two-layer ReLU network learning a planted teacher (Safran & Shamir,
/// ICML 2018, "Spurious local minima are common in two-layer ReLU neural networks",
/// https://arxiv.org/abs/1712.08968):
///
///     student  x ↦ Σ_{i<n} max(0, w_i·x),   teacher  x ↦ Σ_{j<k} max(0, v_j·x),   x ~ N(0, I_d),
///     F(W) = ½ E[(student − teacher)²]
///          = ½ Σ_ij f(w_i, w_j) − Σ_ij f(w_i, v_j) + ½ Σ_ij f(v_i, v_j),
///     f(w, v) = E[max(0, w·x) max(0, v·x)] = ‖w‖‖v‖ (sin θ + (π − θ) cos θ) / (2π),
///
/// θ the angle between w and v (Cho & Saul 2009, the arc-cosine kernel of degree 1). The input
/// dimension is d = k; the point x ∈ R^{n·k} holds W row by row (unit i is x[i·k ..< (i+1)·k]).
/// The domain is the box [−B, B]^{n·k}.
///
/// Teacher: instance 0 is the paper's V = I_k. Instance i > 0 uses V = Q, a seeded random
/// orthogonal matrix (Gram–Schmidt of a Gaussian matrix). Since x ~ N(0, I) is rotation invariant,
/// F_Q(W) = F_I(W Q), so instances differ only in how the box meets the landscape (and in which
/// coordinates a given start lands on).
///
/// Gradient (Brutzkus & Globerson 2017, Safran & Shamir 2018):
///
///     ∂f(w, v)/∂w = (‖v‖ sin θ · w/‖w‖ + (π − θ) v) / (2π),
///     ∂F/∂w_i = Σ_j ∂f(w_i, w_j)/∂w_i − Σ_j ∂f(w_i, v_j)/∂w_i,
///
/// the j = i term giving w_i/2 (f(w, w) = ‖w‖²/2). It is continuous at θ = 0 and θ = π (where
/// sin θ = 0) and bounded as ‖w‖ → 0, but F is not differentiable at w_i = 0, where the limit
/// depends on the direction of approach. There ∂f(0, v)/∂w := v/4, the mean of the limits from
/// the two directions ±u orthogonal to v (or ±v when k = 1): an element of Clarke's generalized
/// gradient. With it, the planted minimizer [V; 0] of an over-parameterized student has gradient 0.
///
/// Minima: F ≥ 0, and F = 0 exactly when the two networks agree almost everywhere: at W = V up to
/// a permutation of the units, and for n > k also with extra units at 0 (or splitting a teacher
/// unit into parallel parts). f* = 0 is `planted`; `optimum.points` lists W = V (n = k) or
/// W = [V; 0] (n > k), not its permutations. Safran & Shamir found spurious local minima for
/// 6 ≤ k = n ≤ 20, reached from Xavier initialization in a fraction of runs growing with k.
///
/// Cost: one value is n(n+1)/2 + n·k angle evaluations of O(k) each: O(n(n+k)d).
public struct TeacherStudent: ContinuousLandscape {
    /// k: the teacher's units and the input dimension.
    public let teacherUnits: Int
    /// n: the student's units.
    public let studentUnits: Int
    /// V row by row (k × k).
    public let teacher: [Double]
    @usableFromInline let teacherNorms: [Double]
    /// ½ Σ_ij f(v_i, v_j): F's constant term.
    @usableFromInline let teacherSelfTerm: Double
    public let domain: Box
    public let optimum: KnownOptimum

    public var dimension: Int { studentUnits * teacherUnits }

    /// A student of `studentUnits` ≥ `teacherUnits` units against the teacher rows `teacher`
    /// (k × k, each of norm ≤ `bound`), in [−bound, bound]^{n·k}.
    public init(teacherUnits k: Int, studentUnits n: Int, teacher: [Double], bound: Double) {
        precondition(k >= 1 && n >= k && teacher.count == k * k && bound > 0)
        teacherUnits = k
        studentUnits = n
        self.teacher = teacher
        let norms = (0..<k).map { j in TeacherStudent.norm(teacher, row: j, width: k) }
        teacherNorms = norms
        var selfTerm = 0.0
        for i in 0..<k {
            for j in 0..<k {
                selfTerm += TeacherStudent.kernel(teacher, row: i, norm: norms[i], teacher, row: j, norm: norms[j], width: k)
            }
        }
        teacherSelfTerm = 0.5 * selfTerm
        domain = Box(cube: -bound, bound, dimension: n * k)
        optimum = KnownOptimum(value: 0, status: .planted,
                               points: [teacher + [Double](repeating: 0, count: (n - k) * k)])
    }

    /// The paper's teacher V = I_k (instance 0) or a seeded random orthogonal V (instance > 0).
    public static func teacher(units k: Int, instance: Int, seed: UInt64) -> [Double] {
        var v = [Double](repeating: 0, count: k * k)
        if instance == 0 {
            for i in 0..<k { v[i * k + i] = 1 }
            return v
        }
        var rng = Xoshiro256(seed: seed)
        // Gram–Schmidt (modified) on Gaussian rows: the rows of a Haar-distributed orthogonal
        // matrix up to the sign convention, which does not matter here.
        for i in 0..<k {
            var norm2 = 0.0
            repeat {
                for c in 0..<k { v[i * k + c] = rng.nextGaussian() }
                for j in 0..<i {
                    var dot = 0.0
                    for c in 0..<k { dot += v[i * k + c] * v[j * k + c] }
                    for c in 0..<k { v[i * k + c] -= dot * v[j * k + c] }
                }
                norm2 = 0
                for c in 0..<k { norm2 += v[i * k + c] * v[i * k + c] }
            } while norm2 < 1e-12
            let scale = 1 / norm2.squareRoot()
            for c in 0..<k { v[i * k + c] *= scale }
        }
        return v
    }

    /// (value+gradient time)/(value time), measured by the benchmark
    /// `value-vs-gradient/teacher-student-k20-n20` (release, instance 1; median 539 ms / 255 ms per
    /// 10 000 calls on 2 shared cores; at the default k = n = 6, 13 ms / 7 ms, the same ratio within
    /// the millisecond resolution):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/teacher-student.*'`.
    public var gradCost: Double { 2.1 }

    /// n·(n + k)·k: every student unit meets every other unit and every teacher unit in R^k.
    public var evaluationWork: Double { Double(studentUnits) * Double(studentUnits + teacherUnits) * Double(teacherUnits) }

    public func value(at x: [Double]) -> Double {
        x.withUnsafeBufferPointer { w in evaluate(w, gradient: nil) }
    }

    public func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        x.withUnsafeBufferPointer { w in
            gradient.withUnsafeMutableBufferPointer { g in evaluate(w, gradient: g) }
        }
    }

    /// Σ|terms| of F: ½Σ|f(w_i, w_j)| + Σ|f(w_i, v_j)| + ½Σ|f(v_i, v_j)| (every f is ≥ 0).
    public func roundingScale(at x: [Double]) -> Double {
        x.withUnsafeBufferPointer { w in evaluate(w, gradient: nil, absolute: true) }
    }

    /// F(W), and ∇F into `gradient` when it is given. With `absolute`, the sum of the terms'
    /// magnitudes instead (the rounding scale).
    @usableFromInline
    func evaluate(_ w: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>?,
                  absolute: Bool = false) -> Double {
        let k = teacherUnits, n = studentUnits
        precondition(w.count == n * k, "point has \(w.count) coordinates, teacher-student \(n * k)")
        if let gradient { for c in 0..<gradient.count { gradient[c] = 0 } }
        let inverse2Pi = 1 / (2 * Double.pi)
        return teacher.withUnsafeBufferPointer { v in
            teacherNorms.withUnsafeBufferPointer { vNorms in
                var studentTerms = 0.0, crossTerms = 0.0
                for i in 0..<n {
                    let wi = UnsafeBufferPointer(rebasing: w[(i * k)..<((i + 1) * k)])
                    var normI2 = 0.0
                    for c in 0..<k { normI2 += wi[c] * wi[c] }
                    let normI = normI2.squareRoot()
                    // ½ f(w_i, w_i) = ‖w_i‖²/4, gradient w_i/2.
                    studentTerms += 0.25 * normI2
                    if let gradient { for c in 0..<k { gradient[i * k + c] += 0.5 * wi[c] } }
                    // Σ_{j>i} f(w_i, w_j): each unordered pair once, both gradients.
                    for j in (i + 1)..<n {
                        let wj = UnsafeBufferPointer(rebasing: w[(j * k)..<((j + 1) * k)])
                        var normJ2 = 0.0, dot = 0.0
                        for c in 0..<k {
                            normJ2 += wj[c] * wj[c]
                            dot += wi[c] * wj[c]
                        }
                        let normJ = normJ2.squareRoot()
                        let pair = Angle(dot: dot, norm1: normI, norm2: normJ)
                        studentTerms += normI * normJ * pair.shape * inverse2Pi
                        if let gradient {
                            pair.accumulateGradient(into: gradient, offset: i * k, this: wi, thisNorm: normI,
                                                    other: wj, otherNorm: normJ, scale: inverse2Pi)
                            pair.accumulateGradient(into: gradient, offset: j * k, this: wj, thisNorm: normJ,
                                                    other: wi, otherNorm: normI, scale: inverse2Pi)
                        }
                    }
                    // −Σ_j f(w_i, v_j).
                    for j in 0..<k {
                        let vj = UnsafeBufferPointer(rebasing: v[(j * k)..<((j + 1) * k)])
                        var dot = 0.0
                        for c in 0..<k { dot += wi[c] * vj[c] }
                        let pair = Angle(dot: dot, norm1: normI, norm2: vNorms[j])
                        crossTerms += normI * vNorms[j] * pair.shape * inverse2Pi
                        if let gradient {
                            pair.accumulateGradient(into: gradient, offset: i * k, this: wi, thisNorm: normI,
                                                    other: vj, otherNorm: vNorms[j], scale: -inverse2Pi)
                        }
                    }
                }
                return absolute ? studentTerms + crossTerms + teacherSelfTerm
                                : studentTerms - crossTerms + teacherSelfTerm
            }
        }
    }

    /// The angle between two vectors, as the kernel needs it.
    @usableFromInline
    struct Angle {
        /// π − θ.
        @usableFromInline var piMinusTheta: Double
        @usableFromInline var sine: Double
        @usableFromInline var cosine: Double
        /// Whether either vector is 0 (θ undefined; f = 0).
        @usableFromInline var degenerate: Bool

        @inlinable @inline(__always)
        init(dot: Double, norm1: Double, norm2: Double) {
            let product = norm1 * norm2
            if product > 0 {
                // Rounding can push |cos θ| past 1 for (anti)parallel vectors.
                let c = Swift.min(1, Swift.max(-1, dot / product))
                cosine = c
                sine = Swift.max(0, 1 - c * c).squareRoot()
                piMinusTheta = Double.pi - acos(c)
                degenerate = false
            } else {
                // θ := π/2 for a zero vector: the convention of the type's comment.
                cosine = 0
                sine = 1
                piMinusTheta = Double.pi / 2
                degenerate = true
            }
        }

        /// sin θ + (π − θ) cos θ: f(w, v) = ‖w‖‖v‖·shape/(2π).
        @inlinable var shape: Double { degenerate ? 0 : sine + piMinusTheta * cosine }

        /// gradient[offset + c] += scale·(‖other‖ sin θ · this_c/‖this‖ + (π − θ) other_c); for
        /// this = 0 the first term is dropped, which gives other/4 (θ := π/2).
        @inlinable @inline(__always)
        func accumulateGradient(into gradient: UnsafeMutableBufferPointer<Double>, offset: Int,
                                this: UnsafeBufferPointer<Double>, thisNorm: Double,
                                other: UnsafeBufferPointer<Double>, otherNorm: Double, scale: Double) {
            let radial = thisNorm > 0 ? scale * otherNorm * sine / thisNorm : 0
            let along = scale * piMinusTheta
            for c in 0..<this.count {
                gradient[offset + c] += radial * this[c] + along * other[c]
            }
        }
    }

    static func norm(_ rows: [Double], row: Int, width: Int) -> Double {
        var s = 0.0
        for c in 0..<width { s += rows[row * width + c] * rows[row * width + c] }
        return s.squareRoot()
    }

    /// f(a_row, b_row) for rows of two row-major matrices of the given width.
    static func kernel(_ a: [Double], row i: Int, norm normA: Double, _ b: [Double], row j: Int, norm normB: Double,
                       width: Int) -> Double {
        var dot = 0.0
        for c in 0..<width { dot += a[i * width + c] * b[j * width + c] }
        return normA * normB * Angle(dot: dot, norm1: normA, norm2: normB).shape / (2 * Double.pi)
    }
}

private typealias Key = TeacherStudent.Key

extension TeacherStudent {
    /// The family's parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let teacherUnits = Parameter<Int>("teacher-units", default: 6, in: 1...100,
            "k, the teacher's units and the input dimension (6: the smallest k = n where Safran & Shamir 2018 found spurious minima)")
        public static let studentUnits = Parameter<Int>("student-units", default: 6, in: 1...200,
            "n ≥ k, the student's units (6: n = k, the paper's main setting; n > k over-parameterizes)")
        public static let bound = Parameter<Double>("bound", default: 5, in: 1...1e3,
            "B, the box [−B, B] on every weight (5: five times a teacher weight's scale; Xavier starts lie well inside)")
    }
}

extension LandscapeFamily {
    public static let teacherStudent: LandscapeFamily = {
        var family = LandscapeFamily(
            name: "teacher-student",
            summary: "population loss of a two-layer ReLU student (n units) learning a teacher V (k units), x ~ N(0, I_k), "
                + "closed form (Safran & Shamir 2018); d = n·k; f* = 0 planted at W = V; n·(n + k)·k ≤ 100000",
            parameters: [
                Key.teacherUnits.spec,
                Key.studentUnits.spec,
                Key.bound.spec,
            ],
            defaultDimension: 36, dimensions: 1...20_000,
            // Success: F < 1e-3, the paper's threshold between global and spurious end points
            // (its spurious minima have F ≳ 0.01).
            tolerances: Tolerances(success: 1e-3), optimumStatus: .planted
        ) { request in
            let p = request.parameters
            let k = p[Key.teacherUnits], n = p[Key.studentUnits]
            guard n >= k else {
                throw LandscapeError.invalidParameters(
                    family: "teacher-student", reason: "student-units \(n) is below teacher-units \(k); the student needs n ≥ k units")
            }
            guard n * (n + k) * k <= TeacherStudentRules.maximumWork else {
                throw LandscapeError.invalidParameters(
                    family: "teacher-student", reason: "student-units × (student-units + teacher-units) × teacher-units = "
                        + "\(n) × \(n + k) × \(k) is above the limit of \(TeacherStudentRules.maximumWork)")
            }
            return TeacherStudent(teacherUnits: k, studentUnits: n,
                                  teacher: TeacherStudent.teacher(units: k, instance: request.instance, seed: request.seed),
                                  bound: p[Key.bound])
        }
        family.impliedDimension = TeacherStudentRules.dimension
        family.initialization = TeacherStudentRules.xavier
        return family
    }()
}

enum TeacherStudentRules {
    /// The most work one evaluation may cost: n·(n + k)·k ≤ 10⁵ (k = n = 36 is 93 312; the
    /// suite's largest, k = n = 10, is 2000). Past it a run of a few hundred evaluations per
    /// optimizer no longer finishes in seconds.
    static let maximumWork = 100_000

    /// d = n·k.
    @Sendable static func dimension(_ p: ParameterValues) -> (value: Int, rule: String) {
        let k = p[Key.teacherUnits], n = p[Key.studentUnits]
        return (n * k, "n·k = \(n)·\(k)")
    }

    /// Xavier initialization as the paper uses it: every weight N(0, 1/k) (fan-in k), kept in the box.
    @Sendable static func xavier(_ dimension: Int, _ p: ParameterValues, _ rng: inout Xoshiro256) -> [Double] {
        let k = p[Key.teacherUnits], bound = p[Key.bound]
        let sigma = 1 / Double(k).squareRoot()
        return (0..<dimension).map { _ in min(max(sigma * rng.nextGaussian(), -bound), bound) }
    }
}
