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
    /// Per slice, the change of spin i's value in the row being swept (0 or ∓2), applied to the
    /// neighbours' fields once the row is done.
    let moved: UnsafeMutablePointer<Double>
    let graph: SpinGraph

    /// Every slice starts at `state` (docs/DESIGN.md: slices start at the trial's start point).
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
        moved = .allocate(capacity: slices)
        for i in 0..<size { for k in 0..<slices { spins[i * slices + k] = state[i] } }
        resync()
    }

    deinit {
        spins.deallocate(); fields.deallocate(); energies.deallocate(); log.deallocate(); table.deallocate(); moved.deallocate()
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

    /// K⊥ = −½ ln tanh(βΓ/P), capped at `lockedCoupling`.
    ///
    /// As Γ → 0, K⊥ → ∞: the slices lock together. When βΓ/P underflows to 0 (Γ = 0, or Γ below
    /// ~2.5e-324·P/β) the formula gives K⊥ = ∞, and a move with σ(σ_prev + σ_next) = 0 (one
    /// neighbour aligned, one not: a domain wall in imaginary time moving by one slice) would
    /// compute ∞·0 = NaN and be rejected, though its K⊥ terms cancel. The cap keeps the limit's
    /// behaviour instead: K⊥ = 1e300 makes 2K⊥·σ(σ_prev + σ_next) = ±4e300 or exactly 0, so a move
    /// that breaks alignment with both neighbours is never accepted, one that heals two walls
    /// always is, and a wall moves on the classical energy alone, as at K⊥ = ∞ (for any energy
    /// change below 1e299). Positive βΓ/P never reaches the cap (the largest finite value is
    /// ≈ 372, at the smallest subnormal), so only the underflowed limit changes.
    public static func trotterCoupling(beta: Double, gamma: Double, slices: Int) -> Double {
        precondition(beta > 0 && gamma >= 0, "the Trotter coupling needs β > 0 and Γ ≥ 0")
        return Swift.min(-0.5 * Foundation.log(tanh(beta * gamma / Double(slices))), lockedCoupling)
    }

    /// K⊥ of the Γ → 0 limit (slices locked together), finite so that 0·K⊥ = 0.
    public static let lockedCoupling = 1e300

    /// One sweep over spins 0..<count (count ≤ N; less only when the budget ends mid-sweep): for
    /// each spin, P local moves (slices 0…P−1, cost 1 each), then, if `globalMoves`, one global
    /// move (cost P). Tracks the incumbent (the lowest classical energy of any slice) per flip and
    /// stores its configuration at most once, at the end.
    public func sweep(count: Int, beta: Double, gamma: Double, globalMoves: Bool,
                      rng: inout Xoshiro256, objective: inout SpinObjective) {
        if graph.unit != nil {
            sweep(TabulatedMoves.self, count: count, beta: beta, gamma: gamma, globalMoves: globalMoves, rng: &rng, objective: &objective)
        } else {
            sweep(ComputedMoves.self, count: count, beta: beta, gamma: gamma, globalMoves: globalMoves, rng: &rng, objective: &objective)
        }
    }

    /// The attempts one spin costs per sweep.
    public func costPerSpin(globalMoves: Bool) -> Int { globalMoves ? 2 * slices : slices }

    /// A sweep cut to `attempts` flip attempts (at most N·`costPerSpin`), spent exactly: the
    /// spins that fit whole run as in `sweep(count:…)`; the r < `costPerSpin` attempts left make
    /// the next moves in sweep order that still fit (local moves cost 1, so every attempt is
    /// used): spin i's local moves in slices 0, 1, …; its global move, costing P, never fits in
    /// r < 2P once its P local moves are made, so the rest are spin i + 1's local moves (spin 0
    /// after spin N − 1).
    public func sweep(attempts: Int, beta: Double, gamma: Double, globalMoves: Bool,
                      rng: inout Xoshiro256, objective: inout SpinObjective) {
        let perSpin = costPerSpin(globalMoves: globalMoves)
        precondition(attempts >= 0 && attempts <= size * perSpin, "a sweep has at most N·\(perSpin) attempts, not \(attempts)")
        let whole = attempts / perSpin
        if whole > 0 {
            sweep(count: whole, beta: beta, gamma: gamma, globalMoves: globalMoves, rng: &rng, objective: &objective)
        }
        let rest = attempts - whole * perSpin
        if rest > 0 {
            partialRow(from: whole % size, attempts: rest, beta: beta, gamma: gamma, rng: &rng, objective: &objective)
        }
    }

    /// `attempts` (< 2P) local moves, one at a time, from spin `first`'s slice 0 on, continuing
    /// with the next spin's slices. Once per trial at most, so plain code: each move updates the
    /// fields and energy at once and a new incumbent is stored at once. Acceptance is computed
    /// (exp per attempt) for every model, the exact Metropolis probability that the table
    /// reproduces to 2^−64.
    private func partialRow(from first: Int, attempts: Int, beta: Double, gamma: Double,
                            rng: inout Xoshiro256, objective: inout SpinObjective) {
        let p = slices
        let base = objective.spent
        objective.charge(attempts)
        let betaSlice2 = 2 * beta / Double(p)
        let twoK = 2 * PathIntegralChain.trotterCoupling(beta: beta, gamma: gamma, slices: p)
        for a in 0..<attempts {
            #if DEBUG
            objective.tally?.localMoves += 1
            #endif
            let i = (first + a / p) % size, k = a % p
            let row = i * p
            let idx = row + k
            let si = spins[idx]
            let prev = Int(spins[row + (k + p - 1) % p]), next = Int(spins[row + (k + 1) % p])
            let x = Double(si) * fields[idx]
            let d = betaSlice2 * x + twoK * Double(Int(si) * (prev + next))
            guard d <= 0 || (d < 745 && rng.nextUnit() < exp(-d)) else { continue }
            spins[idx] = 0 &- si
            energies[k] += 2 * x
            let change = -2 * Double(si)
            for e in Int(graph.rowStart[i])..<Int(graph.rowStart[i + 1]) {
                fields[Int(graph.neighbors[e]) * p + k] += change * graph.couplings[e]
            }
            if energies[k] < objective.bestEnergy {
                objective.improve(energies[k], spentAt: base + a + 1)
                let n = size
                objective.storeIncumbent { out in for j in 0..<n { out[j] = self.spins[j * p + k] } }
            }
        }
    }

    /// Generic over the acceptance kind so that each kind gets its own specialized loop (a
    /// runtime flag stayed in the loop and cost registers).
    private func sweep<Moves: SliceMoveKind>(_: Moves.Type, count: Int, beta: Double, gamma: Double, globalMoves: Bool,
                                             rng sharedRNG: inout Xoshiro256, objective: inout SpinObjective) {
        let tabulated = Moves.tabulated
        // A local copy of the generator can live in registers through the sweep; written back
        // at the end (the same stream as drawing from `sharedRNG` directly).
        var rng = sharedRNG
        defer { sharedRNG = rng }
        let p = slices
        let perSpin = costPerSpin(globalMoves: globalMoves)
        let base = objective.spent
        objective.charge(count * perSpin)
        let betaSlice2 = 2 * beta / Double(p)
        let twoK = 2 * PathIntegralChain.trotterCoupling(beta: beta, gamma: gamma, slices: p)
        // Table: index (m + M)·3 + (c/2 + 1), c = σ(σ_prev + σ_next) ∈ {−2, 0, 2}, ΔE = 2qm.
        let levels = graph.levels
        let inverseUnit = graph.unit.map { 1 / $0 } ?? 0
        // x/q + M is within rounding of an integer in 0…2M; adding 2^52 rounds it to that
        // integer, which then sits in the low mantissa bits (no checked Double → Int conversion).
        let magic = 0x1p52 + Double(levels)
        let magicBits = Int(truncatingIfNeeded: (0x1p52 as Double).bitPattern)
        if tabulated {
            // Entries are t − 1 for the threshold t = ⌊p·2^64⌋ of `probabilityThreshold`, and the
            // move is accepted when r ≤ t − 1, i.e. r < t: the same decision from the same draw.
            // t = UInt64.max (p = 1) stays, accepting every r; t = 0 (p < 2^−64, ΔE/T above ~44)
            // stays 0, accepting r = 0 alone: probability 2^−64 in place of p, the one change.
            let q = graph.unit!
            for m in -levels...levels {
                for c in 0..<3 {
                    let d = betaSlice2 * q * Double(m) + twoK * Double(2 * c - 2)
                    let t = d <= 0 ? UInt64.max : probabilityThreshold(exp(-d))
                    table[(m + levels) * 3 + c] = t == .max || t == 0 ? t : t - 1
                }
            }
        }
        let s = spins, f = fields, energy = energies, log = self.log, table = self.table, moved = self.moved
        let rowStart = graph.rowStart, neighbors = graph.neighbors, couplings = graph.couplings
        var best = objective.bestEnergy
        var bestSlice = -1
        var logCount = 0
        #if DEBUG
        let tally = objective.tally
        #endif
        for i in 0..<count {
            let row = i &* p
            let lo = Int(rowStart[i]), hi = Int(rowStart[i &+ 1])
            // The P local moves of spin i read only spin i's own fields (no self-couplings), and
            // slice k's energy changes only by slice k's move. So the neighbours' fields and the
            // slices' energies take the row's changes at once after it, as contiguous runs of P
            // (vectorizable) instead of scattered per-attempt updates, and a row without a flip
            // skips them: the same chain and the same tracked values. The incumbent check follows
            // the attempts' order exactly (see below).
            var flips = 0
            // σ_{i,k−1} after its own move, carried in a register: the only serial dependency
            // from one slice's move to the next.
            var prev = Int(s[row &+ p &- 1])
            for k in 0..<p {
                #if DEBUG
                tally?.localMoves += 1
                #endif
                let idx = row &+ k
                let si = s[idx]
                let sInt = Int(si)
                // σ_{i,k+1} has not moved yet, except for k = P−1, whose next is slice 0 (moved).
                let next = k == p &- 1 ? Int(s[row]) : Int(s[idx &+ 1])
                if tabulated {
                    // Branch-free: the accept bit a ∈ {0, 1} decides the written values, so no
                    // unpredictable branch is taken per attempt.
                    // m + M = x/q + M rounded, x = σ·f.
                    let x = Double(si) * f[idx]
                    let shifted = Int(truncatingIfNeeded: (x * inverseUnit + magic).bitPattern) &- magicBits
                    // Column c/2 + 1 with c = σ(σ_prev + σ_next): the two candidates, for σ_prev = σ
                    // and σ_prev = −σ, are adjacent. Both decisions are made from the one draw r
                    // before σ_prev is known; σ_prev then picks one by a shift, so the serial
                    // dependency from slice to slice is a few ALU operations (written without
                    // selects: the compiler turned selects here into unpredictable branches).
                    let pair = table + (shifted &* 3 &+ ((sInt &* next &+ 1) >> 1))
                    let r = rng.next()
                    let both = (r <= pair[1] ? 1 : 0) | (r <= pair[0] ? 2 : 0)
                    let differ = ((prev ^ sInt) >> 1) & 1  // σ_prev = ±1, σ = ±1
                    let a = (both >> differ) & 1
                    let flipped = sInt ^ (0 &- (a &<< 1))  // −σ when a = 1
                    s[idx] = Int8(truncatingIfNeeded: flipped)
                    prev = flipped
                    moved[k] = Double(flipped &- sInt)  // −2σ or 0
                    flips |= a
                    log[logCount] = Int32(truncatingIfNeeded: idx)
                    logCount &+= a
                } else {
                    let x = Double(si) * f[idx]
                    let c = sInt &* (prev &+ next)
                    let d = betaSlice2 * x + twoK * Double(c)
                    guard d <= 0 || (d < 745 && rng.nextUnit() < exp(-d)) else { moved[k] = 0; prev = sInt; continue }
                    s[idx] = 0 &- si
                    prev = 0 &- sInt
                    moved[k] = -2 * Double(si)
                    flips = 1
                    log[logCount] = Int32(truncatingIfNeeded: idx)
                    logCount &+= 1
                }
            }
            if flips != 0 {
                // ΔH_k = 2σ f = −moved·f (0 for a rejected move; the sum is exact either way).
                let ownFields = f + row
                var improves = 0
                for k in 0..<p {
                    let e = energy[k] - moved[k] * ownFields[k]
                    energy[k] = e
                    improves |= (moved[k] != 0 ? 1 : 0) & (e < best ? 1 : 0)
                }
                if improves != 0 {
                    // Replay the row's attempts in order: an accepted move k whose slice energy
                    // is below the incumbent becomes it, and the log then holds only the row's
                    // later flips, exactly as per-attempt checks would leave it.
                    for k in 0..<p where moved[k] != 0 && energy[k] < best {
                        best = energy[k]
                        bestSlice = k
                        objective.improve(best, spentAt: base &+ i &* perSpin &+ k &+ 1)
                        logCount = 0
                        for later in (k &+ 1)..<p where moved[later] != 0 {
                            log[logCount] = Int32(truncatingIfNeeded: row &+ later)
                            logCount &+= 1
                        }
                    }
                }
                for e in lo..<hi {
                    let target = f + Int(neighbors[e]) &* p
                    let coupling = couplings[e]
                    for k in 0..<p { target[k] += moved[k] * coupling }
                }
            }
            guard globalMoves else { continue }
            #if DEBUG
            tally?.globalMoves += 1
            #endif
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

/// Which acceptance a sweep uses: the precomputed threshold table (every coefficient a multiple
/// of one unit) or exp per attempt.
private protocol SliceMoveKind { static var tabulated: Bool { get } }
private enum TabulatedMoves: SliceMoveKind { static var tabulated: Bool { true } }
private enum ComputedMoves: SliceMoveKind { static var tabulated: Bool { false } }
