import CGSL
import Foundation

/// A GSL random number generator (`gsl_rng`, Mersenne Twister MT19937), owned by a Swift value.
///
/// Seeded explicitly, so a run that derives the seed from its own stream is reproducible.
/// `gsl_rng_set` maps seed 0 to MT19937's default seed 4357, as GSL documents.
public final class GSLRandom {
    let rng: UnsafeMutablePointer<gsl_rng>

    public init(seed: UInt64) {
        guard let r = gsl_rng_alloc(tb_rng_mt19937()) else { fatalError("gsl_rng_alloc failed (out of memory)") }
        rng = r
        // `unsigned long` is 64 bits on the Linux targets this package supports.
        gsl_rng_set(r, UInt(truncatingIfNeeded: seed))
    }

    deinit { gsl_rng_free(rng) }

    /// Uniform in [0, 1) (`gsl_rng_uniform`).
    public func uniform() -> Double { gsl_rng_uniform(rng) }
}

/// Draws from the `gsl_rng` GSL hands to a step callback.
public struct SimanRandom {
    @usableFromInline let rng: UnsafePointer<gsl_rng>

    /// A standard normal deviate (`gsl_ran_gaussian_ziggurat`, Marsaglia & Tsang 2000: GSL's
    /// fastest Gaussian sampler).
    @inlinable
    public func gaussian() -> Double { gsl_ran_gaussian_ziggurat(rng, 1) }

    /// Uniform in [0, 1) (`gsl_rng_uniform`).
    @inlinable
    public func uniform() -> Double { gsl_rng_uniform(rng) }
}

/// What `GSL.simulatedAnnealing` minimizes: an energy over R^n and a random step.
///
/// Subclasses override `energy` and `step`; each call of `energy` is one of GSL's energy
/// evaluations, so a subclass that counts there counts exactly what `gsl_siman_solve` does.
open class SimanProblem {
    public let dimension: Int

    public init(dimension: Int) {
        precondition(dimension >= 1, "a siman problem needs at least one coordinate")
        self.dimension = dimension
    }

    /// E(x). `x` is valid only during the call.
    open func energy(_ x: UnsafeMutableBufferPointer<Double>) -> Double {
        fatalError("SimanProblem.energy must be overridden")
    }

    /// Moves `x` in place to a random neighbour, drawing from `random`.
    open func step(_ x: UnsafeMutableBufferPointer<Double>, stepSize: Double, random: SimanRandom) {
        fatalError("SimanProblem.step must be overridden")
    }
}

/// The parameters of `gsl_siman_solve` that it actually uses (it ignores `n_tries`).
public struct SimanSchedule: Sendable, Equatable {
    /// Moves per temperature level (`iters_fixed_T`).
    public var iterationsPerTemperature: Int
    /// Passed to the step callback (`step_size`).
    public var stepSize: Double
    /// Boltzmann constant k: a move up by ΔE is accepted with probability exp(−ΔE/(kT)).
    public var boltzmann: Double
    public var initialTemperature: Double
    /// Cooling factor: T ← T/μ after each level (`mu_t` > 1).
    public var cooling: Double
    public var minimumTemperature: Double

    public init(iterationsPerTemperature: Int, stepSize: Double, boltzmann: Double = 1,
                initialTemperature: Double, cooling: Double, minimumTemperature: Double) {
        self.iterationsPerTemperature = iterationsPerTemperature
        self.stepSize = stepSize
        self.boltzmann = boltzmann
        self.initialTemperature = initialTemperature
        self.cooling = cooling
        self.minimumTemperature = minimumTemperature
    }

    /// Temperature levels `gsl_siman_solve` runs: ⌊ln(t_initial/t_min)/ln(μ)⌋ + 1. Each level's
    /// loop runs before the test T/μ < t_min, so there is always at least one.
    ///
    /// GSL divides T by μ repeatedly; when t_initial/t_min is (to rounding) an exact power of μ,
    /// that product may land on either side of t_min and this count may be one off. `sized` keeps
    /// the ratio half a level away from such a boundary.
    public var levels: Int {
        let ratio = initialTemperature / minimumTemperature
        guard ratio > 1 else { return 1 }
        return Int((log(ratio) / log(cooling)).rounded(.down)) + 1
    }

    /// Energy evaluations `gsl_siman_solve` makes: one at the start, then iters_fixed_T per level.
    public var evaluations: Int { 1 + iterationsPerTemperature * levels }

    /// A schedule from t_initial to t_min whose evaluation count is at most `budget` (≥ 2):
    /// with n = iterationsPerTemperature (reduced to budget − 1 if needed), L = ⌊(budget − 1)/n⌋
    /// levels and μ = (t_initial/t_min)^{1/(L − ½)}, so that ln(t_initial/t_min)/ln(μ) = L − ½
    /// lies half a level from the rounding boundary and GSL runs exactly L levels.
    public static func sized(budget: Int, iterationsPerTemperature: Int, stepSize: Double,
                             initialTemperature: Double, minimumTemperature: Double) -> SimanSchedule {
        precondition(budget >= 2, "gsl_siman_solve needs at least two evaluations")
        precondition(initialTemperature > minimumTemperature && minimumTemperature > 0,
                     "the schedule needs t_initial > t_min > 0")
        let n = Swift.max(1, Swift.min(iterationsPerTemperature, budget - 1))
        let levels = (budget - 1) / n
        let cooling = exp(log(initialTemperature / minimumTemperature) / (Double(levels) - 0.5))
        return SimanSchedule(iterationsPerTemperature: n, stepSize: stepSize, initialTemperature: initialTemperature,
                             cooling: cooling, minimumTemperature: minimumTemperature)
    }
}

extension GSL {
    /// Runs `gsl_siman_solve` on `problem` from `start` and returns the best point it saw.
    ///
    /// Fixed-size mode: each configuration is one block `[context pointer | x0 … x(n−1)]` of
    /// 8(n + 1) bytes, which GSL copies with `memcpy`, so every copy carries the context pointer
    /// (`gsl_siman_solve` has no user-data argument) and no global or thread-local state is used.
    /// The print callback is nil (GSL would otherwise print to stdout) and GSL's abort-on-error
    /// handler is turned off first.
    ///
    /// - Complexity: `schedule.evaluations` calls of `problem.energy`.
    public static func simulatedAnnealing(_ problem: SimanProblem, from start: [Double],
                                          schedule: SimanSchedule, random: GSLRandom) -> [Double] {
        precondition(start.count == problem.dimension, "start has \(start.count) coordinates, the problem \(problem.dimension)")
        disableAbortOnError()
        let n = problem.dimension
        let size = MemoryLayout<UnsafeMutableRawPointer>.stride + n * MemoryLayout<Double>.stride
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<Double>.alignment)
        defer { block.deallocate() }
        return withExtendedLifetime(problem) {
            block.storeBytes(of: Unmanaged.passUnretained(problem).toOpaque(), as: UnsafeMutableRawPointer.self)
            let xs = coordinates(block, n)
            for i in 0..<n { xs[i] = start[i] }
            let params = gsl_siman_params_t(
                n_tries: 1, iters_fixed_T: Int32(schedule.iterationsPerTemperature), step_size: schedule.stepSize,
                k: schedule.boltzmann, t_initial: schedule.initialTemperature, mu_t: schedule.cooling,
                t_min: schedule.minimumTemperature)
            gsl_siman_solve(random.rng, block, simanEnergy, simanStep, simanMetric, nil, nil, nil, nil, size, params)
            return Array(coordinates(block, n))
        }
    }
}

@inline(__always)
private func coordinates(_ block: UnsafeMutableRawPointer, _ n: Int) -> UnsafeMutableBufferPointer<Double> {
    let first = (block + MemoryLayout<UnsafeMutableRawPointer>.stride).assumingMemoryBound(to: Double.self)
    return UnsafeMutableBufferPointer(start: first, count: n)
}

@inline(__always)
private func problem(of block: UnsafeMutableRawPointer) -> SimanProblem {
    Unmanaged<SimanProblem>.fromOpaque(block.load(as: UnsafeMutableRawPointer.self)).takeUnretainedValue()
}

private func simanEnergy(_ block: UnsafeMutableRawPointer?) -> Double {
    let block = block!
    let p = problem(of: block)
    return p.energy(coordinates(block, p.dimension))
}

private func simanStep(_ r: UnsafePointer<gsl_rng>?, _ block: UnsafeMutableRawPointer?, _ stepSize: Double) {
    let block = block!
    let p = problem(of: block)
    p.step(coordinates(block, p.dimension), stepSize: stepSize, random: SimanRandom(rng: r!))
}

/// Euclidean distance; `gsl_siman_solve` never calls it (it is for `gsl_siman_solve_many`), but the
/// argument must be a valid function.
private func simanMetric(_ a: UnsafeMutableRawPointer?, _ b: UnsafeMutableRawPointer?) -> Double {
    let p = problem(of: a!)
    let x = coordinates(a!, p.dimension), y = coordinates(b!, p.dimension)
    var s = 0.0
    for i in 0..<x.count { s += (x[i] - y[i]) * (x[i] - y[i]) }
    return s.squareRoot()
}
