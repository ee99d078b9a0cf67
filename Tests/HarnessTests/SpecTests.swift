import Testing
@testable import Harness

@Suite struct LandscapeSpecTests {
    @Test func fullSpecParsesEveryField() throws {
        let spec = try LandscapeSpec.parse(yaml: """
            name: r5
            family: rastrigin
            description: a small Rastrigin
            parameters:
              amplitude: 5
            dimension: 5
            instance: 3
            budget: 5000
            trials: 40
            start: basin
            jitter: 0.02
            tolerances:
              escape-absolute: 1e-5
              escape-relative: 0
              success: 0.2
            """, file: "r5.yaml")
        #expect(spec.name == "r5" && spec.family == "rastrigin")
        #expect(spec.parameters == ["amplitude": "5"])
        #expect(spec.dimension == 5 && spec.instance == 3 && spec.budget == 5000 && spec.trials == 40)
        #expect(spec.start == .basin && spec.jitter == 0.02)
        #expect(spec.escapeAbsolute == 1e-5 && spec.escapeRelative == 0 && spec.success == 0.2)
    }

    @Test func nameAndFamilyDefaultToTheFileName() throws {
        let spec = try LandscapeSpec.parse(yaml: "dimension: 2\n", file: "Landscapes/rastrigin.yaml")
        #expect(spec.name == "rastrigin" && spec.family == "rastrigin")
    }

    @Test func malformedYAMLNamesFileAndLine() {
        #expect(throws: HarnessError("bad.yaml: malformed YAML: line 2, column 13: mapping values are not allowed in this context")) {
            try LandscapeSpec.parse(yaml: "family: rastrigin\ndimension: 3: 4\n", file: "bad.yaml")
        }
    }

    @Test func mistypedFieldNamesFileLineAndExpectation() {
        #expect(throws: HarnessError("s.yaml:2: field 'dimension' is 'ten', expected a whole number ≥ 1")) {
            try LandscapeSpec.parse(yaml: "family: rastrigin\ndimension: ten\n", file: "s.yaml")
        }
        #expect(throws: HarnessError("s.yaml:3: field 'budget' is '-5', expected a number > 0")) {
            try LandscapeSpec.parse(yaml: "family: rastrigin\ndimension: 2\nbudget: -5\n", file: "s.yaml")
        }
        #expect(throws: HarnessError("s.yaml:2: field 'start' is 'random', expected one of local-min, basin, uniform, init")) {
            try LandscapeSpec.parse(yaml: "family: rastrigin\nstart: random\n", file: "s.yaml")
        }
    }

    @Test func unknownFieldIsRejectedWithTheValidOnes() throws {
        let error = try #require(throws: HarnessError.self) {
            try LandscapeSpec.parse(yaml: "family: rastrigin\ndimensions: 3\n", file: "s.yaml")
        }
        #expect(error.description.hasPrefix("s.yaml:2: unknown field 'dimensions' (valid: name, family,"))
    }

    @Test func unknownLandscapeNameListsTheValidOnes() throws {
        let error = try #require(throws: HarnessError.self) {
            try LandscapeResolver.spec(named: "rastrigen", directory: "/nonexistent")
        }
        #expect(error.description.hasPrefix("--landscape: unknown landscape 'rastrigen' (valid: "))
        #expect(error.description.contains("rastrigin"))
    }

    @Test func missingSpecFileIsNamed() {
        #expect(throws: HarnessError("/nonexistent/x.yaml: file not found (expected a landscape spec in YAML)")) {
            try LandscapeResolver.spec(named: "/nonexistent/x.yaml")
        }
    }

    @Test func unknownLandscapeParameterIsAnError() {
        var spec = LandscapeSpec(name: "r", family: "rastrigin")
        spec.parameters = ["amplitud": "3"]
        #expect(throws: (any Error).self) { try ResolvedLandscape(spec) }
    }

    @Test func commandLineOverridesWinOverTheSpec() throws {
        var spec = LandscapeSpec(name: "r", family: "rastrigin")
        spec.dimension = 4
        spec.trials = 7
        let resolved = try ResolvedLandscape(spec, overrides: SpecOverrides(dimension: 3, budget: 99))
        #expect(resolved.dimension == 3 && resolved.trials == 7 && resolved.budget == 99)
    }
}
