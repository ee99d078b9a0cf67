import Foundation
import Landscapes
import Optimizers
import Testing
@testable import Harness

/// The rules behind the one-line refusals of nonsense settings, where each rule lives.
@Suite struct BadInputRuleTests {
    func rastrigin(_ tolerances: String = "", start: String = "uniform", jitter: String = "") throws -> ResolvedLandscape {
        let spec = try LandscapeSpec.parse(yaml: "family: rastrigin\ndimension: 2\ninstance: 0\nstart: \(start)\n\(jitter)\(tolerances)",
                                           file: "r.yaml")
        return try ResolvedLandscape(spec)
    }

    /// σ of more than one box side is no longer a basin: the start is reflected around the box at random.
    @Test func basinJitterAboveOneBoxSideIsRefused() throws {
        #expect(try rastrigin(start: "basin", jitter: "jitter: 1\n").spec.jitter == 1)
        for jitter in ["1.0001", "1e300"] {
            let error = try #require(throws: HarnessError.self) { try rastrigin(start: "basin", jitter: "jitter: \(jitter)\n") }
            #expect(error.description == "r.yaml:5: field 'jitter' is '\(jitter)', expected a number in (0, 1] (σ as a fraction of each box side)")
        }
    }

    /// Textbook Rastrigin in d = 2 ranges over [0, 2·max g] on the box, g(x) = x² − 10 cos 2πx + 10,
    /// whose maximum on [−5.12, 5.12] lies near ±4.52: f_max ≈ 80.71 (computed here on a fine
    /// grid). A tolerance at or above f_max − f* is refused whatever the sample finds; one well
    /// below the sampled range is accepted.
    @Test func toleranceAtLeastTheValueRangeIsRefused() throws {
        let g = { (x: Double) in x * x - 10 * cos(2 * Double.pi * x) + 10 }
        let range = 2 * stride(from: -5.12, through: 5.12, by: 1e-4).map(g).max()!
        #expect(abs(range - 80.71) < 0.01)
        let above = String(range + 0.01)
        for (tolerance, message) in [("escape-absolute: \(above)", "escape tolerances"),
                                     ("escape-relative: 1", "escape tolerances"),
                                     ("success: \(above)", "success tolerance")] {
            let error = try #require(throws: HarnessError.self) { try rastrigin("tolerances:\n  \(tolerance)\n") }
            #expect(error.description.hasPrefix("landscape r (r.yaml): \(message)"), "\(error)")
        }
        let fine = try rastrigin("tolerances:\n  escape-absolute: 5\n  escape-relative: 0.5\n  success: 1\n")
        #expect(fine.tolerances == Tolerances(escapeAbsolute: 5, escapeRelative: 0.5, success: 1))
    }

    /// An Ising energy lies in [−S, S], S = Σ|J| + Σ|h|: the exact bounds, no sampling.
    @Test func isingToleranceAtLeastTheEnergyRangeIsRefused() throws {
        var spec = LandscapeSpec(name: "sk", family: "sk")
        spec.parameters = ["size": "12"]
        let model = try #require(try ResolvedLandscape(spec).ising)
        let couplings = model.edges.reduce(0) { $0 + abs($1.2) }
        spec.escapeAbsolute = 2 * couplings
        #expect(throws: HarnessError.self) { try ResolvedLandscape(spec) }
        spec.escapeAbsolute = couplings / 10
        #expect(try ResolvedLandscape(spec).tolerances.escapeAbsolute == couplings / 10)
    }

    /// local-min and basin need a non-global minimum; sphere (convex) and Rosenbrock in d ≤ 3 have
    /// none (Shang & Qiu 2006), Rosenbrock in d = 4 has one.
    @Test(arguments: [("sphere", 2, "local-min", false), ("sphere", 7, "basin", false), ("sphere", 2, "uniform", true),
                      ("rosenbrock", 2, "local-min", false), ("rosenbrock", 3, "basin", false), ("rosenbrock", 4, "local-min", true)])
    func startProtocolNeedsATrap(family: String, dimension: Int, start: String, accepted: Bool) throws {
        let spec = LandscapeSpec(name: family, family: family)
        let overrides = SpecOverrides(dimension: dimension, start: StartProtocolKind(rawValue: start)!)
        if accepted {
            #expect(try ResolvedLandscape(spec, overrides: overrides).start.rawValue == start)
        } else {
            let error = try #require(throws: HarnessError.self) { try ResolvedLandscape(spec, overrides: overrides) }
            #expect(error.description.contains("\(family) has none in d = \(dimension): no trap exists"))
        }
    }

    /// A double well's minima lie kαH above f*, k = 0…d coordinates in their shallow wells; with
    /// ε = 0.01 (the default) and d = 5 a trap exists only when 5αH > 0.01.
    @Test(arguments: [(["asymmetry": "0.001"], false), (["asymmetry": "0.002"], false), (["asymmetry": "0.0021"], true),
                      (["height": "0.002", "asymmetry": "0.1"], false), (["height": "0.03", "asymmetry": "0.1"], true), ([:], true)])
    func doubleWellNeedsAMinimumAboveTheSuccessTolerance(parameters: [String: String], accepted: Bool) throws {
        var spec = LandscapeSpec(name: "dw", family: "double-well")
        spec.parameters = parameters
        if accepted {
            #expect(try ResolvedLandscape(spec).dimension == 5)
        } else {
            let error = try #require(throws: HarnessError.self) { try ResolvedLandscape(spec) }
            #expect(error.description.contains("within ε = 0.01: no trap exists"), "\(error)")
        }
    }

    /// A gradient method needs a budget of one gradient; a value-only method one evaluation.
    @Test func gradientMethodNeedsABudgetOfOneGradient() throws {
        func plan(_ optimizer: String, budget: Double, gradCost: Double? = nil) throws -> RunPlan {
            let landscape = try ResolvedLandscape(LandscapeSpec(name: "r", family: "rastrigin"), overrides: SpecOverrides(budget: budget))
            return RunPlan(landscapes: [landscape], optimizers: [try OptimizerEntry(name: optimizer)], masterSeed: 1, gradCost: gradCost)
        }
        let cost = Rastrigin(dimension: 2).gradCost
        #expect(throws: HarnessError.self) { try plan("gd", budget: 1).checkBudgets() }
        #expect(throws: HarnessError.self) { try plan("basin-hopping", budget: cost.nextDown.rounded(.down)).checkBudgets() }
        try plan("sa", budget: 1, gradCost: 2).checkBudgets()
        try plan("random-search", budget: 1).checkBudgets()
        try plan("gd", budget: 1, gradCost: 1).checkBudgets()
        try plan("gd", budget: cost).checkBudgets()
    }

    /// The gradient methods are exactly those whose steps call a gradient.
    @Test func gradientMethodsAreMarked() {
        let marked = Set(OptimizerCatalog.all.filter { $0.usesGradients }.map { $0.name })
        #expect(marked == ["gd", "sgd", "momentum", "adam", "basin-hopping", "basin-hopping-scipy", "bfgs-restarts"])
    }

    /// libyaml's reader, scanner and duplicate-key errors carry the file's text; the message keeps
    /// the position and libyaml's fixed sentence only.
    @Test(arguments: ["family: rastrigin\ntoken: s3cret\u{1}value\n", "family: rastrigin\ns3cret: 1\ns3cret: 2\n",
                      "family: rastrigin\ns3cret: [1, 2\n", "\"s3cret password\": 1\n", "family: rastrigin\nstart: s3cret password\n"])
    func yamlErrorsNameThePositionNotTheText(yaml: String) throws {
        let error = try #require(throws: HarnessError.self) { try LandscapeSpec.parse(yaml: yaml, file: "x.yaml") }
        #expect(!error.description.contains("s3cret"), "\(error)")
        #expect(!error.description.contains("\n"), "\(error)")
        #expect(error.description.hasPrefix("x.yaml"))
    }

    @Test func plainNamesAreShownAndOtherTextIsNot() {
        #expect(FileText.isPlain("dimensions") && FileText.isPlain("1e-3") && FileText.isPlain("sa-hot"))
        #expect(!FileText.isPlain("root:*:20228:0:99999:7::") && !FileText.isPlain("two words") && !FileText.isPlain(""))
        #expect(!FileText.isPlain(String(repeating: "a", count: 41)))
    }
}
