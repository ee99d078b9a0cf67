import Landscapes
import Optimizers

/// The Ising parts of `bench list`.
enum IsingListing {
    static func families() -> String {
        var out = "\nISING LANDSCAPES (discrete spins; H(s) = −Σ_{i<j} J_ij s_i s_j − Σ_i h_i s_i; --landscape NAME)\n"
        for family in IsingCatalog.families {
            out += "\n  \(family.name)  (f*: \(family.optimumStatus.rawValue); success ε = \(formatReal(family.tolerances.success)))\n"
            out += "    \(family.summary)\n"
            out += Catalog.parameterLines(family.parameters)
            for name in family.textParameters { out += "      \(name)  — text (a path relative to the spec, or a number)\n" }
        }
        return out
    }
}
