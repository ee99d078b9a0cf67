import Foundation
import Testing
import Landscapes

@Suite struct TeacherStudentTests {
    func make(k: Int, n: Int, instance: Int = 0, bound: Double = 5) -> TeacherStudent {
        TeacherStudent(teacherUnits: k, studentUnits: n,
                       teacher: TeacherStudent.teacher(units: k, instance: instance, seed: 0xBEEF), bound: bound)
    }

    /// Xavier-scale weights (entries N(0, 1/k)), as the `init` protocol draws them.
    func xavier(k: Int, n: Int, using rng: inout Xoshiro256) -> [Double] {
        (0..<(n * k)).map { _ in rng.nextGaussian() / Double(k).squareRoot() }
    }

    /// The closed form f(w, v) against a Monte Carlo mean of max(0, w·x)·max(0, v·x), x ~ N(0, I):
    /// 400,000 samples, tolerance 5 standard errors of the mean (estimated from the same sample),
    /// so a correct formula fails with probability below 1e-6.
    @Test func kernelMatchesMonteCarloExpectation() {
        let k = 3
        let w = [0.7, -0.2, 1.1], v = [0.3, 0.9, -0.4]
        var rng = Xoshiro256(seed: 11)
        var sum = 0.0, sum2 = 0.0
        let samples = 400_000
        for _ in 0..<samples {
            var a = 0.0, b = 0.0
            for c in 0..<k {
                let x = rng.nextGaussian()
                a += w[c] * x
                b += v[c] * x
            }
            let p = max(0, a) * max(0, b)
            sum += p
            sum2 += p * p
        }
        let mean = sum / Double(samples)
        let standardError = ((sum2 / Double(samples) - mean * mean) / Double(samples)).squareRoot()
        let nw = (w.map { $0 * $0 }.reduce(0, +)).squareRoot(), nv = (v.map { $0 * $0 }.reduce(0, +)).squareRoot()
        let cosine = zip(w, v).map { $0 * $1 }.reduce(0, +) / (nw * nv)
        let theta = acos(cosine)
        let closed = nw * nv * (sin(theta) + (Double.pi - theta) * cosine) / (2 * Double.pi)
        #expect(abs(mean - closed) <= 5 * standardError, "Monte Carlo \(mean) ± \(standardError), closed form \(closed)")
    }

    /// F = ½‖student − teacher‖² in L²(N(0, I)) is a squared norm: F ≥ 0 up to rounding
    /// (1e-12·(1 + Σ|terms|), the harness's own check) at Xavier points, at large random points
    /// of the box and at points near the teacher, for n = k and n > k, instances 0 and 1.
    @Test(arguments: [(3, 3), (4, 6), (6, 6)])
    func valueIsNeverNegative(k: Int, n: Int) {
        for instance in [0, 1] {
            let landscape = make(k: k, n: n, instance: instance)
            var rng = Xoshiro256(seed: 21 &+ UInt64(instance))
            for trial in 0..<300 {
                var x: [Double]
                switch trial % 3 {
                case 0: x = xavier(k: k, n: n, using: &rng)
                case 1: x = landscape.domain.uniformPoint(using: &rng)
                default:
                    x = landscape.optimum.points[0]
                    for i in 0..<x.count { x[i] += 1e-3 * rng.nextGaussian() }
                }
                let f = landscape.value(at: x)
                #expect(f >= -1e-12 * (1 + landscape.roundingScale(at: x)), "F = \(f) at \(x)")
            }
        }
    }

    /// F(V) = 0 and ∇F(V) = 0, for n = k (W = V) and n > k (W = [V; 0], the extra units at the
    /// origin, where the gradient convention ∂f(0, v)/∂w = v/4 makes the zero units' gradient
    /// ¼(Σ_j w_j − Σ_j v_j) = 0). Tolerances: rounding of sums of O(n·k) terms of size ≤ 1,
    /// 1e-12·(1 + Σ|terms|) for the value and 1e-13·n·k for each gradient coordinate.
    @Test(arguments: [(1, 1), (3, 3), (3, 5), (6, 6)])
    func valueAndGradientVanishAtTheTeacher(k: Int, n: Int) {
        for instance in [0, 1] {
            let landscape = make(k: k, n: n, instance: instance)
            let star = landscape.optimum.points[0]
            var g = [Double](repeating: .nan, count: star.count)
            let f = landscape.valueAndGradient(at: star, gradient: &g)
            #expect(abs(f) <= 1e-12 * (1 + landscape.roundingScale(at: star)))
            #expect(landscape.optimum.value == 0 && landscape.optimum.status == .planted)
            #expect(g.allSatisfy { abs($0) <= 1e-13 * Double(n * k) }, "∇F(V) = \(g)")
        }
    }

    /// The student is a sum over its units, so F is invariant under permuting them; equal up to
    /// the rounding of the reordered sums (1e-12·(1 + Σ|terms|)). The gradient permutes with them.
    @Test func valueIsInvariantUnderPermutingStudentUnits() {
        let k = 4, n = 6
        let landscape = make(k: k, n: n, instance: 1)
        var rng = Xoshiro256(seed: 31)
        for _ in 0..<20 {
            let x = xavier(k: k, n: n, using: &rng)
            var order = Array(0..<n)
            order.shuffle(using: &rng)
            let permuted = order.flatMap { unit in x[(unit * k)..<((unit + 1) * k)] }
            var g = [Double](repeating: 0, count: n * k), gp = g
            let f = landscape.valueAndGradient(at: x, gradient: &g)
            let fp = landscape.valueAndGradient(at: permuted, gradient: &gp)
            #expect(abs(f - fp) <= 1e-12 * (1 + landscape.roundingScale(at: x)))
            for (slot, unit) in order.enumerated() {
                for c in 0..<k { #expect(abs(gp[slot * k + c] - g[unit * k + c]) <= 1e-12 * (1 + abs(g[unit * k + c]))) }
            }
        }
    }

    /// ∇F against central differences where the formula has its edge cases: a unit parallel to
    /// a teacher unit (θ = 0), antiparallel (θ = π), two student units parallel to each other,
    /// and a unit of tiny norm (1e-4, still far from the kink at 0 compared with the step h).
    /// Error of the central difference with step h = 1e-6: truncation h²·|F'''|/6, with F''' of
    /// size ≲ 1/‖w‖² ≈ 1e8·… for the tiny unit, so that unit uses h = 1e-8 (rounding δ/h with
    /// δ ≈ 1e-16·Σ|terms| ≈ 1e-15 stays ≈ 1e-7); the tolerance 1e-6·(1 + |∂F|) covers both.
    @Test func gradientMatchesCentralDifferencesAtEdgeCases() {
        let k = 3, n = 4
        let landscape = make(k: k, n: n)
        var rng = Xoshiro256(seed: 41)
        var x = xavier(k: k, n: n, using: &rng)
        for c in 0..<k {
            x[0 * k + c] = 2 * landscape.teacher[0 * k + c]      // θ(w_0, v_0) = 0
            x[1 * k + c] = -0.5 * landscape.teacher[1 * k + c]   // θ(w_1, v_1) = π
            x[2 * k + c] = 3 * x[3 * k + c]                      // θ(w_2, w_3) = 0
        }
        var tiny = x
        for c in 0..<k { tiny[3 * k + c] = 1e-4 * x[3 * k + c] }
        for (point, h) in [(x, 1e-6), (tiny, 1e-8)] {
            var g = [Double](repeating: 0, count: n * k)
            _ = landscape.valueAndGradient(at: point, gradient: &g)
            for i in 0..<(n * k) {
                var plus = point, minus = point
                plus[i] += h
                minus[i] -= h
                let difference = (landscape.value(at: plus) - landscape.value(at: minus)) / (2 * h)
                #expect(abs(difference - g[i]) <= 1e-6 * (1 + abs(g[i])),
                        "∂F/∂x_\(i) = \(g[i]), central difference \(difference), h = \(h)")
            }
        }
    }

    /// At a zero unit F is continuous (the unit contributes nothing) and the gradient is the
    /// documented convention, ∂F/∂w_i = ¼(Σ_j w_j − Σ_j v_j) with the j = i term 0.
    @Test func zeroUnitHasValueLimitAndConventionalGradient() {
        let k = 3, n = 3
        let landscape = make(k: k, n: n)
        var rng = Xoshiro256(seed: 51)
        var x = xavier(k: k, n: n, using: &rng)
        for c in 0..<k { x[c] = 0 }
        var g = [Double](repeating: 0, count: n * k)
        let f = landscape.valueAndGradient(at: x, gradient: &g)
        var near = x
        for c in 0..<k { near[c] = 1e-9 * Double(c + 1) }
        // |F(near) − F(x)| ≤ ‖∇‖·‖near − x‖ with ‖∇‖ = O(n): 1e-7 is generous.
        #expect(abs(landscape.value(at: near) - f) <= 1e-7)
        for c in 0..<k {
            var expected = 0.0
            for j in 1..<n { expected += 0.25 * x[j * k + c] }
            for j in 0..<k { expected -= 0.25 * landscape.teacher[j * k + c] }
            #expect(abs(g[c] - expected) <= 1e-14 * Double(n + k))
        }
    }

    /// Instance 0 is V = I; other instances are orthogonal (V Vᵀ = I to rounding, 1e-14·k).
    @Test func teachersAreIdentityOrOrthogonal() {
        for k in [1, 4, 7] {
            let identity = TeacherStudent.teacher(units: k, instance: 0, seed: 1)
            for i in 0..<k { for j in 0..<k { #expect(identity[i * k + j] == (i == j ? 1 : 0)) } }
            let q = TeacherStudent.teacher(units: k, instance: 2, seed: 99)
            for i in 0..<k {
                for j in 0..<k {
                    var dot = 0.0
                    for c in 0..<k { dot += q[i * k + c] * q[j * k + c] }
                    #expect(abs(dot - (i == j ? 1 : 0)) <= 1e-14 * Double(k))
                }
            }
        }
    }

    /// The family's dimension is n·k: another --dimension is refused with the right value.
    @Test func dimensionOtherThanNTimesKIsRefusedWithTheRightValue() throws {
        let family = LandscapeFamily.teacherStudent
        let parameters = try ParameterValues(specs: family.parameters, overrides: ["teacher-units": "3", "student-units": "5"],
                                             owner: "teacher-student")
        #expect(family.impliedDimension?(parameters).value == 15)
        let error = #expect(throws: LandscapeError.self) {
            try family.continuousInstance(dimension: 9, instance: 0, parameters: parameters)
        }
        #expect(error?.description.contains("15") == true)
        #expect(try family.continuousInstance(dimension: 15, instance: 0, parameters: parameters).dimension == 15)
        let tooFew = try ParameterValues(specs: family.parameters, overrides: ["teacher-units": "4", "student-units": "3"],
                                         owner: "teacher-student")
        #expect(throws: LandscapeError.self) { try family.continuousInstance(dimension: 12, instance: 0, parameters: tooFew) }
    }

    /// Xavier initialization: entries N(0, 1/k). Over 20 draws of 36 entries (720 values) the
    /// sample variance's standard error is √(2/720)/k ≈ 0.053/k; 4 standard errors.
    @Test func initializationDrawsXavierWeights() throws {
        let family = LandscapeFamily.teacherStudent
        let parameters = ParameterValues(specs: family.parameters)
        let initialize = try #require(family.initialization)
        var rng = Xoshiro256(seed: 61)
        var values = [Double]()
        for _ in 0..<20 { values += initialize(36, parameters, &rng) }
        let variance = values.map { $0 * $0 }.reduce(0, +) / Double(values.count)
        #expect(abs(variance - 1.0 / 6) <= 4 * (2.0 / 720).squareRoot() / 6)
    }
}
