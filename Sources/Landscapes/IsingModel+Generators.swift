import Foundation

/// Seeded generators of Ising instances. Every generator states its source and uses the
/// convention H(s) = −Σ_{i<j} J_ij s_i s_j − Σ_i h_i s_i (J > 0 ferromagnetic).
extension IsingModel {
    /// Sherrington–Kirkpatrick (Sherrington & Kirkpatrick, PRL 35, 1792, 1975): all N(N−1)/2
    /// pairs coupled, J_ij = ±1/√N (fair signs) or N(0, 1)/√N. No fields, E* unknown (the
    /// thermodynamic ground-state energy per spin is −0.7633 as N → ∞, Parisi).
    public static func sherringtonKirkpatrick(size n: Int, gaussian: Bool, seed: UInt64) throws -> IsingModel {
        var rng = Xoshiro256(seed: seed)
        let scale = 1 / Double(n).squareRoot()
        var edges = [(Int, Int, Double)]()
        edges.reserveCapacity(n * (n - 1) / 2)
        for i in 0..<n {
            for j in (i + 1)..<n {
                edges.append((i, j, scale * (gaussian ? rng.nextGaussian() : (rng.next() & 1 == 0 ? -1 : 1))))
            }
        }
        return try IsingModel(size: n, edges: edges)
    }

    /// Edwards–Anderson (Edwards & Anderson, J. Phys. F 5, 965, 1975) on a periodic L^dims
    /// hypercubic lattice (dims = 2 or 3): nearest-neighbour couplings ±1 (fair signs) or N(0, 1),
    /// no fields. L ≥ 3 so that periodic neighbours are distinct. Spin index: x + L·y + L²·z.
    public static func edwardsAnderson(side l: Int, dimensions dims: Int, gaussian: Bool, seed: UInt64) throws -> IsingModel {
        guard l >= 3 else { throw IsingModelError("a periodic lattice needs side ≥ 3, got \(l)") }
        var rng = Xoshiro256(seed: seed)
        let n = Int(pow(Double(l), Double(dims)))
        var edges = [(Int, Int, Double)]()
        var stride = 1
        for _ in 0..<dims {
            for i in 0..<n {
                let coordinate = (i / stride) % l
                let j = i + (coordinate == l - 1 ? -(l - 1) * stride : stride)
                edges.append((i, j, gaussian ? rng.nextGaussian() : (rng.next() & 1 == 0 ? -1 : 1)))
            }
            stride *= l
        }
        return try IsingModel(size: n, edges: edges)
    }

    /// A uniformly drawn simple k-regular graph on N vertices with ±J couplings (fair signs), no
    /// fields: the instance class of dwave-samplers' and many benchmark papers' "random regular"
    /// problems. Pairing model (Bollobás 1980) with the Steger–Wormald refinement (pick pairs
    /// among compatible points; restart when stuck), which is asymptotically uniform for fixed k.
    public static func randomRegular(size n: Int, degree k: Int, seed: UInt64) throws -> IsingModel {
        var rng = Xoshiro256(seed: seed)
        return try IsingModel(size: n, edges: randomRegularEdges(size: n, degree: k, signed: true, family: "regular", using: &rng))
    }

    /// The edges of a uniformly drawn simple k-regular graph on N vertices (see `randomRegular`),
    /// in the order they are paired; with `signed`, each edge's ±1 coupling is drawn as it is
    /// placed (so `randomRegular`'s instances are those it always drew), else every coupling is 0.
    static func randomRegularEdges(size n: Int, degree k: Int, signed: Bool, family: String,
                                   using rng: inout Xoshiro256) throws -> [(Int, Int, Double)] {
        guard k >= 1, k < n, (n * k) % 2 == 0 else {
            throw IsingModelError("a \(k)-regular graph on \(n) vertices needs 1 ≤ k < N and N·k even")
        }
        guard n * k <= randomRegularMaximumStubs else {
            throw IsingModelError("\(family) size × degree = \(n * k) is above the limit of \(randomRegularMaximumStubs)")
        }
        for _ in 0..<1000 {
            var points = (0..<(n * k)).map { $0 / k }
            var adjacent = Set<Int>()
            var edges = [(Int, Int, Double)]()
            var stuck = false
            while !points.isEmpty && !stuck {
                var tries = 0
                while true {
                    let a = Int(rng.next() % UInt64(points.count))
                    let b = Int(rng.next() % UInt64(points.count))
                    let u = points[a], v = points[b]
                    if a != b && u != v && !adjacent.contains(min(u, v) * n + max(u, v)) {
                        adjacent.insert(min(u, v) * n + max(u, v))
                        edges.append((u, v, signed ? (rng.next() & 1 == 0 ? -1 : 1) : 0))
                        for index in [max(a, b), min(a, b)] { points.swapAt(index, points.count - 1); points.removeLast() }
                        break
                    }
                    tries += 1
                    if tries > 100 * points.count { stuck = true; break }
                }
            }
            if !stuck { return edges }
        }
        throw IsingModelError("could not draw a simple \(k)-regular graph on \(n) vertices")
    }

    /// The most edge ends (N·k) `randomRegular` pairs: 10⁶.
    public static let randomRegularMaximumStubs = 1_000_000

    /// A ferromagnetic ring: J_{i,i+1} = 1 (periodic), h_i = h > 0 on every spin. Ground state:
    /// all +1, E* = −N(1 + h). The other ordered state, all −1, has E = −N(1 − h) and is a
    /// single-flip local minimum for 0 < h < 2 (each flip costs 4 − 2h). It is the only
    /// non-global one: in any mixed state a −1 spin next to a +1 spin has ΔE = −2h < 0, so greedy
    /// descent erodes every −1 domain. The trap is therefore declared (`declaredTraps`), not drawn.
    public static func ferromagneticRing(size n: Int, field h: Double) throws -> IsingModel {
        guard n >= 3, h > 0, h < 2 else { throw IsingModelError("ferro-ring needs N ≥ 3 and 0 < h < 2") }
        let edges = (0..<n).map { ($0, ($0 + 1) % n, 1.0) }
        let up = [Int8](repeating: 1, count: n)
        var model = try IsingModel(size: n, edges: edges, fields: [Double](repeating: h, count: n), groundState: up)
        // −N(1 + h), by the same summation as every other energy (gap exactly 0 at the ground state).
        model.optimum = KnownOptimum(value: model.energy(up), status: .planted)
        model.declaredTraps = [[Int8](repeating: -1, count: n)]
        return model
    }

    /// Weak–strong cluster pairs (Denchev et al., "What is the computational value of finite-range
    /// tunneling?", PRX 6, 031015, 2016, Fig. 1). Each pair is two 8-spin clusters, each a
    /// complete bipartite K_{4,4} (a Chimera unit cell, 16 ferromagnetic couplings), joined by 4
    /// ferromagnetic couplings between corresponding spins of their second halves (spins 4…7 of
    /// each cluster, as Chimera's inter-cell couplers). The paper writes E = Σ h s + Σ J s s with
    /// J = −1 (ferromagnetic), h = −1 on the strong cluster and h = +0.44 on the weak one. In this
    /// project's convention (H = −ΣJss − Σhs) every sign flips: J = +1, h = +1 on the strong
    /// cluster (favouring +1) and h = −0.44 on the weak one (favouring −1).
    ///
    /// Ground state: all +1 (E = −32 − 4 − 8 + 3.52 = −40.48 per pair); the state with the weak
    /// cluster at −1 has E = −39.52 and is a local minimum (a weak spin on the coupled half pays
    /// ΔE = 6.88 to flip, one on the other half 8.88): the trap that rewards flipping the whole
    /// cluster at once. Pairs are independent; spins 16p…16p+7 form the strong cluster of pair p.
    public static func weakStrong(pairs: Int, strongField: Double = 1, weakField: Double = 0.44) throws -> IsingModel {
        guard pairs >= 1 else { throw IsingModelError("weak-strong needs at least one pair") }
        var edges = [(Int, Int, Double)]()
        var h = [Double]()
        for p in 0..<pairs {
            let strong = 16 * p, weak = 16 * p + 8
            for base in [strong, weak] {
                for a in 0..<4 { for b in 4..<8 { edges.append((base + a, base + b, 1)) } }
            }
            for a in 4..<8 { edges.append((strong + a, weak + a, 1)) }
            h += [Double](repeating: strongField, count: 8) + [Double](repeating: -weakField, count: 8)
        }
        // E* = pairs·(−32 − 4 − 8·1 + 8·0.44), evaluated by the same summation as every other
        // energy so that the ground state's gap is exactly 0 (the enumeration test checks both).
        let up = [Int8](repeating: 1, count: 16 * pairs)
        var model = try IsingModel(size: 16 * pairs, edges: edges, fields: h, groundState: up)
        model.optimum = KnownOptimum(value: model.energy(up), status: .planted)
        return model
    }

    /// Frustrated-loop planted instances (Hen, Job, Albash, Rønnow, Troyer & Lidar, "Probing for
    /// quantum speedup in spin-glass problems with planted solutions", PRA 92, 042325, 2015) on
    /// the periodic L×L square lattice. A planted state t is drawn; then M = round(α·N) loops are
    /// added, each a random walk from a random site that stops when it first revisits a site (the
    /// closed part is the loop). On a loop every edge gets J = t_i t_j (satisfied by t) except one
    /// random edge, which gets −t_i t_j: the loop is frustrated, its minimum is −(ℓ − 2) and t
    /// attains it. A loop is rejected when it would push some |J| above R. Summing the loops,
    /// every loop is at its minimum in t at once, so t (and −t) is a ground state with
    /// E* = −Σ_loops (ℓ − 2), known by construction.
    ///
    /// Limits, checked before anything is drawn: side ≤ `plantedMaximumSide` (512) and
    /// round(α·N) ≤ `plantedMaximumLoops` (2¹⁸ = 262 144); it gives up after 1000 walks per loop
    /// or `plantedMaximumWalks` (10⁶) walks in all, whichever comes first, when R rejects too many
    /// loops.
    /// - Complexity: O(walks × loop length): a proposed loop's couplings are checked against R
    ///   before any is stored, so a rejected loop costs only its own length.
    public static func plantedLoops(side l: Int, loopDensity alpha: Double, maxCoupling r: Double, seed: UInt64) throws -> IsingModel {
        guard l >= 3 else { throw IsingModelError("planted needs side ≥ 3, got \(l)") }
        guard l <= plantedMaximumSide else { throw IsingModelError("planted side \(l) is above the limit of \(plantedMaximumSide)") }
        let n = l * l
        let loops = try plantedLoopCount(alpha, spins: n, family: "planted", size: "side \(l)", limitText: "loop-density × side²")
        var rng = Xoshiro256(seed: seed)
        let neighbours = (0..<n).map { i in
            let x = i % l, y = i / l
            return [(x + 1) % l + l * y, (x + l - 1) % l + l * y, x + l * ((y + 1) % l), x + l * ((y + l - 1) % l)]
        }
        // Each loop a non-backtracking walk from a random site to its first revisit.
        var path = [Int](), options = [Int]()
        var position = [Int: Int]()
        return try plantLoops(loops, spins: n, shortest: 4, maxCoupling: r, family: "planted", using: &rng) { rng, loop in
            path.removeAll(keepingCapacity: true)
            position.removeAll(keepingCapacity: true)
            path.append(Int(rng.next() % UInt64(n)))
            position[path[0]] = 0
            while loop.isEmpty {
                // Never straight back to the previous site.
                options.removeAll(keepingCapacity: true)
                options.append(contentsOf: neighbours[path[path.count - 1]])
                if path.count >= 2 { options.removeAll { $0 == path[path.count - 2] } }
                let next = options[Int(rng.next() % UInt64(options.count))]
                if let p = position[next] { loop.append(contentsOf: path[p...]) } else { position[next] = path.count; path.append(next) }
            }
        }
    }

    /// Frustrated-loop planted instances on a uniformly drawn simple k-regular graph of N spins
    /// (`randomRegularEdges`, k ≥ 3), drawn first. Loops are planted as on the lattice
    /// (`plantedLoops`) with one difference, in how a loop is found: a random walk on an expander
    /// first revisits a site only after about √N steps, so walk loops would grow with N and load
    /// every edge with more of them (at R = 3, α = 0.1 no longer builds at N = 16,384). Here each
    /// loop is the first cycle through a random site that a breadth-first search from it closes,
    /// its neighbours taken from a random one on: a cycle of the least or next-to-least length
    /// through that site, about log₂ N long on a 3-regular graph (a triangle, −1 at its minimum,
    /// is a loop too: the few a random regular graph has, and all of a small one's). Limits: N·k ≤ 10⁶ and round(α·N) ≤ 2¹⁸, checked before anything
    /// is drawn.
    public static func plantedRegular(size n: Int, degree k: Int, loopDensity alpha: Double, maxCoupling r: Double,
                                      seed: UInt64) throws -> IsingModel {
        guard k >= 3 else { throw IsingModelError("planted-regular needs degree ≥ 3, got \(k)") }
        let loops = try plantedLoopCount(alpha, spins: n, family: "planted-regular", size: "size \(n)", limitText: "loop-density × size")
        var rng = Xoshiro256(seed: seed)
        let edges = try randomRegularEdges(size: n, degree: k, signed: false, family: "planted-regular", using: &rng)
        var neighbours = [[Int]](repeating: [], count: n)
        for (u, v, _) in edges {
            neighbours[u].append(v)
            neighbours[v].append(u)
        }
        var search = CycleSearch(size: n)
        return try plantLoops(loops, spins: n, shortest: 3, maxCoupling: r, family: "planted-regular",
                                  foresight: true, using: &rng) { rng, loop in
            let v = Int(rng.next() % UInt64(n))
            search.cycle(through: v, firstNeighbour: Int(rng.next() % UInt64(k)), neighbours: neighbours, into: &loop)
        }
    }

    /// The attempts over which `plantLoops`' foresight measures its rate of placement: 10⁴ (at
    /// N = 2¹⁸ the 10⁶ attempts of a density that cannot be built took a minute).
    static let plantedWindow = 10_000

    /// Breadth-first search for a short cycle through a site, its scratch kept across calls.
    struct CycleSearch {
        var parent: [Int]
        var branch: [Int]
        /// The search that last reached each site (so nothing is cleared between searches).
        var stamp: [Int]
        var current = 0
        var queue = [Int]()

        init(size n: Int) {
            parent = [Int](repeating: 0, count: n)
            branch = [Int](repeating: 0, count: n)
            stamp = [Int](repeating: 0, count: n)
        }

        /// Appends to `loop` the first cycle through `v` the search closes, as its sites in order
        /// from `v`; nothing when there is none (a tree around `v`). `v`'s neighbours are searched
        /// from `firstNeighbour` on, so that ties fall differently from call to call.
        mutating func cycle(through v: Int, firstNeighbour: Int, neighbours: [[Int]], into loop: inout [Int]) {
            current += 1
            queue.removeAll(keepingCapacity: true)
            stamp[v] = current
            let around = neighbours[v]
            for j in 0..<around.count {
                let u = around[(firstNeighbour + j) % around.count]
                stamp[u] = current
                parent[u] = v
                branch[u] = j
                queue.append(u)
            }
            var head = 0
            while head < queue.count {
                let x = queue[head]
                head += 1
                for y in neighbours[x] where y != parent[x] && y != v {
                    if stamp[y] != current {
                        stamp[y] = current
                        parent[y] = x
                        branch[y] = branch[x]
                        queue.append(y)
                    } else if branch[y] != branch[x] {
                        // v … x, then y … back to v: tree paths from two different neighbours of v.
                        let start = loop.count
                        var site = x
                        while site != v { loop.append(site); site = parent[site] }
                        loop.append(v)
                        loop[start...].reverse()
                        site = y
                        while site != v { loop.append(site); site = parent[site] }
                        return
                    }
                }
            }
        }
    }

    /// round(α·N), at least 1, refused above `plantedMaximumLoops`.
    static func plantedLoopCount(_ alpha: Double, spins n: Int, family: String, size: String, limitText: String) throws -> Int {
        let loops = max(1, Int((alpha * Double(n)).rounded()))
        guard loops <= plantedMaximumLoops else {
            throw IsingModelError("\(family) loop-density \(formatReal(alpha)) at \(size) asks for \(loops) loops, "
                + "above the limit of \(plantedMaximumLoops) (\(limitText) ≤ \(plantedMaximumLoops))")
        }
        return loops
    }

    /// Draws a planted state of `spins` spins, then places `loops` frustrated loops, each found by
    /// `nextLoop` (which appends a simple cycle's sites in order, or nothing) and kept when at
    /// least `shortest` long and when no |J| would pass R. It gives up after 1000 attempts per loop
    /// or `plantedMaximumWalks` in all; with `foresight`, also as soon as even an optimistic rate
    /// of placement could not place the rest within that limit. The optimistic rate is the upper
    /// end of a Poisson interval for the k loops placed in the last `plantedWindow` attempts,
    /// (k + 3√k + 3)/window, so a window that happens to place few or none (3 is the 95% upper bound
    /// for none) does not end a build that would finish. Placement grows harder as couplings fill
    /// (a later loop can free one, rarely), so a build refused here would almost surely fail later.
    static func plantLoops(_ loops: Int, spins n: Int, shortest: Int, maxCoupling r: Double, family: String, foresight: Bool = false,
                           using rng: inout Xoshiro256, nextLoop: (inout Xoshiro256, inout [Int]) -> Void) throws -> IsingModel {
        let planted: [Int8] = (0..<n).map { _ in rng.next() & 1 == 0 ? -1 : 1 }
        var coupling = [Int: Double]()  // key min*n+max
        var energy = 0.0
        let maximumAttempts = min(1000 * loops, plantedMaximumWalks)
        var added = 0, attempts = 0, addedBeforeWindow = 0
        var loop = [Int]()
        // The loop's new couplings, checked against R before any is stored: a rejected loop leaves
        // `coupling` untouched. A loop is a simple cycle, so its edges are distinct.
        var proposal = [(key: Int, value: Double)]()
        while added < loops {
            attempts += 1
            if attempts > maximumAttempts {
                throw IsingModelError("\(family): could not place \(loops) loops with max-coupling \(formatReal(r)) in \(maximumAttempts) walks"
                    + " (give a lower loop-density or a higher max-coupling)")
            }
            if foresight && (attempts - 1) % plantedWindow == 0 && attempts > 1 {
                let k = Double(added - addedBeforeWindow)
                let rate = (k + 3 * k.squareRoot() + 3) / Double(plantedWindow)
                if Double(attempts - 1) + Double(loops - added) / rate > Double(maximumAttempts) {
                    throw IsingModelError("\(family): could not place \(loops) loops with max-coupling \(formatReal(r)): \(added) placed in "
                        + "\(attempts - 1) walks, and even at an optimistic bound on the last \(plantedWindow) walks' rate the rest would need more than the "
                        + "\(maximumAttempts) allowed (give a lower loop-density or a higher max-coupling)")
                }
                addedBeforeWindow = added
            }
            loop.removeAll(keepingCapacity: true)
            nextLoop(&rng, &loop)
            guard loop.count >= shortest else { continue }
            let frustrated = Int(rng.next() % UInt64(loop.count))
            proposal.removeAll(keepingCapacity: true)
            var ok = true
            for e in 0..<loop.count {
                let a = loop[e], b = loop[(e + 1) % loop.count]
                let key = min(a, b) * n + max(a, b)
                let sign: Double = e == frustrated ? -1 : 1
                let v = coupling[key, default: 0] + sign * Double(planted[a]) * Double(planted[b])
                if abs(v) > r { ok = false; break }
                proposal.append((key, v))
            }
            guard ok else { continue }
            for (key, v) in proposal { coupling[key] = v }
            energy -= Double(loop.count - 2)
            added += 1
        }
        let edges = coupling.keys.sorted().map { ($0 / n, $0 % n, coupling[$0]!) }
        return try IsingModel(size: n, edges: edges,
                              optimum: KnownOptimum(value: energy, status: .planted), groundState: planted)
    }

    /// The largest side `plantedLoops` accepts (N = side² spins).
    public static let plantedMaximumSide = 512
    /// The most loops `plantedLoops` places: round(loop-density · side²) ≤ 2¹⁸ (α ≤ 1 at side 512).
    public static let plantedMaximumLoops = 262_144
    /// The most random walks `plantedLoops` draws (accepted and rejected loops together) before it
    /// gives up: 1000 per loop, at most 10⁶.
    public static let plantedMaximumWalks = 1_000_000

    /// The largest model an instance file may describe: 10⁶ spins (checked before allocating; a
    /// file of 10⁶ spins runs `--trials 3 --budget 400` in about 3 s, one of 10⁷ took 73 s).
    public static let maximumSize = 1_000_000

    /// Parses an instance file: one `i j J` line per coupling (1-based spin indices), `i i h` for
    /// the field on spin i, `#` starts a comment, blank lines are ignored. N is the largest index
    /// (or `size` when given). Couplings and fields are read in this project's convention
    /// H = −Σ J s s − Σ h s. Each coupling (`i j` or `j i`) and each field appears once: a repeat
    /// is refused with both line numbers, never summed. Errors name the file and line, never the
    /// line's text.
    public static func parse(edgeList text: String, size: Int? = nil, source: String) throws -> IsingModel {
        var edges = [(Int, Int, Double)]()
        var fieldEntries = [(Int, Double)]()
        var firstLine = [Pair: Int]()  // each coupling or field once: a repeat is a mistake, not a sum
        var largest = 0
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {  // "\r\n" is one Character
            lineNumber += 1
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if words.isEmpty { continue }
            guard words.count == 3, let i = Int(words[0]), let j = Int(words[1]), let v = Double(words[2]),
                  i >= 1, j >= 1, v.isFinite else {
                throw IsingModelError("\(source):\(lineNumber): expected 'i j J' (1-based spin indices and a finite number)")
            }
            guard i <= IsingModel.maximumSize, j <= IsingModel.maximumSize else {
                throw IsingModelError("\(source):\(lineNumber): spin index \(max(i, j)) is above the limit of \(IsingModel.maximumSize) spins")
            }
            let pair = Pair(min(i, j), max(i, j))
            if let earlier = firstLine[pair] {
                throw IsingModelError("\(source):\(lineNumber): " + (i == j ? "the field on spin \(i)" : "coupling (\(pair.low), \(pair.high))")
                    + " is already given on line \(earlier) (each coupling i j, in either order, and each field i i appears once)")
            }
            firstLine[pair] = lineNumber
            largest = max(largest, i, j)
            if i == j { fieldEntries.append((i - 1, v)) } else { edges.append((i - 1, j - 1, v)) }
        }
        let n = size ?? largest
        guard n <= IsingModel.maximumSize else { throw IsingModelError("\(source): \(n) spins is above the limit of \(IsingModel.maximumSize)") }
        guard n >= 1, largest <= n else { throw IsingModelError("\(source): no couplings, or an index above the size \(n)") }
        var h = [Double](repeating: 0, count: n)
        for (i, v) in fieldEntries { h[i] += v }
        return try IsingModel(size: n, edges: edges, fields: h)
    }

    /// An unordered pair of 1-based spin indices, low ≤ high.
    private struct Pair: Hashable {
        var low: Int, high: Int
        init(_ low: Int, _ high: Int) { self.low = low; self.high = high }
    }

    /// Parses a state given as the 1-based indices of the spins that are +1 (all others −1),
    /// separated by white space; `#` comments allowed.
    public static func parse(upSpins text: String, size n: Int, source: String) throws -> [Int8] {
        var s = [Int8](repeating: -1, count: n)
        for (lineIndex, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            for (wordIndex, word) in content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).enumerated() {
                guard let i = Int(word), i >= 1, i <= n else {
                    throw IsingModelError("\(source):\(lineIndex + 1): entry \(wordIndex + 1) is not a spin index in 1…\(n)")
                }
                s[i - 1] = 1
            }
        }
        return s
    }
}
