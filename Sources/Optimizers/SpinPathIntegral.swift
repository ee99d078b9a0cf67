import Foundation
import Landscapes

/// The P-slice classical model that discrete-time path-integral Monte Carlo samples for the
/// transverse-field Ising model H_q = H(σ^z) − Γ Σ_i σ^x_i at inverse temperature β:
///
///     W(σ) ∝ exp( −(β/P) Σ_k H(σ_k) + K⊥ Σ_{i,k} σ_{i,k} σ_{i,k+1} ),  K⊥ = −½ ln tanh(βΓ/P),
///
/// slices periodic in k (Suzuki 1976; Santoro et al., Science 295, 2427, 2002). K⊥ > 0 is a
/// ferromagnetic coupling between copies of a spin in neighbouring slices; the Trotter error of
/// diagonal observables is O((β/P)²).
///
/// Moves: a local flip of spin i in slice k changes −ln W by (β/P)·ΔE_k + 2K⊥ σ_{i,k}(σ_{i,k−1} +
/// σ_{i,k+1}); a global flip of spin i in every slice changes it by (β/P)·Σ_k ΔE_k (the K⊥ terms
/// cancel). Both are Metropolis-accepted. Layout is spin-major (index i·P + k), so a spin's P
/// copies and their fields share cache lines.
public final class PathIntegralChain {
    public let size: Int
    public let slices: Int
    let spins: UnsafeMutablePointer<Int8>
    let fields: UnsafeMutablePointer<Double>
    let energies: UnsafeMutablePointer<Double>
    let log: UnsafeMutablePointer<Int32>
    let table: UnsafeMutablePointer<UInt64>
    let graph: SpinGraph

    /// Every slice starts at `state` (DESIGN.md: slices start at the trial's start point).
    public init(_ graph: SpinGraph, slices: Int, state: [Int8]) {
        precondition(slices >= 2, "path integrals need at least 2 slices")
        self.graph = graph
        size = graph.size
        self.slices = slices
        spins = .allocate(capacity: size * slices)
        fields = .allocate(capacity: size * slices)
        energies = .allocate(capacity: slices)
        log = .allocate(capacity: 2 * size * slices)
        table = .allocate(capacity: 3 * (2 * graph.levels + 1))
        for i in 0..<size { for k in 0..<slices { spins[i * slices + k] = state[i] } }
        resync()
    }

    deinit {
        spins.deallocate(); fields.deallocate(); energies.deallocate(); log.deallocate(); table.deallocate()
    }

    /// σ_{i,k}.
    public func spin(_ i: Int, slice k: Int) -> Int8 { spins[i * slices + k] }
    /// H(σ_k), tracked incrementally.
    public func energy(slice k: Int) -> Double { energies[k] }
    public func state(slice k: Int) -> [Int8] { (0..<size).map { spins[$0 * slices + k] } }

    /// Recomputes every slice's local fields and energy from the spins.
    public func resync() {
        let h = graph.model.fields
        let p = slices
        for k in 0..<p { energies[k] = 0 }
        for i in 0..<size {
            for k in 0..<p {
                var f = h[i], pair = 0.0
                for e in Int(graph.rowStart[i])..<Int(graph.rowStart[i + 1]) {
                    let j = Int(graph.neighbors[e])
                    let term = graph.couplings[e] * Double(spins[j * p + k])
                    f += term
                    if j > i { pair += term }
                }
                fields[i * p + k] = f
                energies[k] -= Double(spins[i * p + k]) * (pair + h[i])
            }
        }
    }

    /// K⊥ = −½ ln tanh(βΓ/P).
    public static func trotterCoupling(beta: Double, gamma: Double, slices: Int) -> Double {
        -0.5 * Foundation.log(tanh(beta * gamma / Double(slices)))
    }

    /// One sweep over spins 0..<count (count ≤ N; less only when the budget ends mid-sweep): for
    /// each spin, P local moves (slices 0…P−1, cost 1 each), then, if `globalMoves`, one global
    /// move (cost P). Tracks the incumbent (the lowest classical energy of any slice) per flip and
    /// stores its configuration at most once, at the end.
    public func sweep(count: Int, beta: Double, gamma: Double, globalMoves: Bool,
                      rng: inout Xoshiro256, objective: inout SpinObjective) {
        if graph.unit != nil {
            sweep(count: count, beta: beta, gamma: gamma, globalMoves: globalMoves, tabulated: true, rng: &rng, objective: &objective)
        } else {
            sweep(count: count, beta: beta, gamma: gamma, globalMoves: globalMoves, tabulated: false, rng: &rng, objective: &objective)
        }
    }

    /// The attempts one spin costs per sweep.
    public func costPerSpin(globalMoves: Bool) -> Int { globalMoves ? 2 * slices : slices }

    @inline(__always)
    private func sweep(count: Int, beta: Double, gamma: Double, globalMoves: Bool, tabulated: Bool,
                       rng: inout Xoshiro256, objective: inout SpinObjective) {
        let p = slices
        let perSpin = costPerSpin(globalMoves: globalMoves)
        let base = objective.spent
        objective.charge(count * perSpin)
        let betaSlice2 = 2 * beta / Double(p)
        let twoK = 2 * PathIntegralChain.trotterCoupling(beta: beta, gamma: gamma, slices: p)
        // Table: index (m + M)·3 + (c/2 + 1), c = σ(σ_prev + σ_next) ∈ {−2, 0, 2}, ΔE = 2qm.
        let levels = graph.levels
        let inverseUnit = graph.unit.map { 1 / $0 } ?? 0
        let levelsPlusHalf = Double(levels) + 0.5
        if tabulated {
            let q = graph.unit!
            for m in -levels...levels {
                for c in 0..<3 {
                    let d = betaSlice2 * q * Double(m) + twoK * Double(2 * c - 2)
                    table[(m + levels) * 3 + c] = d <= 0 ? .max : probabilityThreshold(exp(-d))
                }
            }
        }
        let s = spins, f = fields, energy = energies, log = self.log, table = self.table
        let rowStart = graph.rowStart, neighbors = graph.neighbors, couplings = graph.couplings
        var best = objective.bestEnergy
        var bestSlice = -1
        var logCount = 0
        for i in 0..<count {
            let row = i &* p
            let lo = Int(rowStart[i]), hi = Int(rowStart[i &+ 1])
            for k in 0..<p {
                let idx = row &+ k
                let si = s[idx]
                let x = Double(si) * f[idx]
                let prev = s[row &+ (k == 0 ? p &- 1 : k &- 1)], next = s[row &+ (k == p &- 1 ? 0 : k &+ 1)]
                let c = Int(si) &* (Int(prev) &+ Int(next))
                if tabulated {
                    // Branch-free: the accept bit a ∈ {0, 1} scales the flip, so a rejected move
                    // writes the same values back (adding 0.0 is exact) and no unpredictable
                    // branch is taken per attempt.
                    // m + M = x/q + M rounded; x/q + M + ½ > 0, so truncation rounds it
                    // (one cvttsd2si; `rounded()` is a libm call on baseline x86-64).
                    let shifted = Int(x * inverseUnit + levelsPlusHalf)
                    let t = table[shifted &* 3 &+ (c >> 1) &+ 1]
                    let r = rng.next()
                    let a = (r < t ? 1 : 0) | (t == .max ? 1 : 0)
                    s[idx] = Int8(truncatingIfNeeded: Int(si) &* (1 &- 2 &* a))
                    let moved = Double(a) * 2 * x
                    energy[k] += moved
                    let twice = -2 * Double(si) * Double(a)
                    for e in lo..<hi { f[Int(neighbors[e]) &* p &+ k] += twice * couplings[e] }
                    log[logCount] = Int32(truncatingIfNeeded: idx)
                    logCount &+= a
                    if a == 0 { continue }
                } else {
                    let d = betaSlice2 * x + twoK * Double(c)
                    guard d <= 0 || (d < 745 && rng.nextUnit() < exp(-d)) else { continue }
                    s[idx] = 0 &- si
                    energy[k] += 2 * x
                    let twice = -2 * Double(si)
                    for e in lo..<hi { f[Int(neighbors[e]) &* p &+ k] += twice * couplings[e] }
                    log[logCount] = Int32(truncatingIfNeeded: idx)
                    logCount &+= 1
                }
                if energy[k] < best {
                    best = energy[k]
                    bestSlice = k
                    logCount = 0
                    objective.improve(best, spentAt: base &+ i &* perSpin &+ k &+ 1)
                }
            }
            guard globalMoves else { continue }
            var sum = 0.0
            for k in 0..<p { sum += Double(s[row &+ k]) * f[row &+ k] }
            let d = betaSlice2 * sum
            guard d <= 0 || (d < 745 && rng.nextUnit() < exp(-d)) else { continue }
            for k in 0..<p {
                let idx = row &+ k
                energy[k] += 2 * Double(s[idx]) * f[idx]
                s[idx] = 0 &- s[idx]
                log[logCount &+ k] = Int32(truncatingIfNeeded: idx)
            }
            logCount &+= p
            for e in lo..<hi {
                let j = Int(neighbors[e]) &* p
                let twiceJ = 2 * couplings[e]
                for k in 0..<p { f[j &+ k] += twiceJ * Double(s[row &+ k]) }
            }
            for k in 0..<p where energy[k] < best {
                best = energy[k]
                bestSlice = k
                // Flips of this global move in slices other than k do not concern slice k, and
                // slice k's own flip happened before the best moment: the log restarts empty.
                logCount = 0
                objective.improve(best, spentAt: base &+ (i &+ 1) &* perSpin)
            }
        }
        if bestSlice >= 0 {
            let kb = bestSlice, n = size
            objective.storeIncumbent { out in
                for i in 0..<n { out[i] = s[i &* p &+ kb] }
                for e in 0..<logCount {
                    let idx = Int(log[e])
                    if idx % p == kb { out[idx / p] = 0 &- out[idx / p] }
                }
            }
        }
    }
}
