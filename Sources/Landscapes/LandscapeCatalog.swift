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
        .isingFile,
    ])

    static func registered(_ families: [LandscapeFamily]) -> [LandscapeFamily] {
        var seen = Set<String>()
        for family in families where !seen.insert(family.name).inserted {
            preconditionFailure("landscape registry: two families are named '\(family.name)'")
        }
        return families
    }

    public static var names: [String] { families.map(\.name) }

    /// The families of `kind`, in catalog order.
    public static func families(of kind: LandscapeKind) -> [LandscapeFamily] { families.filter { $0.kind == kind } }

    public static func family(named name: String) throws -> LandscapeFamily {
        guard let family = families.first(where: { $0.name == name }) else {
            throw LandscapeError.unknownFamily(name, valid: names)
        }
        return family
    }
}
