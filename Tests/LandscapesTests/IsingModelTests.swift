import Foundation
import Testing
@testable import Landscapes

// Convention under test everywhere: H(s) = −Σ_{i<j} J_ij s_i s_j − Σ_i h_i s_i.

func enumerateStates(_ n: Int) -> [[Int8]] {
    (0..<(1 << n)).map { bits in (0..<n).map { (bits >> $0) & 1 == 1 ? 1 : -1 } }
}

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Test func energyFollowsTheProjectConventionOnATwoSpinModel() throws {
    // J = 1 (ferromagnetic), h = (0.5, 0): H(+,+) = −1 − 0.5, H(+,−) = +1 − 0.5.
    let model = try IsingModel(size: 2, edges: [(0, 1, 1)], fields: [0.5, 0])
    #expect(model.energy([1, 1]) == -1.5)
    #expect(model.energy([1, -1]) == 0.5)
    #expect(model.energy([-1, -1]) == -0.5)
}

@Test(arguments: ["sk", "ea3d", "planted"])
func flipEnergyEqualsEnergyDifference(family: String) throws {
    let model: IsingModel
    switch family {
    case "sk": model = try .sherringtonKirkpatrick(size: 20, gaussian: true, seed: 1)
    case "ea3d": model = try .edwardsAnderson(side: 4, dimensions: 3, gaussian: true, seed: 2)
    default: model = try .plantedLoops(side: 5, loopDensity: 0.6, maxCoupling: 3, seed: 3)
    }
    var rng = Xoshiro256(seed: 7)
    let s = model.randomState(using: &rng)
    for i in 0..<model.size {
        var t = s
        t[i] = -t[i]
        // Both sides sum at most N + E terms of size ≤ max|J|: rounding ≤ 1e-12·(1 + Σ|terms|).
        #expect(abs(model.flipEnergy(i, s) - (model.energy(t) - model.energy(s))) <= 1e-12 * (1 + model.roundingScale))
    }
}

@Test func quenchEndsInSingleFlipLocalMinimumBelowItsStart() throws {
    let model = try IsingModel.edwardsAnderson(side: 8, dimensions: 2, gaussian: false, seed: 5)
    var rng = Xoshiro256(seed: 1)
    for _ in 0..<20 {
        let s = model.randomState(using: &rng)
        let m = model.quench(s)
        #expect(model.isLocalMinimum(m.state))
        #expect(m.energy <= model.energy(s))
        #expect(model.quench(m.state).state == m.state)
    }
}

@Test func weakStrongConvertedGroundStateIsAllUpByEnumeration() throws {
    let model = try IsingModel.weakStrong(pairs: 1)
    let states = enumerateStates(16)
    let energies = states.map(model.energy)
    let minimum = energies.min()!
    // Paper: E = Σhs + ΣJss with J = −1, h = −1 (strong), +0.44 (weak); here every sign flips.
    #expect(abs(minimum - (-40.48)) < 1e-12)
    #expect(abs(model.optimum.value! - minimum) < 1e-12)
    #expect(states[energies.firstIndex(of: minimum)!] == [Int8](repeating: 1, count: 16))
    #expect(energies.filter { abs($0 - minimum) < 1e-9 }.count == 1)
    // The trap: strong cluster up, weak cluster down, 0.96 higher and a single-flip local minimum.
    let trap = [Int8](repeating: 1, count: 8) + [Int8](repeating: -1, count: 8)
    #expect(abs(model.energy(trap) - (-39.52)) < 1e-12)
    #expect(model.isLocalMinimum(trap))
}

@Test func plantedGroundStateEnergyMatchesConstructionAndEnumeration() throws {
    let model = try IsingModel.plantedLoops(side: 4, loopDensity: 0.8, maxCoupling: 3, seed: 8)
    let minimum = enumerateStates(16).map(model.energy).min()!
    #expect(abs(model.energy(model.groundState!) - model.optimum.value!) < 1e-12)
    #expect(abs(minimum - model.optimum.value!) < 1e-12)
}

@Test func ferroRingGroundStateIsAllUpAndAllDownIsItsOnlyTrap() throws {
    let model = try IsingModel.ferromagneticRing(size: 8, field: 0.1)
    let states = enumerateStates(8)
    let minimum = states.map(model.energy).min()!
    #expect(abs(minimum - model.optimum.value!) < 1e-12)
    let localMinima = states.filter(model.isLocalMinimum)
    #expect(Set(localMinima) == Set([[Int8](repeating: 1, count: 8), [Int8](repeating: -1, count: 8)]))
    #expect(model.declaredTraps == [[Int8](repeating: -1, count: 8)])
}

@Test func randomRegularGraphIsSimpleAndRegular() throws {
    let model = try IsingModel.randomRegular(size: 200, degree: 3, seed: 4)
    for i in 0..<200 {
        let nb = model.neighbors[Int(model.rowStart[i])..<Int(model.rowStart[i + 1])]
        #expect(nb.count == 3 && Set(nb).count == 3 && !nb.contains(Int32(i)))
    }
    #expect(Set(model.couplings) == [-1, 1])
}

@Test func periodicLatticesHaveTwoCouplingsPerSpinAndDimension() throws {
    let ea2 = try IsingModel.edwardsAnderson(side: 5, dimensions: 2, gaussian: false, seed: 1)
    let ea3 = try IsingModel.edwardsAnderson(side: 3, dimensions: 3, gaussian: false, seed: 1)
    #expect(ea2.edgeCount == 50 && (0..<25).allSatisfy { ea2.rowStart[$0 + 1] - ea2.rowStart[$0] == 4 })
    #expect(ea3.edgeCount == 81 && (0..<27).allSatisfy { ea3.rowStart[$0 + 1] - ea3.rowStart[$0] == 6 })
}

@Test func edgeListParserReadsOneBasedCouplingsFieldsAndComments() throws {
    let text = "# a comment\n1 2 0.5\n\n2 3 -1   # trailing\n2 2 0.25\n"
    let model = try IsingModel.parse(edgeList: text, source: "test")
    #expect(model.size == 3 && model.edgeCount == 2)
    #expect(model.fields == [0, 0.25, 0])
    #expect(model.energy([1, 1, 1]) == -(0.5 - 1) - 0.25)
    #expect(throws: IsingModelError.self) { try IsingModel.parse(edgeList: "1 x 2", source: "test") }
}

@Test func santoroGroundStateHasThePublishedEnergyAndIsASingleFlipMinimum() throws {
    let folder = packageRoot.appendingPathComponent("Landscapes/instances/santoro-80x80")
    let model = try IsingModel.parse(edgeList: String(contentsOf: folder.appendingPathComponent("couplings.txt"), encoding: .utf8),
                                     source: "couplings.txt")
    let ground = try IsingModel.parse(upSpins: String(contentsOf: folder.appendingPathComponent("ground-state-up-spins.txt"), encoding: .utf8),
                                      size: model.size, source: "ground-state-up-spins.txt")
    #expect(model.size == 6400 && model.edgeCount == 12800)
    // Published: −1.58051667679 per spin, 11 decimals, so ±5e-12 per spin: ±3.2e-8 in total,
    // plus summation rounding ≤ 1e-12·Σ|J| ≈ 1.3e-8.
    let e = model.energy(ground)
    #expect(abs(e - (-1.58051667679 * 6400)) <= 3.2e-8 + 1e-12 * model.roundingScale, "E = \(e)")
    #expect(model.isLocalMinimum(ground))
}

/// On random 3-regular graphs of 16 and 18 spins: E* by construction equals the minimum over all
/// 2^N states, the planted state attains it, and every coupling lies on an edge of the graph the
/// same seed draws (so no spin has more than k couplings).
@Test(arguments: [(16, 1 as UInt64, 0.5), (16, 2, 0.3), (18, 3, 0.5)])
func plantedRegularGroundStateMatchesConstructionAndEnumeration(size: Int, seed: UInt64, density: Double) throws {
    let model = try IsingModel.plantedRegular(size: size, degree: 3, loopDensity: density, maxCoupling: 3, seed: seed)
    #expect(model.size == size)
    let minimum = enumerateStates(size).map(model.energy).min()!
    #expect(abs(model.energy(model.groundState!) - model.optimum.value!) < 1e-12)
    #expect(abs(minimum - model.optimum.value!) < 1e-12, "\(minimum) vs \(model.optimum.value!)")
    var rng = Xoshiro256(seed: seed)
    let graph = Set(try IsingModel.randomRegularEdges(size: size, degree: 3, signed: false, family: "planted-regular", using: &rng).map { [min($0.0, $0.1), max($0.0, $0.1)] })
    #expect(graph.count == size * 3 / 2)
    #expect(!model.edges.isEmpty && model.edges.allSatisfy { graph.contains([min($0.0, $0.1), max($0.0, $0.1)]) })
}

/// A density that cannot be built is refused once its rate of placement shows it, well before the
/// walk limit (here 512,000 attempts for 512 loops).
@Test func plantedRegularRefusesAnUnbuildableDensityEarly() throws {
    let error = try #require(throws: IsingModelError.self) {
        try IsingModel.plantedRegular(size: 1024, degree: 3, loopDensity: 0.5, maxCoupling: 3, seed: 1)
    }
    #expect(error.description.contains("even at an optimistic bound on the last 10000 walks' rate the rest would need more than the 512000 allowed"), "\(error)")
}

@Test func plantedRegularRefusesWhatCannotBeBuilt() {
    #expect(throws: IsingModelError("planted-regular size × degree = 1048576 is above the limit of 1000000")) {
        try IsingModel.plantedRegular(size: 262_144, degree: 4, loopDensity: 0.1, maxCoupling: 3, seed: 1)
    }
    #expect(throws: IsingModelError("planted-regular needs degree ≥ 3, got 2")) {
        try IsingModel.plantedRegular(size: 16, degree: 2, loopDensity: 0.5, maxCoupling: 3, seed: 1)
    }
    #expect(throws: IsingModelError("a 3-regular graph on 15 vertices needs 1 ≤ k < N and N·k even")) {
        try IsingModel.plantedRegular(size: 15, degree: 3, loopDensity: 0.5, maxCoupling: 3, seed: 1)
    }
    #expect(throws: IsingModelError("planted-regular loop-density 2 at size 262144 asks for 524288 loops, "
        + "above the limit of 262144 (loop-density × size ≤ 262144)")) {
        try IsingModel.plantedRegular(size: 262_144, degree: 3, loopDensity: 2, maxCoupling: 3, seed: 1)
    }
}
