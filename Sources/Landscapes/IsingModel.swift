/// A discrete landscape: N Ising spins s_i = ±1 with sparse couplings and fields.
///
/// Convention (used everywhere in TunnelBench):
///
///     H(s) = −Σ_{i<j} J_ij s_i s_j − Σ_i h_i s_i
///
/// so J_ij > 0 is ferromagnetic (aligned spins lower H) and h_i > 0 favours s_i = +1. The local
/// field of spin i is f_i = Σ_j J_ij s_j + h_i, and flipping spin i changes the energy by
/// ΔE_i = 2 s_i f_i (O(degree) given the cached f_i; O(1) to read).
///
/// Couplings are stored as compressed adjacency (CSR): the neighbours of i are
/// `neighbors[rowStart[i]..<rowStart[i+1]]` with couplings at the same positions; every edge is
/// stored twice (once from each end).
public struct IsingModel: Sendable {
    /// N, the number of spins.
    public let size: Int
    public let rowStart: [Int32]
    public let neighbors: [Int32]
    public let couplings: [Double]
    /// h_i.
    public let fields: [Double]
    /// The ground-state energy E* and its status (`exact` from enumeration or construction is
    /// reported as `planted`; a file's published value as `best-known`).
    public var optimum: KnownOptimum
    /// A ground state, when one is known (planted or published).
    public var groundState: [Int8]?
    /// Local minima known by construction that the `local-min` start uses instead of quenching
    /// uniform states (ferro-ring: every mixed state quenches to the ground state, so its trap is
    /// declared, not drawn). Empty for most families.
    public var declaredTraps: [[Int8]] = []

    /// Builds a model from an edge list (0-based, i ≠ j; repeated pairs are summed) and fields.
    /// - Complexity: O(N + E log E).
    public init(size: Int, edges: [(Int, Int, Double)], fields: [Double]? = nil,
                optimum: KnownOptimum = .unknown, groundState: [Int8]? = nil) throws {
        guard size >= 1 else { throw IsingModelError("an Ising model needs at least one spin") }
        var merged = [Int: Double]()  // key i*size+j with i<j
        var order = [Int]()
        for (a, b, j) in edges {
            guard a >= 0, b >= 0, a < size, b < size else {
                throw IsingModelError("coupling (\(a + 1), \(b + 1)) names a spin outside 1…\(size)")
            }
            guard a != b else { throw IsingModelError("coupling (\(a + 1), \(a + 1)) joins a spin to itself") }
            guard j.isFinite else { throw IsingModelError("coupling (\(a + 1), \(b + 1)) is not finite") }
            let key = min(a, b) * size + max(a, b)
            if merged[key] == nil { order.append(key) }
            merged[key, default: 0] += j
        }
        var degree = [Int](repeating: 0, count: size)
        for key in order where merged[key]! != 0 { degree[key / size] += 1; degree[key % size] += 1 }
        var start = [Int32](repeating: 0, count: size + 1)
        for i in 0..<size { start[i + 1] = start[i] + Int32(degree[i]) }
        var fill = start.map(Int.init)
        var nb = [Int32](repeating: 0, count: Int(start[size]))
        var cp = [Double](repeating: 0, count: Int(start[size]))
        for key in order.sorted() {
            let j = merged[key]!
            if j == 0 { continue }
            let a = key / size, b = key % size
            nb[fill[a]] = Int32(b); cp[fill[a]] = j; fill[a] += 1
            nb[fill[b]] = Int32(a); cp[fill[b]] = j; fill[b] += 1
        }
        let h = fields ?? [Double](repeating: 0, count: size)
        guard h.count == size, h.allSatisfy(\.isFinite) else {
            throw IsingModelError("fields must be \(size) finite numbers")
        }
        self.size = size
        self.rowStart = start
        self.neighbors = nb
        self.couplings = cp
        self.fields = h
        self.optimum = optimum
        self.groundState = groundState
    }

    /// Number of distinct couplings (edges).
    public var edgeCount: Int { neighbors.count / 2 }

    /// Every coupling once, as (i, j, J_ij) with i < j, 0-based.
    public var edges: [(Int, Int, Double)] {
        var out = [(Int, Int, Double)]()
        out.reserveCapacity(edgeCount)
        for i in 0..<size {
            for e in Int(rowStart[i])..<Int(rowStart[i + 1]) where Int(neighbors[e]) > i {
                out.append((i, Int(neighbors[e]), couplings[e]))
            }
        }
        return out
    }

    /// H(s). - Complexity: O(N + E).
    public func energy(_ s: [Int8]) -> Double {
        precondition(s.count == size, "state has \(s.count) spins, the model \(size)")
        var e = 0.0
        for i in 0..<size {
            let si = Double(s[i])
            var pair = 0.0
            for k in Int(rowStart[i])..<Int(rowStart[i + 1]) where Int(neighbors[k]) > i {
                pair += couplings[k] * Double(s[Int(neighbors[k])])
            }
            e -= si * (pair + fields[i])
        }
        return e
    }

    /// f_i = Σ_j J_ij s_j + h_i.
    public func localField(_ i: Int, _ s: [Int8]) -> Double {
        var f = fields[i]
        for k in Int(rowStart[i])..<Int(rowStart[i + 1]) { f += couplings[k] * Double(s[Int(neighbors[k])]) }
        return f
    }

    /// ΔE of flipping spin i: H(s with s_i → −s_i) − H(s) = 2 s_i f_i.
    public func flipEnergy(_ i: Int, _ s: [Int8]) -> Double { 2 * Double(s[i]) * localField(i, s) }

    /// Σ|J_ij| + Σ|h_i|: the scale of H's rounding error (the harness re-checks each incumbent
    /// against 1e-12·(1 + this)).
    public var roundingScale: Double {
        couplings.reduce(0) { $0 + abs($1) } / 2 + fields.reduce(0) { $0 + abs($1) }
    }

    /// The largest possible |ΔE| of a single flip: max_i 2(|h_i| + Σ_j |J_ij|).
    public var maxFlipEnergy: Double {
        var best = 0.0
        for i in 0..<size {
            var a = abs(fields[i])
            for k in Int(rowStart[i])..<Int(rowStart[i + 1]) { a += abs(couplings[k]) }
            best = max(best, 2 * a)
        }
        return best
    }

    /// A small but typical nonzero |ΔE|: 2·max(c_min, c_med/10), where c_min and c_med are the
    /// smallest and the median nonzero |J_ij|, |h_i|. For ±J, ±1/√N and weak–strong models this
    /// is 2·c_min, the smallest nonzero flip cost; for continuous couplings (where c_min can be
    /// arbitrarily close to 0 and would give a useless cold temperature) it is floored at a tenth
    /// of the median coupling.
    public var smallFlipEnergy: Double {
        var magnitudes = couplings.map(abs).filter { $0 > 0 } + fields.map(abs).filter { $0 > 0 }
        guard !magnitudes.isEmpty else { return 2 }
        magnitudes.sort()
        return 2 * max(magnitudes[0], magnitudes[magnitudes.count / 2] / 10)
    }

    /// The default inverse-temperature range of the thermal samplers, the rule dwave-samplers
    /// documents for its simulated annealing: hot β = ln 2 / maxΔE (the worst flip is accepted
    /// with probability ½), cold β = ln 100 / ΔE_small (a small uphill flip is accepted with
    /// probability 1%), ΔE_small as `smallFlipEnergy` defines it.
    public var defaultBetaRange: (hot: Double, cold: Double) {
        let maxE = maxFlipEnergy
        return (maxE > 0 ? 0.6931471805599453 / maxE : 1, 4.605170185988092 / smallFlipEnergy)
    }

    /// q > 0 such that every J_ij and h_i is an integer multiple of q (to 1e-9 relative), and
    /// every |ΔE|/(2q) is at most `maxLevels`; `nil` otherwise. When present, ΔE takes only the
    /// values 2qm, m ∈ [−M, M], and Metropolis acceptance can be read from a table.
    public func energyUnit(maxLevels: Int = 4096) -> Double? {
        let values = couplings.map(abs).filter { $0 > 0 } + fields.map(abs).filter { $0 > 0 }
        guard let q = values.min() else { return nil }
        for v in values {
            let m = v / q
            if abs(m - m.rounded()) > 1e-9 * m { return nil }
        }
        return maxFlipEnergy / (2 * q) <= Double(maxLevels) ? q : nil
    }

    /// A uniform random state.
    public func randomState(using rng: inout some RandomNumberGenerator) -> [Int8] {
        var s = [Int8](repeating: 1, count: size)
        var bits: UInt64 = 0
        for i in 0..<size {
            if i % 64 == 0 { bits = rng.next() }
            s[i] = (bits & 1) == 0 ? -1 : 1
            bits >>= 1
        }
        return s
    }

    /// The reference quench (docs/DESIGN.md, "trap"): greedy single-flip descent in the fixed order
    /// 0, 1, …, N−1, repeated until a full pass flips nothing. A spin flips only when ΔE < 0, so
    /// the end state is a local minimum in the single-flip sense (no flip lowers H; flips with
    /// ΔE = 0 are not taken). Returns the end state and its energy, recomputed from scratch.
    /// - Complexity: O(degree) per attempt; terminates because H strictly decreases.
    public func quench(_ start: [Int8]) -> (state: [Int8], energy: Double) {
        var s = start
        var f = (0..<size).map { localField($0, s) }
        // A flip must lower H by more than rounding noise to count (continuous couplings).
        let noise = 1e-12 * (1 + maxFlipEnergy)
        var changed = true
        while changed {
            changed = false
            for i in 0..<size where 2 * Double(s[i]) * f[i] < -noise {
                s[i] = -s[i]
                let twice = 2 * Double(s[i])
                for k in Int(rowStart[i])..<Int(rowStart[i + 1]) { f[Int(neighbors[k])] += twice * couplings[k] }
                changed = true
            }
        }
        return (s, energy(s))
    }

    /// Whether no single flip lowers H by more than rounding noise.
    public func isLocalMinimum(_ s: [Int8]) -> Bool {
        let noise = 1e-12 * (1 + maxFlipEnergy)
        return (0..<size).allSatisfy { flipEnergy($0, s) >= -noise }
    }
}

/// A malformed model or instance file.
public struct IsingModelError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
