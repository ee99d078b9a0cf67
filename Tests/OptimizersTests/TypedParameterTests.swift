import Landscapes
import Optimizers
import Testing

/// Parameters are declared once, typed, and read back in their own type. What a value reads as
/// is checked against the text a user writes (the spec's own parser and choice names), for every
/// parameter of every optimizer and family, so a new entry is covered without a list to edit.
@Suite struct TypedParameterTests {
    enum Colour: String, ParameterChoice { case red, green, blue }

    static let level = Parameter<Double>("level", default: 0, in: 0...10, "0 = automatic")
    static let count = Parameter<Int>("count", default: 3, in: 1...9, "a count")
    static let on = Parameter<Bool>("on", default: true, "a switch")
    static let colour = Parameter<Colour>("colour", default: .green, "a choice")
    static let specs = [level.spec, count.spec, on.spec, colour.spec]

    @Test func eachTypeReadsBackWhatWasWritten() throws {
        let defaults = ParameterValues(specs: Self.specs)
        #expect(defaults[Self.level] == 0 && defaults.automatic(Self.level) == nil)
        #expect(defaults[Self.count] == 3)
        #expect(defaults[Self.on] == true)
        #expect(defaults[Self.colour] == .green)
        #expect(defaults.canonicalText == "colour=green;count=3;level=0;on=true")

        let set = try ParameterValues(specs: Self.specs, overrides: ["level": "2.5", "count": "9", "on": "off", "colour": "blue"],
                                      owner: "test")
        #expect(set[Self.level] == 2.5 && set.automatic(Self.level) == 2.5)
        #expect(set[Self.count] == 9)
        #expect(set[Self.on] == false)
        #expect(set[Self.colour] == .blue)
        #expect(set.canonicalText == "colour=blue;count=9;level=2.5;on=false")
    }

    @Test func aChoiceIsStoredAsThePositionOfItsName() {
        #expect(Self.colour.spec.kind == .choice(["red", "green", "blue"]))
        for (index, name) in ["red", "green", "blue"].enumerated() {
            #expect(Self.colour.spec.parse(name) == Double(index))
            #expect(Colour(stored: Double(index)).rawValue == name)
        }
    }

    @Test func hasTellsWhetherAParameterBelongsToTheSet() {
        let values = ParameterValues(specs: [Self.count.spec])
        #expect(values.has(Self.count))
        #expect(!values.has(Self.on))
    }

    /// Every choice and flag of every optimizer, set to each value it accepts, builds the
    /// optimizer (a stored index out of its enum would trap), and every real or whole parameter
    /// at the ends of its range builds it or is refused by a parameter rule, never crashes.
    @Test(arguments: OptimizerCatalog.names)
    func everyAcceptedValueOfEveryOptimizerParameterBuilds(name: String) throws {
        let type = try OptimizerCatalog.definition(named: name)
        for spec in type.parameterSpecs {
            let texts: [String]
            switch spec.kind {
            case .choice(let names): texts = names
            case .flag: texts = ["true", "false"]
            case .integer(let range): texts = [String(range.lowerBound), String(range.upperBound)]
            case .real(let range): texts = [range.lowerBound, range.upperBound].filter(\.isFinite).map { formatReal($0) }
            }
            for text in texts {
                do {
                    _ = try OptimizerCatalog.make(name, overrides: [spec.name: text])
                } catch let error as OptimizerError {
                    // Valid alone but impossible with the defaults (a cold end above the hot one).
                    guard case .invalidParameters = error else { throw error }
                }
            }
        }
    }

    /// The same for the families: each choice and flag value builds instance 1 at the family's
    /// default size.
    @Test(arguments: LandscapeCatalog.families.filter { $0.textParameters.isEmpty }.map(\.name))
    func everyChoiceAndFlagOfEveryFamilyBuilds(name: String) throws {
        let family = try #require(LandscapeCatalog.families.first { $0.name == name })
        for spec in family.parameters {
            let texts: [String]
            switch spec.kind {
            case .choice(let names): texts = names
            case .flag: texts = ["true", "false"]
            default: continue
            }
            for text in texts {
                let values = try ParameterValues(specs: family.parameters, overrides: [spec.name: text], owner: name)
                let dimension = family.dimension(requested: nil, parameters: values)
                do {
                    _ = try family.instance(dimension: dimension, instance: 1, parameters: values)
                } catch let error as LandscapeError {
                    // A combination the family refuses with a reason (a rotated optimum outside the box).
                    guard case .invalidParameters = error else { throw error }
                }
            }
        }
    }

    /// An explicit hot/cold pair the wrong way round is refused with one message naming both;
    /// equal ends pass unless the method needs strict cooling; 0 leaves an end automatic.
    @Test func annealingRangeRefusesAColdEndAboveTheHotOne() throws {
        let hot = Parameter<Double>("initial-temperature", default: 0, in: 0...1e300, "T0")
        let cold = Parameter<Double>("final-temperature", default: 0, in: 0...1e300, "T1")
        func read(_ h: String, _ c: String, strictly: Bool = false) throws -> (hot: Double?, cold: Double?) {
            let values = try ParameterValues(specs: [hot.spec, cold.spec], overrides: ["initial-temperature": h, "final-temperature": c],
                                             owner: "optimizer x")
            return try AnnealingRange.read(values, hot: hot, cold: cold, optimizer: "x", strictly: strictly, why: "annealing cools")
        }
        let automatic = try read("0", "5")
        #expect(automatic.hot == nil && automatic.cold == 5)
        let equal = try read("2", "2")
        #expect(equal.hot == 2 && equal.cold == 2)
        #expect(throws: OptimizerError.invalidParameters(
            optimizer: "x", reason: "final-temperature 2 is not below initial-temperature 2; annealing cools")) {
            _ = try read("2", "2", strictly: true)
        }
        #expect(throws: OptimizerError.invalidParameters(
            optimizer: "x", reason: "final-temperature 3 is above initial-temperature 1; annealing cools")) {
            _ = try read("1", "3")
        }
    }
}
