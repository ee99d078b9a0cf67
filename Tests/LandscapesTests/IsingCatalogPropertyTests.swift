import Foundation
import Testing
@testable import Landscapes

/// Properties every Ising family must have, run over the whole catalog: a new family is tested
/// with no list to edit. Each family is built at its smallest integer parameters (the lower end
/// of each range, other parameters at their defaults), where brute force is affordable; families
/// that read files (`ising-file`) are covered by their own parser tests.
@Suite struct IsingCatalogPropertyTests {
    static var generated: [String] { LandscapeCatalog.families(of: .ising).filter(\.textParameters.isEmpty).map(\.name) }

    static func smallest(_ name: String, instance: Int = 1) throws -> IsingModel {
        let family = try #require((try? LandscapeCatalog.family(named: name)))
        var overrides = [String: String]()
        for spec in family.parameters { if case .integer(let range) = spec.kind { overrides[spec.name] = String(range.lowerBound) } }
        let parameters = try ParameterValues(specs: family.parameters, overrides: overrides, owner: name)
        return try family.isingInstance(instance, parameters: parameters)
    }

    /// H(s) = −Σ J s s − Σ h s, summed here from the model's edge list and fields for seeded
    /// states, equals `energy`; every single-flip ΔE equals the difference of two such sums.
    @Test(arguments: generated)
    func energyAndFlipEnergyMatchTheCouplingSum(name: String) throws {
        let model = try Self.smallest(name)
        func hamiltonian(_ s: [Int8]) -> Double {
            var h = 0.0
            for (i, j, coupling) in model.edges { h -= coupling * Double(s[i]) * Double(s[j]) }
            for i in 0..<model.size { h -= model.fields[i] * Double(s[i]) }
            return h
        }
        var rng = Xoshiro256(seed: 11)
        let tolerance = 1e-12 * (1 + model.roundingScale)  // two sums of the same terms in other orders
        for _ in 0..<20 {
            let s = model.randomState(using: &rng)
            #expect(abs(model.energy(s) - hamiltonian(s)) <= tolerance)
            for i in 0..<model.size {
                var flipped = s
                flipped[i] = -flipped[i]
                #expect(abs(model.flipEnergy(i, s) - (hamiltonian(flipped) - hamiltonian(s))) <= 2 * tolerance)
            }
        }
    }

    /// The same instance number gives the same model; the instance is a pure function of its seed.
    @Test(arguments: generated)
    func anInstanceIsTheSameEachTimeItIsBuilt(name: String) throws {
        let a = try Self.smallest(name, instance: 3), b = try Self.smallest(name, instance: 3)
        #expect(a.size == b.size && a.fields == b.fields)
        #expect(a.edges.map { [Double($0.0), Double($0.1), $0.2] } == b.edges.map { [Double($0.0), Double($0.1), $0.2] })
    }

    /// A declared E* is a lower bound no state beats, and where a ground state is declared its
    /// energy is E*. With N ≤ 16 every state is enumerated and E* must be the minimum exactly
    /// (up to rounding); above that, 500 seeded states and their quenches must not go below it.
    @Test(arguments: generated)
    func aDeclaredOptimumIsTheTrueMinimum(name: String) throws {
        let model = try Self.smallest(name)
        guard let optimum = model.optimum.value else { return }
        let tolerance = 1e-12 * (1 + model.roundingScale)
        if let ground = model.groundState { #expect(abs(model.energy(ground) - optimum) <= tolerance) }
        if model.size <= 16 {
            let minimum = enumerateStates(model.size).map(model.energy).min()!
            #expect(abs(minimum - optimum) <= tolerance, "\(name): enumerated minimum \(minimum), declared \(optimum)")
        } else {
            var rng = Xoshiro256(seed: 5)
            for _ in 0..<500 {
                let s = model.randomState(using: &rng)
                #expect(model.energy(s) >= optimum - tolerance)
                #expect(model.quench(s).energy >= optimum - tolerance)
            }
        }
    }

    /// The quench ends in a single-flip local minimum no higher than where it started.
    @Test(arguments: generated)
    func theQuenchEndsInALocalMinimumBelowItsStart(name: String) throws {
        let model = try Self.smallest(name)
        var rng = Xoshiro256(seed: 9)
        for _ in 0..<20 {
            let s = model.randomState(using: &rng)
            let (state, energy) = model.quench(s)
            #expect(model.isLocalMinimum(state))
            #expect(energy <= model.energy(s))
            #expect(abs(energy - model.energy(state)) <= 1e-12 * (1 + model.roundingScale))
        }
    }
}
