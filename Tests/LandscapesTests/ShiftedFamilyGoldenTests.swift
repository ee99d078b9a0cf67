import Foundation
import Testing
import Landscapes

/// The shifted continuous families reproduce, bit for bit, the values they computed before their
/// instance shift was factored out into `Shifted` (Sources/Landscapes/Transforms.swift).
///
/// How the digests below were produced: `goldenCases` lists (family, d, parameters, instance);
/// `goldenDigest` draws 1,000 points uniformly in the instance's box from Xoshiro256(seed:
/// `goldenPointSeed`), coordinate by coordinate as lower + (upper − lower)·u, and feeds a 64-bit
/// FNV-1a hash (offset 0xcbf29ce484222325, prime 0x100000001b3) the IEEE-754 bit patterns, as
/// eight little-endian bytes each, of: f* and every coordinate of every declared x*; then per
/// point value(at:), the value returned by valueAndGradient(at:gradient:), every gradient
/// component, and roundingScale(at:). `first` holds the bit patterns of value(at:) at the first
/// three points, for diagnosis. The table was printed by `printGoldenTable` (run it with
/// `GOLDEN_PRINT=1 swift test --filter printGoldenTable`) on commit b1991c9, where every family
/// still subtracted its own shift; it must never be regenerated from later code.
@Suite struct ShiftedFamilyGoldenTests {
    @Test(arguments: goldenCases)
    func composedFamiliesReproduceRecordedValuesBitForBit(_ goldenCase: GoldenCase) throws {
        let recorded = try #require(goldenTable[goldenCase.key], "no recorded digest for \(goldenCase.key)")
        let computed = try goldenDigest(goldenCase)
        let hex = { (bits: [UInt64]) in bits.map { "0x" + String($0, radix: 16) }.joined(separator: ", ") }
        #expect(computed.first == recorded.first,
                "\(goldenCase.key): first values \(hex(computed.first)), recorded \(hex(recorded.first))")
        #expect(computed.digest == recorded.digest,
                "\(goldenCase.key): digest 0x\(String(computed.digest, radix: 16)), recorded 0x\(String(recorded.digest, radix: 16))")
    }

    /// Prints `goldenTable` as Swift source; only when GOLDEN_PRINT is set (the table is recorded
    /// once, from the code before the refactoring).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["GOLDEN_PRINT"] != nil))
    func printGoldenTable() throws {
        var lines = ["let goldenTable: [String: (digest: UInt64, first: [UInt64])] = ["]
        for goldenCase in goldenCases {
            let result = try goldenDigest(goldenCase)
            let first = result.first.map { "0x" + String($0, radix: 16) }.joined(separator: ", ")
            lines.append("    \"\(goldenCase.key)\": (0x\(String(result.digest, radix: 16)), [\(first)]),")
        }
        lines.append("]")
        print(lines.joined(separator: "\n"))
        #expect(lines.count == goldenCases.count + 2)
    }
}

/// One recorded instance: a family at dimension d with parameter overrides (name → text).
struct GoldenCase: Sendable, CustomTestStringConvertible {
    var family: String
    var dimension: Int
    var overrides: [String: String] = [:]
    var instance: Int

    var key: String {
        let parameters = overrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
        return "\(family) d=\(dimension)\(parameters.isEmpty ? "" : " " + parameters) i=\(instance)"
    }

    var testDescription: String { key }
}

let goldenPointSeed: UInt64 = 0x601D_E7A1_0E5D_1CE5

/// The families that moved to `Shifted`, at d = 2 and their default d (six-hump camel exists in
/// d = 2 only), instances 0, 1 and 2, default parameters; plus one non-default parameter set for
/// each family that has parameters, so that their plumbing is recorded too.
let goldenCases: [GoldenCase] = {
    let families: [(name: String, defaultDimension: Int)] = [
        ("sphere", 10), ("rosenbrock", 10), ("rastrigin", 10), ("ackley", 10), ("griewank", 10),
        ("schwefel", 10), ("levy", 10), ("styblinski-tang", 10), ("six-hump-camel", 2), ("double-well", 5),
    ]
    var cases: [GoldenCase] = []
    for family in families {
        for d in Set([2, family.defaultDimension]).sorted() {
            for instance in 0...2 { cases.append(GoldenCase(family: family.name, dimension: d, instance: instance)) }
        }
    }
    let parameterSets: [(String, Int, [String: String])] = [
        ("rastrigin", 3, ["amplitude": "3.5"]),
        ("ackley", 3, ["a": "15", "b": "0.3", "c": "5"]),
        ("double-well", 3, ["height": "2", "width": "0.5", "asymmetry": "0.3"]),
        ("double-well", 3, ["width": "0.5", "bound": "1.5"]),
    ]
    for (name, d, overrides) in parameterSets {
        for instance in 0...2 { cases.append(GoldenCase(family: name, dimension: d, overrides: overrides, instance: instance)) }
    }
    return cases
}()

/// The FNV-1a digest described in the suite's comment, and value(at:)'s bits at the first three points.
func goldenDigest(_ goldenCase: GoldenCase) throws -> (digest: UInt64, first: [UInt64]) {
    let family = try LandscapeCatalog.family(named: goldenCase.family)
    let parameters = try ParameterValues(specs: family.parameters, overrides: goldenCase.overrides, owner: goldenCase.family)
    let landscape = try family.continuousInstance(dimension: goldenCase.dimension, instance: goldenCase.instance, parameters: parameters)
    return digest(of: landscape, pointCount: 1000, seed: goldenPointSeed)
}

func digest(of landscape: some ContinuousLandscape, pointCount: Int, seed: UInt64) -> (digest: UInt64, first: [UInt64]) {
    var hash = FNV1a()
    let optimum = landscape.optimum
    hash.add(optimum.value ?? .nan)
    for point in optimum.points { for coordinate in point { hash.add(coordinate) } }
    let box = landscape.domain, d = landscape.dimension
    var rng = Xoshiro256(seed: seed)
    var x = [Double](repeating: 0, count: d), gradient = x
    var first: [UInt64] = []
    for _ in 0..<pointCount {
        for i in 0..<d { x[i] = box.lower[i] + (box.upper[i] - box.lower[i]) * rng.nextUnit() }
        let value = landscape.value(at: x)
        if first.count < 3 { first.append(value.bitPattern) }
        hash.add(value)
        hash.add(landscape.valueAndGradient(at: x, gradient: &gradient))
        for component in gradient { hash.add(component) }
        hash.add(landscape.roundingScale(at: x))
    }
    return (hash.state, first)
}

/// 64-bit FNV-1a (Fowler, Noll & Vo) over the little-endian bytes of IEEE-754 bit patterns.
struct FNV1a {
    var state: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ value: Double) {
        var bits = value.bitPattern
        for _ in 0..<8 {
            state = (state ^ (bits & 0xFF)) &* 0x0000_0100_0000_01B3
            bits >>= 8
        }
    }
}
