import ArgumentParser
import Harness
import Landscapes
import Optimizers

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every landscape and optimizer with its parameters and defaults.")

    @OptionGroup var externalOptions: ExternalOptions

    func run() throws {
        try externalOptions.registering() { try runRegistered() }
    }

    func runRegistered() throws {
        print(Catalog.text(specs: LandscapeResolver.availableSpecs()), terminator: "")
    }
}

/// The text `bench list` prints.
enum Catalog {
    static func text(specs: [String]) -> String {
        var out = "LANDSCAPES (families; --landscape NAME)\n"
        for family in LandscapeCatalog.families(of: .continuous) {
            guard case .chosen(let d, let range) = family.sizing else { continue }
            let dims = range.lowerBound == range.upperBound ? "d = \(range.lowerBound)" : "d ∈ \(range.lowerBound)…\(range.upperBound)"
            let source = family.source.map { "; external: \($0)" } ?? ""
            let status = family.source != nil && family.optimumStatus == .unknown ? "unknown unless the program declares it"
                : family.optimumStatus.rawValue
            out += "\n  \(family.name)  (default d = \(d); \(dims); f*: \(status); "
                + "success ε = \(formatReal(family.tolerances.success))\(source))\n"
            out += "    \(family.summary)\n"
            out += parameterLines(family.parameters)
        }
        out += "\nISING LANDSCAPES (discrete spins; H(s) = −Σ_{i<j} J_ij s_i s_j − Σ_i h_i s_i; --landscape NAME)\n"
        for family in LandscapeCatalog.families(of: .ising) {
            out += "\n  \(family.name)  (f*: \(family.optimumStatus.rawValue); success ε = \(formatReal(family.tolerances.success)))\n"
            out += "    \(family.summary)\n"
            out += parameterLines(family.parameters)
            for name in family.textParameters { out += "      \(name)  — text (a path relative to the spec, or a number)\n" }
        }
        if !specs.isEmpty {
            out += "\nSPECS in Landscapes/ (--landscape NAME)\n  " + specs.joined(separator: ", ") + "\n"
        }
        out += "\nOPTIMIZERS (--optimizer a,b; --param name=value)\n"
        for definition in OptimizerCatalog.definitions {
            let source = definition.source.map { "; external: \($0)" } ?? ""
            out += "\n  \(definition.name)  (applies to: \(definition.kind == .ising ? "Ising" : "continuous") landscapes\(source))\n"
                + "    \(definition.summary)\n"
            out += parameterLines(definition.parameterSpecs, tuning: definition.kind == .continuous)
        }
        return out
    }

    /// One line per parameter, and for a continuous optimizer's a second with what `bench tune`
    /// draws from (or why it holds the parameter).
    static func parameterLines(_ specs: [ParameterSpec], tuning: Bool = false) -> String {
        specs.map { spec in
            var line = "      \(spec.name) = \(spec.format(spec.defaultValue))  — \(spec.summary)\n"
            guard tuning else { return line }
            switch spec.tuningRange {
            case .success(let range): line += "        tune: \(range.text(spec)), \(range.source)\n"
            case .failure(let refusal): line += "        tune: held, \(refusal.reason)\n"
            }
            return line
        }.joined()
    }
}
