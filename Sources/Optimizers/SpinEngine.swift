import Foundation
import Landscapes

/// The model's couplings in manually managed memory for the sweeps (no bounds checks, no
/// copy-on-write, no retain traffic in the inner loop). One per trial.
public final class SpinGraph {
    public let size: Int
    let rowStart: UnsafeMutablePointer<Int32>
    let neighbors: UnsafeMutablePointer<Int32>
    let couplings: UnsafeMutablePointer<Double>
    public let model: IsingModel
    /// q when every coefficient is an integer multiple of q (acceptance tables apply), else nil.
    public let unit: Double?
    /// max |ΔE| / (2q) when `unit` is set.
    public let levels: Int

    public init(_ model: IsingModel) {
        self.model = model
        size = model.size
        rowStart = .allocate(capacity: size + 1)
        neighbors = .allocate(capacity: max(1, model.neighbors.count))
        couplings = .allocate(capacity: max(1, model.couplings.count))
        for i in 0...size { rowStart[i] = model.rowStart[i] }
        for k in 0..<model.neighbors.count { neighbors[k] = model.neighbors[k]; couplings[k] = model.couplings[k] }
        let q = model.energyUnit()
        unit = q
        levels = q.map { Int((model.maxFlipEnergy / (2 * $0)).rounded()) } ?? 0
    }

    deinit {
        rowStart.deallocate()
        neighbors.deallocate()
        couplings.deallocate()
    }
}

/// One classical replica: spins, cached local fields f_i = Σ_j J_ij s_j + h_i, and its energy
/// tracked incrementally (resynchronized from scratch by `resync`).
public final class SpinChain {
    public let size: Int
    let spins: UnsafeMutablePointer<Int8>
    let fields: UnsafeMutablePointer<Double>
    public internal(set) var energy: Double

    public init(_ graph: SpinGraph, state: [Int8]) {
        size = graph.size
        spins = .allocate(capacity: size)
        fields = .allocate(capacity: size)
        energy = 0
        set(state, graph)
    }

    deinit {
        spins.deallocate()
        fields.deallocate()
    }

    public var state: [Int8] { (0..<size).map { spins[$0] } }

    /// Loads `state` and recomputes fields and energy exactly.
    public func set(_ state: [Int8], _ graph: SpinGraph) {
        for i in 0..<size { spins[i] = state[i] }
        resync(graph)
    }

    /// Recomputes every local field and the energy from the spins (removes rounding drift).
    public func resync(_ graph: SpinGraph) {
        let h = graph.model.fields
        var e = 0.0
        for i in 0..<size {
            var f = h[i], pair = 0.0
            for k in Int(graph.rowStart[i])..<Int(graph.rowStart[i + 1]) {
                let j = Int(graph.neighbors[k])
                let term = graph.couplings[k] * Double(spins[j])
                f += term
                if j > i { pair += term }
            }
            fields[i] = f
            e -= Double(spins[i]) * (pair + h[i])
        }
        energy = e
    }
}

/// How a single flip with half energy change x = ΔE/2 = s_i f_i is accepted.
public protocol FlipAcceptance {
    func accept(_ x: Double, _ rng: inout Xoshiro256) -> Bool
}

/// Metropolis at inverse temperature β: always when ΔE ≤ 0, else with probability e^{−βΔE},
/// computed per attempt (any couplings).
public struct ExpAcceptance: FlipAcceptance {
    @usableFromInline let twoBeta: Double
    public init(beta: Double) { twoBeta = 2 * beta }
    @inlinable @inline(__always)
    public func accept(_ x: Double, _ rng: inout Xoshiro256) -> Bool {
        if x <= 0 { return true }
        let a = twoBeta * x
        if a > 745 { return false }  // e^{−a} underflows to 0
        return rng.nextUnit() < exp(-a)
    }
}

/// Metropolis at inverse temperature β read from a table, for models whose coefficients are
/// integer multiples of q: ΔE = 2qm, and a 64-bit uniform below ⌊e^{−2βqm}·2^64⌋ accepts
/// (probability exact to 2^−64).
public struct TableAcceptance: FlipAcceptance {
    @usableFromInline let inverseUnit: Double
    @usableFromInline let thresholds: UnsafeMutablePointer<UInt64>

    /// `buffer` has at least levels + 1 entries and outlives the value.
    public init(beta: Double, graph: SpinGraph, buffer: UnsafeMutablePointer<UInt64>) {
        let q = graph.unit!
        inverseUnit = 1 / q
        thresholds = buffer
        buffer[0] = .max
        for m in 0..<(graph.levels + 1) where m > 0 { buffer[m] = probabilityThreshold(exp(-2 * beta * q * Double(m))) }
    }

    @inlinable @inline(__always)
    public func accept(_ x: Double, _ rng: inout Xoshiro256) -> Bool {
        if x <= 0 { return true }
        // x > 0 is a positive multiple of q: truncating x/q + ½ rounds it (one cvttsd2si;
        // `rounded()` is a libm call on baseline x86-64).
        return rng.next() < thresholds[Int(x * inverseUnit + 0.5)]
    }
}

/// ⌊p·2^64⌋ for p < 1 (UInt64.max for p ≥ 1): a uniform 64-bit word below it has probability p.
@inlinable
func probabilityThreshold(_ p: Double) -> UInt64 {
    if p >= 1 { return .max }
    if !(p > 0) { return 0 }
    return UInt64(p * 0x1p64)
}

/// Zero temperature, strict descent: flip only when ΔE < 0 beyond rounding noise.
public struct GreedyAcceptance: FlipAcceptance {
    @usableFromInline let noise: Double
    public init(graph: SpinGraph) { noise = 0.5e-12 * (1 + graph.model.maxFlipEnergy) }
    @inlinable @inline(__always)
    public func accept(_ x: Double, _ rng: inout Xoshiro256) -> Bool { x < -noise }
}

/// The single-replica sweep shared by `sa`, `pt` and `greedy-restarts`.
public enum SpinSweep {
    /// One pass over spins 0..<count (count ≤ N; less only when the budget ends mid-sweep):
    /// charges `count` attempts, flips per `acceptance`, reports every new incumbent energy with
    /// its exact attempt count, and stores the incumbent configuration once at the end if it
    /// improved (the current state with the flips made after the best moment undone, replayed
    /// from `log`, which has room for N entries). Returns the number of accepted flips.
    public static func sweep<A: FlipAcceptance>(
        _ chain: SpinChain, _ graph: SpinGraph, count: Int, acceptance: A, rng: inout Xoshiro256,
        objective: inout SpinObjective, log: UnsafeMutablePointer<Int32>
    ) -> Int {
        let base = objective.spent
        objective.charge(count)
        let s = chain.spins, f = chain.fields
        let rowStart = graph.rowStart, neighbors = graph.neighbors, couplings = graph.couplings
        var energy = chain.energy
        var best = objective.bestEnergy
        var improved = false
        var logCount = 0
        var accepted = 0
        #if DEBUG
        let tally = objective.tally
        #endif
        for i in 0..<count {
            #if DEBUG
            tally?.localMoves += 1
            #endif
            let si = s[i]
            let x = Double(si) * f[i]
            guard acceptance.accept(x, &rng) else { continue }
            s[i] = 0 &- si
            energy += 2 * x
            let twice = -2 * Double(si)
            for k in Int(rowStart[i])..<Int(rowStart[i &+ 1]) {
                f[Int(neighbors[k])] += twice * couplings[k]
            }
            accepted &+= 1
            log[logCount] = Int32(truncatingIfNeeded: i)
            logCount &+= 1
            if energy < best {
                best = energy
                improved = true
                logCount = 0
                objective.improve(energy, spentAt: base + i + 1)
            }
        }
        chain.energy = energy
        if improved {
            objective.storeIncumbent { out in
                for i in 0..<chain.size { out[i] = s[i] }
                for e in 0..<logCount { let i = Int(log[e]); out[i] = 0 &- out[i] }
            }
        }
        return accepted
    }

    /// Offers a chain's whole current state as a candidate incumbent (after a restart or a
    /// replica exchange moved it), at the current spent count.
    public static func offer(_ chain: SpinChain, objective: inout SpinObjective) {
        guard chain.energy < objective.bestEnergy else { return }
        objective.improve(chain.energy, spentAt: objective.spent)
        objective.storeIncumbent { out in for i in 0..<chain.size { out[i] = chain.spins[i] } }
    }
}

/// Recompute-from-scratch period of incrementally tracked fields and energies, in sweeps: keeps
/// rounding drift far below the escape margin at negligible cost (one O(E) pass per 64 sweeps).
public let spinResyncPeriod = 64
