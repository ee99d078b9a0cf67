import Testing
import Landscapes
@testable import Optimizers

/// The one optimizer registry: every entry of either kind, unique names, seed keys that keep
/// results across renames.
@Suite struct RegistryTests {
    @Test func registryNamesAreUniqueAndSeedKeysUniquePerKind() {
        #expect(OptimizerCatalog.collision(in: OptimizerCatalog.all) == nil)
        #expect(Set(OptimizerCatalog.names).count == OptimizerCatalog.all.count)
        #expect(OptimizerCatalog.names(for: .continuous) + OptimizerCatalog.names(for: .ising) == OptimizerCatalog.names)
    }

    @Test func registryRefusesANameOrSeedKeyCollision() {
        #expect(OptimizerCatalog.collision(in: [SimulatedAnnealing.self, SimulatedAnnealing.self])
                == "two optimizers are named 'sa'")
        // The continuous sa and the discrete sa-spin share the seed key "sa": allowed, since
        // they never run on one landscape; two of one kind with one key would share streams.
        #expect(OptimizerCatalog.collision(in: [SimulatedAnnealing.self, SpinAnnealing.self]) == nil)
        #expect(OptimizerCatalog.collision(in: [SpinAnnealing.self, SameSeedKeyAsSpinAnnealing.self])
                == "two ising optimizers have the seed key 'sa'")
    }

    /// A rename moves no result: each renamed optimizer's seed key is its former name.
    @Test func renamedOptimizersKeepTheirFormerNameAsSeedKey() throws {
        let renames = OptimizerCatalog.formerNames.flatMap { kind, map in map.map { (kind, $0.key, $0.value) } }
        #expect(renames.count == 3)
        for (kind, former, current) in renames {
            let type = try OptimizerCatalog.definition(named: current)
            #expect(type.kind == kind && type.seedKey == former, "\(current)")
        }
        // Every other optimizer's seed key is its name.
        let renamed = Set(renames.map(\.2))
        for type in OptimizerCatalog.all where !renamed.contains(type.name) { #expect(type.seedKey == type.name) }
    }

    @Test(arguments: OptimizerCatalog.names)
    func everyOptimizerBuildsAtItsDefaultsAsItsKindsProtocol(name: String) throws {
        let optimizer = try OptimizerCatalog.make(name)
        switch type(of: optimizer).kind {
        case .continuous: #expect(optimizer is any ContinuousOptimizer && !(optimizer is any SpinOptimizer))
        case .ising: #expect(optimizer is any SpinOptimizer && !(optimizer is any ContinuousOptimizer))
        }
    }

    /// A control names an optimizer of the same kind with a walker count.
    @Test(arguments: controlledNames)
    func classicalControlsAreOfTheSameKindAndCountWalkers(name: String) throws {
        let method = try OptimizerCatalog.definition(named: name)
        let declared = method.classicalControl
        let controlName = try #require(declared)
        let control = try OptimizerCatalog.definition(named: controlName)
        #expect(control.kind == method.kind)
        #expect(method.walkerParameter.map { p in method.parameterSpecs.contains { $0.name == p } } == true)
        #expect(control.walkerParameter.map { p in control.parameterSpecs.contains { $0.name == p } } == true)
    }
}

/// The optimizers that declare a classical control.
let controlledNames: [String] = OptimizerCatalog.all.compactMap { type in type.classicalControl == nil ? nil : type.name }

private struct SameSeedKeyAsSpinAnnealing: SpinOptimizer {
    static let name = "another-sa"
    static let seedKey = "sa"
    static let summary = ""
    static let parameterSpecs: [ParameterSpec] = []
    init(parameters: ParameterValues) throws {}
    func minimize(_ objective: inout SpinObjective, from start: [Int8], using rng: inout Xoshiro256) -> StopReason { .budget }
}
