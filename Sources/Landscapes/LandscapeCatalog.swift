/// Every built-in landscape family, in the order `bench list` shows them.
public enum LandscapeCatalog {
    public static let families: [LandscapeFamily] = [
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
    ]

    public static var names: [String] { families.map(\.name) }

    public static func family(named name: String) throws -> LandscapeFamily {
        guard let family = families.first(where: { $0.name == name }) else {
            throw LandscapeError.unknownFamily(name, valid: names)
        }
        return family
    }
}
