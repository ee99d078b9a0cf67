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

    /// Every parameter of every optimizer says what `bench tune` may try: a range that holds the
    /// default and lies inside what the parameter accepts, or a declared reason to hold it. Draws
    /// over the whole unit interval stay in the range, and each one's text (what a tuned
    /// parameter file holds) parses back to the value drawn.
    @Test(arguments: OptimizerCatalog.names)
    func everyParameterDeclaresItsTuning(name: String) throws {
        let definition = try OptimizerCatalog.definition(named: name)
        for spec in definition.parameterSpecs {
            switch spec.tuningRange {
            case .failure(let refusal):
                #expect(refusal.declared, "\(name).\(spec.name): \(refusal.reason)")
                #expect(!refusal.reason.isEmpty)
            case .success(let range):
                #expect(!range.source.isEmpty)
                let grid = (0...200).map { Double($0) / 200 } + [0.999_999_999_999]
                for u in grid {
                    let v = range.draw { u }
                    let text = spec.format(v)
                    let parsed = try #require(spec.parse(text), "\(name).\(spec.name): \(text) from u = \(u) is refused")
                    switch range.values {
                    case .log(let r), .linear(let r), .logComplement(let r):
                        #expect(r.contains(v) && r.contains(spec.defaultValue), "\(name).\(spec.name): \(v), default \(spec.defaultValue), range \(r)")
                        #expect(parsed == v && (!range.integer || v.rounded() == v))
                    case .choices(let values):
                        #expect(values.contains(v) && values.contains(spec.defaultValue) && parsed == v)
                    }
                }
            }
        }
    }

    /// The standard rule on a few shapes of parameter, from its definition in `Tuning`.
    @Test func theStandardRule() throws {
        let real = ParameterSpec("a", default: 0.5, .real(0...1), "")
        guard case .success(let r) = real.tuningRange, case .log(let range) = r.values else { Issue.record("no log range"); return }
        #expect(range == 0.05...1)
        #expect(abs(r.draw { 0 } - 0.05) <= 1e-17 && r.draw { 1 } == 1)
        // Log-uniform: the midpoint of u is the geometric mean of the ends.
        #expect(abs(r.draw { 0.5 } - (0.05 * 1.0).squareRoot()) <= 1e-15)
        let whole = ParameterSpec("n", default: 50, .integer(1...1000), "")
        guard case .success(let w) = whole.tuningRange, case .log(let wr) = w.values else { Issue.record("no log range"); return }
        #expect(wr == 5...500 && w.integer && w.draw { 0.5 } == 50)
        let zero = ParameterSpec("t", default: 0, .real(0...10), "")
        guard case .failure(let refusal) = zero.tuningRange else { Issue.record("a zero default has a range"); return }
        #expect(!refusal.declared)
        // A decay factor near 1: 1 − value log-uniform, so u = ½ gives 1 − √((1 − lo)(1 − hi)).
        var decay = ParameterSpec("b", default: 0.999, .real(0...(1.0).nextDown), "")
        decay.tuning = .logComplement(0.99...0.9999, why: "test")
        guard case .success(let d) = decay.tuningRange, case .logComplement(let dr) = d.values else { Issue.record("no range"); return }
        #expect(dr == 0.99...0.9999 && abs(d.draw { 0 } - 0.99) <= 1e-15 && abs(d.draw { 1 } - 0.9999) <= 1e-15)
        #expect(abs(d.draw { 0.5 } - 0.999) <= 1e-15)
        decay.tuning = .logComplement(0.5...1, why: "test")
        guard case .failure = decay.tuningRange else { Issue.record("a range reaching 1 is accepted"); return }
        // The rule's ends read as written: 1e-5 ÷ 10 is 1e-6, not 1.0000000000000002e-06.
        let small = ParameterSpec("s", default: 1e-5, .real(0...1), "")
        guard case .success(let sr) = small.tuningRange, case .log(let srange) = sr.values else { Issue.record("no log range"); return }
        #expect(srange == 1e-6...1e-4)
        let choice = ParameterSpec("k", default: 1, .choice(["x", "y", "z"]), "")
        guard case .success(let c) = choice.tuningRange else { Issue.record("no choices"); return }
        #expect([0.0, 0.34, 0.67, 0.999].map { u in c.draw { u } } == [0, 1, 2, 2])
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
