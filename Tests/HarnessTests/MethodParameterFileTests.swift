import Foundation
import Testing
@testable import Harness

/// A method's parameter file: what it accepts, and one line naming the file for everything else.
@Suite struct MethodParameterFileTests {
    static func write(_ contents: Data, name: String = "params.yaml") throws -> String {
        let dir = NSTemporaryDirectory() + "tunnelbench-params-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + name
        try contents.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aValidFileGivesItsMethodAndParameters() throws {
        let path = try Self.write(Data("optimizer: sa\nparameters: {initial-temperature: 2, final-temperature: 0.002}\n".utf8))
        let file = try MethodParameterFile.load(path)
        #expect(file == MethodParameterFile(optimizer: "sa", parameters: ["initial-temperature": "2", "final-temperature": "0.002"]))
        let bare = try MethodParameterFile.load(try Self.write(Data("optimizer: adam\n".utf8)))
        #expect(bare.parameters.isEmpty)
    }

    @Test(arguments: [
        ("optimizer: sa\nparameters: {initial-temperature: -1}\n", "parameter 'initial-temperature' of optimizer sa"),
        ("optimizer: sa\nparameters: {initial-temperatur: 1}\n", "unknown parameter 'initial-temperatur'"),
        ("optimizer: simulated\n", "unknown optimizer 'simulated'"),
        ("optimizer: sa\nparameters: {initial-temperature: 1, final-temperature: 3}\n", "final-temperature"),
        ("parameters: {step: 1}\n", "field 'optimizer' is missing"),
        ("optimizer: sa\nextra: 1\n", "extra"),
        ("- sa\n- pt\n", "expected a mapping"),
        ("optimizer: [sa\n", "malformed YAML"),
        ("optimizer: sa\nparameters: {initial-temperature: [1, 2]}\n", "a parameter is 'name: value'"),
    ])
    func aBadFileIsRefusedInOneLineNamingIt(contents: String, expected: String) throws {
        let path = try Self.write(Data(contents.utf8))
        #expect {
            _ = try MethodParameterFile.load(path)
        } throws: { error in
            let text = String(describing: error)
            return text.contains(path) && text.contains(expected) && !text.contains("\n")
        }
    }

    @Test func missingDirectoryOversizeAndNonTextFilesAreRefused() throws {
        let dir = NSTemporaryDirectory() + "tunnelbench-params-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let big = try Self.write(Data(repeating: UInt8(ascii: "#"), count: MethodParameterFile.maximumBytes + 1))
        let binary = try Self.write(Data([0xFF, 0xFE, 0x00, 0x81]))
        for (path, expected) in [(dir + "/none.yaml", "file not found"), (dir, "file not found"),
                                 (big, "more than the"), (binary, "UTF-8")] {
            #expect {
                _ = try MethodParameterFile.load(path)
            } throws: { error in
                let text = String(describing: error)
                return text.hasPrefix("--params \(path)") && text.contains(expected) && !text.contains("\n")
            }
        }
    }
}
