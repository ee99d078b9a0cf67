import Foundation
import Testing
@testable import Landscapes

/// An instance file states each coupling and field once; a repeat was summed silently.
@Suite struct IsingFileRuleTests {
    @Test(arguments: [("1 2 1.0\n2 3 1.0\n1 2 0.5\n", "f.txt:3: coupling (1, 2) is already given on line 1"),
                      ("1 2 1.0\n# comment\n\n2 1 -1.0\n", "f.txt:4: coupling (1, 2) is already given on line 1"),
                      ("3 3 0.5\n1 2 1.0\n3 3 0.5\n", "f.txt:3: the field on spin 3 is already given on line 1")])
    func repeatedCouplingOrFieldIsRefusedWithBothLines(text: String, message: String) {
        let error = #expect(throws: IsingModelError.self) { try IsingModel.parse(edgeList: text, source: "f.txt") }
        #expect(error?.description.hasPrefix(message) == true, "\(String(describing: error))")
    }

    @Test func distinctCouplingsAndFieldsParse() throws {
        let model = try IsingModel.parse(edgeList: "1 2 1.0\n2 3 -1.0\n1 3 0.5\n2 2 0.25\n", source: "f.txt")
        #expect(model.edgeCount == 3 && model.fields == [0, 0.25, 0])
    }

    /// −Σ|J| − Σ|h| is the lowest energy of any state: a declared E* below it is refused, E* at it
    /// (ferromagnetic chain with aligned fields: the all-up state reaches it) is accepted.
    @Test func groundEnergyBelowTheLowestPossibleEnergyIsRefused() throws {
        let folder = NSTemporaryDirectory() + "ising-rule-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "1 2 1.0\n2 3 1.0\n1 1 0.5\n".write(toFile: folder + "/c.txt", atomically: true, encoding: .utf8)
        let family = try #require((try? LandscapeCatalog.family(named: "ising-file")))
        let parameters = try ParameterValues(specs: family.parameters, overrides: [:], owner: "test")
        func build(_ energy: String) throws -> IsingModel {
            try family.isingInstance(0, parameters: parameters, text: ["file": "c.txt", "ground-energy": energy], directory: folder)
        }
        let lowest = -(1.0 + 1.0 + 0.5)
        #expect(try build(String(lowest)).optimum.value == lowest)
        #expect(try build(String(lowest)).energy([1, 1, 1]) == lowest)
        let error = #expect(throws: IsingModelError.self) { try build("-2.6") }
        #expect(error?.description.contains("ground-energy -2.6 is below −Σ|J| − Σ|h| = -2.5") == true)
    }

    @Test func upSpinErrorNamesTheLineNotTheText() {
        let error = #expect(throws: IsingModelError.self) { try IsingModel.parse(upSpins: "1 2\n3 s3cret\n", size: 3, source: "g.txt") }
        #expect(error?.description == "g.txt:2: entry 2 is not a spin index in 1…3")
    }
}
