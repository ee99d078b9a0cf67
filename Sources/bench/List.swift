import ArgumentParser
import Harness
import Landscapes
import Optimizers

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every landscape and optimizer with its parameters and defaults.")

    func run() throws {
        print(Catalog.text(specs: LandscapeResolver.availableSpecs()), terminator: "")
    }
}

/// The text `bench list` prints.
enum Catalog {
    static func text(specs: [String]) -> String {
        var out = "LANDSCAPES (built-in families; --landscape NAME)\n"
        for family in LandscapeCatalog.families {
            let dims = family.dimensions.lowerBound == family.dimensions.upperBound
                ? "d = \(family.dimensions.lowerBound)" : "d ∈ \(family.dimensions.lowerBound)…\(family.dimensions.upperBound)"
            out += "\n  \(family.name)  (default d = \(family.defaultDimension); \(dims); f*: \(family.optimumStatus.rawValue); "
                + "success ε = \(formatReal(family.tolerances.success)))\n"
            out += "    \(family.summary)\n"
            out += parameterLines(family.parameters)
        }
        out += IsingListing.families()
        if !specs.isEmpty {
            out += "\nSPECS in Landscapes/ (--landscape NAME)\n  " + specs.joined(separator: ", ") + "\n"
        }
        out += "\nOPTIMIZERS (--optimizer a,b; --param name=value)\n"
        for type in OptimizerCatalog.all {
            out += "\n  \(type.name)  (applies to: \(type.kind == .ising ? "Ising" : "continuous") landscapes)\n    \(type.summary)\n"
            out += parameterLines(type.parameterSpecs)
        }
        return out
    }

    static func parameterLines(_ specs: [ParameterSpec]) -> String {
        specs.map { "      \($0.name) = \($0.format($0.defaultValue))  — \($0.summary)\n" }.joined()
    }
}
