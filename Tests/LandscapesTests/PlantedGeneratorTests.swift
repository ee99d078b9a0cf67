import Foundation
import Testing
@testable import Landscapes

// The frustrated-loop generator must build the same instances however it is implemented: every
// seed, baseline row and published figure on a planted instance depends on its exact output.

/// FNV-1a (64-bit) over a model's canonical bytes: N, then every edge (i, j, bit pattern of J) in
/// the order `edges` lists them, the fields' bit patterns, E*'s bit pattern and the planted state.
/// Written here, independently of the code under test, so that a change in any coupling's last
/// bit changes the hash.
func canonicalHash(_ model: IsingModel) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ v: UInt64) {
        for byte in 0..<8 {
            h ^= (v >> (8 * UInt64(byte))) & 0xff
            h = h &* 0x0000_0100_0000_01b3
        }
    }
    mix(UInt64(model.size))
    for (i, j, c) in model.edges { mix(UInt64(i)); mix(UInt64(j)); mix(c.bitPattern) }
    for f in model.fields { mix(f.bitPattern) }
    mix(model.optimum.value?.bitPattern ?? 0)
    for s in model.groundState ?? [] { mix(UInt64(bitPattern: Int64(s))) }
    return h
}

/// The instances the repository's tests, specs and defaults build, a larger one, and one that
/// rejects many loops (R = 1), with the hashes the generator produced before its loop
/// bookkeeping was made incremental (computed by this test's `canonicalHash` on the previous
/// implementation, which copied the whole coupling table for every proposed loop).
let plantedReference: [(side: Int, density: Double, maxCoupling: Double, seed: UInt64, hash: UInt64)] = [
    (4, 0.8, 3, 8, 6309858212092699700),
    (5, 0.6, 3, 3, 12704900763913312799),
    (6, 0.5, 3, 2, 4126716770263482315),
    (4, 0.5, 3, 3, 15173210865677073116),
    (8, 0.5, 3, 1, 18165750251818134378),
    (64, 0.5, 3, 9, 3859907807311874757),
    (16, 0.5, 1, 5, 6603770008525740648),
]

@Test(arguments: plantedReference.indices)
func plantedInstancesAreIdenticalToThePreviousGenerator(index: Int) throws {
    let r = plantedReference[index]
    let model = try IsingModel.plantedLoops(side: r.side, loopDensity: r.density, maxCoupling: r.maxCoupling, seed: r.seed)
    #expect(canonicalHash(model) == r.hash)
}

@Test func plantedFamilyDefaultInstanceIsIdenticalToThePreviousGenerator() throws {
    let family = LandscapeFamily.planted
    let model = try family.isingInstance(1, parameters: ParameterValues(specs: family.parameters))
    #expect(canonicalHash(model) == 2483721798819997652)
}


/// Random regular graphs, likewise: the hashes the generator produced before its graph drawing
/// was shared with the planted regular family.
let regularReference: [(size: Int, degree: Int, seed: UInt64, hash: UInt64)] = [
    (64, 3, 7, 18217421816856031417),
    (1024, 3, 1, 11314500200843058853),
    (100, 6, 4, 8784674957553667097),
]

@Test(arguments: regularReference.indices)
func regularInstancesAreIdenticalToThePreviousGenerator(index: Int) throws {
    let r = regularReference[index]
    let model = try IsingModel.randomRegular(size: r.size, degree: r.degree, seed: r.seed)
    #expect(canonicalHash(model) == r.hash, "index \(index)")
}
