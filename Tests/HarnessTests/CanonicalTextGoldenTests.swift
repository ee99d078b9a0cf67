import Testing
import Landscapes
import Optimizers
@testable import Harness

/// The canonical parameter text seeds instances and optimizer streams and keys baseline rows, so
/// it must stay byte-identical for every existing parameter set however parameters are declared.
/// The golden texts below were printed by the code at commit b1991c9 (before the registries were
/// merged and the discrete optimizers renamed), for every family and optimizer at its defaults.
/// Optimizers are listed by seed key (their name then), so a rename cannot hide a change.
@Suite struct CanonicalTextGoldenTests {
    /// (family, kind, canonical text, identity text: the non-default parameters only).
    static let families: [(String, LandscapeKind, String, String)] = [
        ("sphere", .continuous, "", ""),
        ("rosenbrock", .continuous, "", ""),
        ("rastrigin", .continuous, "amplitude=10", ""),
        ("ackley", .continuous, "a=20;b=0.2;c=6.283185307179586", ""),
        ("griewank", .continuous, "", ""),
        ("schwefel", .continuous, "", ""),
        ("levy", .continuous, "", ""),
        ("styblinski-tang", .continuous, "", ""),
        ("six-hump-camel", .continuous, "", ""),
        ("double-well", .continuous, "asymmetry=0.1;bound=0;height=1;width=1", ""),
        ("gaussian-mixture", .continuous, "confinement=0.05;depth-max=3;depth-min=1;wells=8;width-max=1.5;width-min=0.5", ""),
        ("teacher-student", .continuous, "bound=5;student-units=6;teacher-units=6", ""),
        ("mlp", .continuous, "activation=tanh;bound=5;dataset=xor;hidden-layers=1;hidden-width=8;loss=cross-entropy;noise=0.1;samples=200", ""),
        ("sk", .ising, "couplings=pm;size=64", ""),
        ("ea2d", .ising, "couplings=pm;side=16", ""),
        ("ea3d", .ising, "couplings=pm;side=6", ""),
        ("regular", .ising, "degree=3;size=1024", ""),
        ("ferro-ring", .ising, "field=0.1;size=32", ""),
        ("weak-strong", .ising, "pairs=1", ""),
        ("planted", .ising, "loop-density=0.5;max-coupling=3;side=8", ""),
        ("planted-regular", .ising, "degree=3;loop-density=0.1;max-coupling=3;size=256", ""),
        ("ising-file", .ising, "", ""),
    ]

    /// (seed key, kind, canonical text at the defaults).
    static let optimizers: [(String, LandscapeKind, String)] = [
        ("gd", .continuous, "gradient-tolerance=1e-08;learning-rate=0.001"),
        ("sgd", .continuous, "batch-size=0;final-temperature=0;full-evaluation-interval=0;initial-acceptance=0.8;initial-temperature=0;learning-rate=0.001;probe-step=0.1;temperature-samples=100"),
        ("momentum", .continuous, "gradient-tolerance=1e-08;learning-rate=0.001;momentum=0.9;nesterov=false"),
        ("adam", .continuous, "batch-size=0;beta1=0.9;beta2=0.999;epsilon=1e-08;full-evaluation-interval=0;gradient-tolerance=1e-08;learning-rate=0.001"),
        ("sa", .continuous, "adaptation-batch=50;final-temperature=0;initial-acceptance=0.8;initial-step=0.1;initial-temperature=0;target-acceptance=0.234;temperature-samples=100"),
        ("random-search", .continuous, ""),
        ("pt", .continuous, "adaptation-batch=50;initial-acceptance=0.8;initial-step=0.1;max-temperature=0;min-temperature=0;replicas=8;target-acceptance=0.234;temperature-samples=100"),
        ("pt-adaptive", .continuous, "adaptation-batch=50;batch=20;burn-in=0.4;equilibration=0.1;initial-acceptance=0.8;initial-step=0.1;max-temperature=0;min-temperature=0;replicas=8;target-acceptance=0.234;temperature-samples=100"),
        ("piqa", .continuous, "adaptation-batch=50;anneal-temperature=true;beads=8;final-gamma=0;initial-acceptance=0.8;initial-gamma=0;initial-spread=0.25;initial-step=0.1;kinetic=quadratic;target-acceptance=0.234;temperature=0;temperature-samples=100"),
        ("basin-hopping", .continuous, "adaptation-interval=50;learning-rate=0.001;local-iterations=1000;local-tolerance=1e-05;step=0.05;step-factor=0.9;target-acceptance=0.5;temperature=0;temperature-hops=10"),
        ("basin-hopping-scipy", .continuous, "adaptation-interval=50;ftol=2.220446049250313e-09;gtol=1e-05;hops=0;line-search-steps=20;local-evaluations=15000;local-iterations=15000;memory=10;step=0.5;step-factor=0.9;target-acceptance=0.5;temperature=1"),
        ("gsl-siman", .continuous, "final-temperature=0;initial-acceptance=0.8;initial-temperature=0;iterations-per-temperature=100;step=0.1;temperature-samples=100"),
        ("bfgs-restarts", .continuous, "gradient-tolerance=1e-08;initial-step=0.01;line-tolerance=0.1;max-iterations=10000"),
        ("nelder-mead-restarts", .continuous, "initial-step=0.05;max-iterations=10000;size-tolerance=1e-08"),
        ("differential-evolution", .continuous, "atol=0;mutation-high=1;mutation-low=0.5;polish=true;popsize=15;recombination=0.7;tol=0.01"),
        ("dual-annealing", .continuous, "accept=-5;initial-temp=5230;local-gradient=analytic;local-search=true;maxiter=0;restart-temp-ratio=2e-05;visit=2.62"),
        ("cma-es", .continuous, "incpopsize=2;population=0;restarts=ipop;sigma0=0.25;tolfun=1e-11;tolx=1e-11"),
        ("sa", .ising, "beta-final=0;beta-initial=0;schedule=geometric"),
        ("sqa", .ising, "beta=0;gamma-final=0;gamma-initial=0;global-moves=true;schedule=linear;slices=16"),
        ("pt", .ising, "beta-max=0;beta-min=0;replicas=16"),
        ("greedy-restarts", .ising, ""),
    ]

    @Test func everyFamilysDefaultParameterTextIsUnchanged() throws {
        let built = LandscapeCatalog.families.map { family -> (String, LandscapeKind, String, String) in
            let values = ParameterValues(specs: family.parameters)
            return (family.name, family.kind, values.canonicalText, values.identityText)
        }
        #expect(built.map(\.0).sorted() == Self.families.map(\.0).sorted(), "a family was added or removed: add its golden line")
        for (name, kind, canonical, identity) in Self.families {
            let now = try #require(built.first { $0.0 == name })
            #expect(now.1 == kind, "\(name)")
            #expect(now.2 == canonical, "\(name)")
            #expect(now.3 == identity, "\(name)")
        }
    }

    @Test func everyOptimizersDefaultParameterTextIsUnchangedUnderItsSeedKey() throws {
        let built = OptimizerCatalog.all.map { type in
            (type.seedKey, type.kind, ParameterValues(specs: type.parameterSpecs).canonicalText)
        }
        #expect(built.count == Self.optimizers.count, "an optimizer was added or removed: add its golden line")
        for (key, kind, canonical) in Self.optimizers {
            let now = try #require(built.first { $0.0 == key && $0.1 == kind }, "no \(kind) optimizer has the seed key \(key)")
            #expect(now.2 == canonical, "\(key)")
        }
    }
}
