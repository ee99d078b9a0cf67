import Landscapes
import Optimizers

extension LandscapeKind {
    /// The registry names of the optimizers that apply, in catalog order.
    public var optimizerNames: [String] { OptimizerCatalog.names(for: self) }

    /// The kind of the built-in family `family`, or `nil` for a name no family has.
    public init?(family: String) {
        guard let family = try? LandscapeCatalog.family(named: family) else { return nil }
        self = family.kind
    }
}

/// One optimizer as a run uses it: its registry name, the label its rows carry, its validated
/// parameters, and the built configuration (of either kind).
public struct OptimizerEntry: Sendable {
    public var name: String
    /// What the `optimizer` column shows: the name, unless a suite labels a variant (`sa-hot`).
    /// Seeds use the optimizer's seed key, so neither a label nor a rename changes a result.
    public var label: String
    public var parameters: ParameterValues
    public var optimizer: any Optimizer
    /// What the registry says about it (kind, seed key, whether it takes gradients, its source).
    public var definition: OptimizerDefinition

    /// Builds `name` with `overrides` (parameter name → text) applied to its defaults.
    public init(name: String, label: String? = nil, overrides: [String: String] = [:]) throws {
        definition = try OptimizerCatalog.definition(named: name)
        self.name = name
        self.label = label ?? name
        parameters = try ParameterValues(specs: definition.parameterSpecs, overrides: overrides, owner: "optimizer \(name)")
        optimizer = try definition.build(parameters)
    }

    /// The kind of landscape this entry's optimizer searches.
    public var kind: LandscapeKind { definition.kind }

    /// What the optimizer's random streams derive from (`Optimizer.seedKey`).
    public var seedKey: String { definition.seedKey }

    /// The entries for `landscape`: `names` (default: every optimizer of its kind) built for its
    /// kind, each with the `overrides` its type has. A name that does not apply is an error that
    /// names the valid ones (and the new name of a renamed one).
    public static func entries(for landscape: ResolvedLandscape, names: [String]?,
                               overrides: [String: [String: String]] = [:]) throws -> [OptimizerEntry] {
        let kind = landscape.kind
        let valid = kind.optimizerNames
        return try (names ?? valid).map { name in
            guard valid.contains(name) else {
                throw HarnessError("--optimizer: '\(name)' does not apply to \(kind.rawValue) landscape '\(landscape.spec.name)' "
                    + "(valid: \(valid.joined(separator: ", ")))" + renameNote(name, kind: kind))
            }
            let specs = try OptimizerCatalog.definition(named: name).parameterSpecs
            let own = (overrides[name] ?? [:]).filter { key, _ in specs.contains { $0.name == key } }
            return try OptimizerEntry(name: name, overrides: own)
        }
    }

    /// "; 'sa' on Ising landscapes is now 'sa-spin'" when `name` is a former name for `kind`.
    public static func renameNote(_ name: String, kind: LandscapeKind) -> String {
        guard let now = OptimizerCatalog.formerNames[kind]?[name] else { return "" }
        return "; '\(name)' on \(kind.rawValue) landscapes is now '\(now)'"
    }

    /// The rename note of `name` for whichever kind had it (for an unknown name).
    public static func renameNote(_ name: String) -> String {
        LandscapeKind.allCases.map { renameNote(name, kind: $0) }.joined()
    }

    /// Every optimizer name, in catalog order.
    public static var allNames: [String] { OptimizerCatalog.names }

    /// Parameter specs of `name` (none for an unknown name).
    public static func parameterSpecs(of name: String) -> [ParameterSpec] {
        (try? OptimizerCatalog.definition(named: name).parameterSpecs) ?? []
    }
}
