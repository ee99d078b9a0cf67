import CGSL

/// What GSL's multidimensional minimizers see: f, and for the gradient methods ∇f.
///
/// Subclasses override `value` (and `valueAndGradient` for BFGS); every call is one of GSL's
/// function calls, so a subclass that counts there counts exactly what the minimizer asks for
/// (GSL itself counts nothing). `shouldStop` ends the run after the current iteration.
open class MultiminProblem {
    public let dimension: Int

    public init(dimension: Int) {
        precondition(dimension >= 1, "a multimin problem needs at least one coordinate")
        self.dimension = dimension
    }

    /// f(x). `x` is valid only during the call.
    open func value(_ x: UnsafeBufferPointer<Double>) -> Double {
        fatalError("MultiminProblem.value must be overridden")
    }

    /// f(x), writing ∇f(x) into `gradient`.
    open func valueAndGradient(_ x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        fatalError("MultiminProblem.valueAndGradient must be overridden")
    }

    /// Checked after every iteration (for example: the budget is spent).
    open var shouldStop: Bool { false }
}

/// Why a local minimization returned.
public enum LocalStop: Sendable, Equatable {
    /// The gradient (BFGS) or the simplex size (Nelder–Mead) fell below its tolerance.
    case converged
    /// GSL returned `GSL_ENOPROG`: no further progress possible, which near a minimum means the
    /// iterates reached rounding noise (convergence for this purpose).
    case noProgress
    /// `shouldStop` turned true.
    case stopped
    case iterationLimit
    /// GSL reported another error (its code), e.g. a non-finite value at the start.
    case failed(Int32)
}

/// The end of one local minimization: GSL's current iterate and its value.
public struct LocalMinimum: Sendable {
    public var x: [Double]
    public var value: Double
    public var iterations: Int
    public var stop: LocalStop
}

extension GSL {
    /// BFGS with GSL's `vector_bfgs2` (Fletcher's line search, Fletcher 1987, §2.6), from `start`.
    ///
    /// - Parameters:
    ///   - initialStep: the length of the first trial step.
    ///   - lineTolerance: the line search's accuracy parameter (GSL recommends 0.1 for bfgs2).
    ///   - gradientTolerance: converged when ‖∇f‖ (each |∂f/∂x_i| summed in quadrature) < this
    ///     (`gsl_multimin_test_gradient`).
    public static func bfgs(_ problem: MultiminProblem, from start: [Double], initialStep: Double,
                            lineTolerance: Double, gradientTolerance: Double, maxIterations: Int) -> LocalMinimum {
        disableAbortOnError()
        let n = problem.dimension
        let x0 = vector(start)
        defer { gsl_vector_free(x0) }
        guard let s = gsl_multimin_fdfminimizer_alloc(tb_multimin_bfgs2(), n) else {
            fatalError("gsl_multimin_fdfminimizer_alloc failed (out of memory)")
        }
        defer { gsl_multimin_fdfminimizer_free(s) }
        return withExtendedLifetime(problem) {
            var function = gsl_multimin_function_fdf(
                f: multiminValue, df: multiminGradient, fdf: multiminValueAndGradient, n: n,
                params: Unmanaged.passUnretained(problem).toOpaque())
            let status = gsl_multimin_fdfminimizer_set(s, &function, x0, initialStep, lineTolerance)
            guard status == Int32(GSL_SUCCESS) else {
                return LocalMinimum(x: start, value: .nan, iterations: 0, stop: .failed(status))
            }
            var iterations = 0
            var stop = LocalStop.iterationLimit
            while iterations < maxIterations {
                if gsl_multimin_test_gradient(gsl_multimin_fdfminimizer_gradient(s), gradientTolerance) == Int32(GSL_SUCCESS) {
                    stop = .converged
                    break
                }
                if problem.shouldStop { stop = .stopped; break }
                let status = gsl_multimin_fdfminimizer_iterate(s)
                iterations += 1
                if status == Int32(GSL_ENOPROG) { stop = .noProgress; break }
                if status != Int32(GSL_SUCCESS) { stop = .failed(status); break }
            }
            if problem.shouldStop && stop != .converged { stop = .stopped }
            return LocalMinimum(x: array(gsl_multimin_fdfminimizer_x(s)), value: gsl_multimin_fdfminimizer_minimum(s),
                                iterations: iterations, stop: stop)
        }
    }

    /// Nelder–Mead with GSL's `nmsimplex2` (Nelder & Mead 1965; GSL's O(n)-per-iteration variant),
    /// from `start`, with an initial simplex of `stepSizes` along each axis.
    ///
    /// - Parameter sizeTolerance: converged when the simplex's size (mean distance from its
    ///   centre to its vertices, `gsl_multimin_fminimizer_size`) < this.
    public static func nelderMead(_ problem: MultiminProblem, from start: [Double], stepSizes: [Double],
                                  sizeTolerance: Double, maxIterations: Int) -> LocalMinimum {
        disableAbortOnError()
        let n = problem.dimension
        let x0 = vector(start), steps = vector(stepSizes)
        defer { gsl_vector_free(x0); gsl_vector_free(steps) }
        guard let s = gsl_multimin_fminimizer_alloc(tb_multimin_nmsimplex2(), n) else {
            fatalError("gsl_multimin_fminimizer_alloc failed (out of memory)")
        }
        defer { gsl_multimin_fminimizer_free(s) }
        return withExtendedLifetime(problem) {
            var function = gsl_multimin_function(f: multiminValue, n: n,
                                                 params: Unmanaged.passUnretained(problem).toOpaque())
            let status = gsl_multimin_fminimizer_set(s, &function, x0, steps)
            guard status == Int32(GSL_SUCCESS) else {
                return LocalMinimum(x: start, value: .nan, iterations: 0, stop: .failed(status))
            }
            var iterations = 0
            var stop = LocalStop.iterationLimit
            while iterations < maxIterations {
                if gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), sizeTolerance) == Int32(GSL_SUCCESS) {
                    stop = .converged
                    break
                }
                if problem.shouldStop { stop = .stopped; break }
                let status = gsl_multimin_fminimizer_iterate(s)
                iterations += 1
                if status == Int32(GSL_ENOPROG) { stop = .noProgress; break }
                if status != Int32(GSL_SUCCESS) { stop = .failed(status); break }
            }
            if problem.shouldStop && stop != .converged { stop = .stopped }
            return LocalMinimum(x: array(gsl_multimin_fminimizer_x(s)), value: gsl_multimin_fminimizer_minimum(s),
                                iterations: iterations, stop: stop)
        }
    }
}

private func vector(_ values: [Double]) -> UnsafeMutablePointer<gsl_vector> {
    guard let v = gsl_vector_alloc(values.count) else { fatalError("gsl_vector_alloc failed (out of memory)") }
    for (i, value) in values.enumerated() { gsl_vector_set(v, i, value) }
    return v
}

private func array(_ v: UnsafeMutablePointer<gsl_vector>?) -> [Double] {
    guard let v else { return [] }
    return (0..<v.pointee.size).map { gsl_vector_get(v, $0) }
}

/// GSL allocates the vectors it passes to callbacks itself, contiguous (stride 1).
@inline(__always)
private func buffer(_ v: UnsafePointer<gsl_vector>) -> UnsafeBufferPointer<Double> {
    precondition(v.pointee.stride == 1, "GSL passed a strided vector")
    return UnsafeBufferPointer(start: v.pointee.data, count: v.pointee.size)
}

@inline(__always)
private func mutableBuffer(_ v: UnsafeMutablePointer<gsl_vector>) -> UnsafeMutableBufferPointer<Double> {
    precondition(v.pointee.stride == 1, "GSL passed a strided vector")
    return UnsafeMutableBufferPointer(start: v.pointee.data, count: v.pointee.size)
}

@inline(__always)
private func problem(_ params: UnsafeMutableRawPointer?) -> MultiminProblem {
    Unmanaged<MultiminProblem>.fromOpaque(params!).takeUnretainedValue()
}

private func multiminValue(_ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?) -> Double {
    problem(params).value(buffer(x!))
}

private func multiminGradient(_ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?,
                              _ g: UnsafeMutablePointer<gsl_vector>?) {
    _ = problem(params).valueAndGradient(buffer(x!), gradient: mutableBuffer(g!))
}

private func multiminValueAndGradient(_ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?,
                                      _ f: UnsafeMutablePointer<Double>?, _ g: UnsafeMutablePointer<gsl_vector>?) {
    f!.pointee = problem(params).valueAndGradient(buffer(x!), gradient: mutableBuffer(g!))
}
