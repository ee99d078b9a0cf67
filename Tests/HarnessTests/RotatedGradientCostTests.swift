import Foundation
import Landscapes
import Optimizers
import Testing
@testable import Harness

/// A rotated instance (`rotate=true`) is charged its own gradient cost, the family's
/// `rotatedGradCost` (measured by the GradientCost benchmark's `F-rotated` rows), not the
/// unrotated `gradCost`: by the counting `Objective` and by a whole trial through the harness.
/// Over every family with the flag, read off the catalog, so a family that gains it is covered.
@Suite struct RotatedGradientCostTests {
    /// The families with a `rotate` flag.
    static let rotatable = LandscapeCatalog.families(of: .continuous)
        .filter { $0.parameters.contains { $0.name == InstanceShift.rotate.name } }
        .map(\.name)

    static func instance(_ name: String, rotate: Bool) throws -> any ContinuousLandscape {
        let family = try LandscapeCatalog.family(named: name)
        let parameters = try ParameterValues(specs: family.parameters, overrides: ["rotate": rotate ? "true" : "false"], owner: name)
        let d = try #require(family.dimension(requested: nil, parameters: parameters), "\(name) has no default dimension")
        return try family.continuousInstance(dimension: d, instance: 1, parameters: parameters)
    }

    /// The filter finds the families (an empty list would let the tests below pass vacuously);
    /// rastrigin, the first to get the flag, is among them, sphere (rotation-invariant) is not.
    @Test func rotatableFamiliesAreFoundInTheCatalog() {
        #expect(Self.rotatable.contains("rastrigin") && !Self.rotatable.contains("sphere"), "\(Self.rotatable)")
    }

    /// The rotated instance's cost is the one its raw function states for rotation
    /// (`RotatableLandscape.rotatedGradCost`, reached through `Shifted(Rotated(raw))`), and it
    /// is at least min(unrotated cost, 2): the rotation adds at least twice the work to a gradient
    /// (two d × d products) that it adds to a value (one), and (g + a)/(v + b) ≥ min(g/v, a/b).
    /// So it is at least the unrotated cost wherever that is ≤ 2 (every rotatable family but
    /// griewank, whose 3.0 exceeds 2 and whose rotated 2.8 is measured lower).
    @Test(arguments: rotatable)
    func rotatedInstanceStatesItsRawFunctionsRotatedCost(_ name: String) throws {
        let plain = try Self.instance(name, rotate: false)
        let rotated = try Self.instance(name, rotate: true)
        let declared = try #require(rotated as? any DeclaresRotatedGradCost, "\(name) rotate=true is not Shifted(Rotated(raw))")
        #expect(rotated.gradCost == declared.rawRotatedGradCost)
        #expect(rotated.gradCost >= min(plain.gradCost, 2), "\(name): rotated \(rotated.gradCost), unrotated \(plain.gradCost)")
    }

    /// The counting objective on a rotated instance: 3 gradients and 2 values spend 2 + 3c with
    /// c the raw function's rotated cost (summed in the order the calls were made).
    @Test(arguments: rotatable)
    func objectiveSpendsTheRotatedCostPerGradient(_ name: String) throws {
        let rotated = try Self.instance(name, rotate: true)
        func spent<L: ContinuousLandscape>(_ f: L) -> Double {
            var objective = Objective(landscape: f, budget: 1000, escapeThreshold: -.infinity, successThreshold: nil)
            let box = f.domain
            let x = (0..<f.dimension).map { 0.5 * (box.lower[$0] + box.upper[$0]) }
            var g = [Double](repeating: 0, count: f.dimension)
            for _ in 0..<3 { _ = objective.valueAndGradient(at: x, gradient: &g) }
            for _ in 0..<2 { _ = objective.value(at: x) }
            #expect(objective.gradientEvaluations == 3 && objective.evaluations == 2)
            return objective.spent
        }
        let cost = try #require(rotated as? any DeclaresRotatedGradCost).rawRotatedGradCost
        var expected = 0.0  // the same five additions, in the same order
        for _ in 0..<3 { expected += cost }
        for _ in 0..<2 { expected += 1 }
        #expect(spent(rotated) == expected, "\(name) rotate=true: spent \(spent(rotated)), expected 2 + 3 × \(cost)")
    }

    /// A whole `gd` trial through the harness (spec → `ResolvedLandscape` → `BenchmarkRun`):
    /// every record's spent is its value calls plus its gradient calls times the rotated cost,
    /// and, where that cost differs from the unrotated one, not the unrotated sum.
    @Test(arguments: rotatable)
    func harnessTrialOnARotatedInstanceIsChargedTheRotatedCost(_ name: String) throws {
        var spec = LandscapeSpec(name: "\(name)-rotated", family: name)
        spec.parameters = ["rotate": "true"]
        let landscape = try ResolvedLandscape(spec, overrides: SpecOverrides(trials: 2, budget: 200, start: .uniform, instance: 1))
        let plainCost = try Self.instance(name, rotate: false).gradCost
        let cost = try #require(landscape.continuous as? any DeclaresRotatedGradCost).rawRotatedGradCost
        let plan = RunPlan(landscapes: [landscape], optimizers: [try OptimizerEntry(name: "gd")], masterSeed: 7, threads: 1)
        let records = try BenchmarkRun.execute(plan)
        #expect(records.count == 2)
        for record in records {
            #expect(!record.failed, "\(record.failure)")
            #expect(record.gradientEvaluations > 0)
            #expect(record.minibatchGradientEvaluations == 0)
            let values = Double(record.evaluations + record.calibrationEvaluations)
            let gradients = Double(record.gradientEvaluations)
            // spent is a running sum of 1s and c's: exact up to one rounding of at most ulp(spent) per call.
            let rounding = (values + gradients) * record.spent.ulp
            #expect(abs(record.spent - (values + gradients * cost)) <= rounding,
                    "\(name) rotate=true: spent \(record.spent), \(values) values + \(gradients) gradients × \(cost)")
            if cost != plainCost {
                #expect(abs(record.spent - (values + gradients * plainCost)) > rounding,
                        "\(name) rotate=true is charged the unrotated cost \(plainCost)")
            }
        }
    }
}

/// `Shifted(Rotated(raw))` with a raw function that states its rotated cost: what
/// `InstanceShift.compose` builds for `rotate=true`. Read here to compare the instance's
/// `gradCost` with the raw function's own declaration.
protocol DeclaresRotatedGradCost {
    var rawRotatedGradCost: Double { get }
}

extension Rotated: DeclaresRotatedGradCost where Base: RotatableLandscape {
    var rawRotatedGradCost: Double { base.rotatedGradCost }
}

extension Shifted: DeclaresRotatedGradCost where Base: DeclaresRotatedGradCost {
    var rawRotatedGradCost: Double { base.rawRotatedGradCost }
}
