/// Every built-in landscape family of either kind, in the order `bench list` shows them. One
/// list: adding a family is its file plus one line here, and the registry-wide tests
/// (Tests/LandscapesTests/CatalogPropertyTests.swift, IsingCatalogPropertyTests.swift) then
/// cover it. Names are unique across kinds; a collision stops the program at its first use.
public enum LandscapeCatalog {
    public static let families: [LandscapeFamily] = registered([
        .sphere,
        .rosenbrock,
        .rastrigin,
        .ackley,
        .griewank,
        .schwefel,
        .levy,
        .styblinskiTang,
        .sixHumpCamel,
        .doubleWell,
        .gaussianMixture,
        .teacherStudent,
        .multilayerPerceptron,
        .sk,
        .ea2d,
        .ea3d,
        .regular,
        .ferroRing,
        .weakStrong,
        .planted,
        .plantedRegular,
        .isingFile,
    ])

    static func registered(_ families: [LandscapeFamily]) -> [LandscapeFamily] {
        var seen = Set<String>()
        for family in families where !seen.insert(family.name).inserted {
            preconditionFailure("landscape registry: two families are named '\(family.name)'")
        }
        return families
    }

    /// The families external registry files add (docs/external.md), after the built-in ones.
    /// Bound per task with `withExternal(_:_:)`, so two commands (or two tests) in one process
    /// never see each other's.
    @TaskLocal static var external: [LandscapeFamily] = []

    /// Every family the current command can select: the built-in ones, then the external ones.
    public static var all: [LandscapeFamily] { external.isEmpty ? families : families + external }

    public static var names: [String] { all.map(\.name) }

    /// The families of `kind` the current command can select, in catalog order.
    public static func families(of kind: LandscapeKind) -> [LandscapeFamily] { all.filter { $0.kind == kind } }

    /// Runs `body` with `added` among the families it sees. Refuses a name that is already taken
    /// (by a built-in family or another registry file), naming both; the same file named twice
    /// registers once.
    public static func withExternal<T>(_ added: [LandscapeFamily], _ body: () throws -> T) throws -> T {
        var bound = external
        for family in added {
            if let taken = (families + bound).first(where: { $0.name == family.name }) {
                if taken.source != nil && taken.source == family.source { continue }
                throw LandscapeError.nameTaken(family.name, by: taken.source ?? "a built-in landscape family",
                                               in: family.source ?? "")
            }
            bound.append(family)
        }
        return try $external.withValue(bound, operation: body)
    }

    public static func family(named name: String) throws -> LandscapeFamily {
        guard let family = all.first(where: { $0.name == name }) else {
            throw LandscapeError.unknownFamily(name, valid: names)
        }
        return family
    }
}
