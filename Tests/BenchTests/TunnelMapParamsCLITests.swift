import Foundation
import Testing

/// `tunnel-map --params`: a method's file is held in every cell, and a file for a method not on
/// the map, or a second file for one, is refused in one line before anything runs.
@Suite struct TunnelMapParamsCLITests {
    static func file(_ text: String) throws -> String {
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/params.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aMethodNotOnTheMapOrASecondFileIsRefused() throws {
        let gd = try Self.file("optimizer: gd\n")
        expectOneLineRefusal(try BenchProcess.run(["tunnel-map", "--params", gd, "--output", temporaryDirectory()]),
                             containing: "--params \(gd): optimizer 'gd' is not on the map (--candidate, --classical)")
        let sa = try Self.file("optimizer: sa\nparameters: {initial-temperature: 2}\n")
        expectOneLineRefusal(try BenchProcess.run(["tunnel-map", "--params", sa, "--params", sa, "--output", temporaryDirectory()]),
                             containing: "a second file for 'sa'; give one file per method")
        let bad = try Self.file("optimizer: sa\nparameters: {initial-temperature: hot}\n")
        expectOneLineRefusal(try BenchProcess.run(["tunnel-map", "--params", bad, "--output", temporaryDirectory()]),
                             containing: "parameter 'initial-temperature' of optimizer sa is 'hot'")
    }

    /// A file tuned on the map's own instance (every cell is instance 0 of the double well) is
    /// refused before anything runs; the same file tuned elsewhere runs.
    @Test func aFileTunedOnTheMapsInstanceIsRefused() throws {
        func tuned(_ instances: String, dimension: Int) throws -> String {
            try Self.file("optimizer: sa\nparameters: {initial-acceptance: 0.5}\ntuning:\n  landscape: double-well\n  family: double-well\n"
                          + "  dimension: \(dimension)\n  budget: 300\n  instances: [\(instances)]\n  seed: 1\n  configurations: 2\n"
                          + "  trials: 1\n  halving: 2\n  metric: \"success rate, then aRT, then median final gap\"\n")
        }
        let output = temporaryDirectory()
        let map = ["tunnel-map", "--classical", "sa", "--heights", "1", "--widths", "1", "--dimension", "2", "--trials", "2", "--budget", "300"]
        let onMap = try tuned("0, 7", dimension: 2)
        expectOneLineRefusal(try BenchProcess.run(map + ["--params", onMap, "--output", output]),
                             containing: "--params \(onMap): its parameters were tuned on instance 0 of double-well (d = 2), the instance every cell")
        #expect(!FileManager.default.fileExists(atPath: output + "/tunnel-map.csv"))
        for other in [try tuned("0, 7", dimension: 3), try tuned("1001, 1002", dimension: 2)] {
            let result = try BenchProcess.run(map + ["--params", other, "--output", temporaryDirectory()])
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    /// basin-hopping's automatic temperature comes from its own hops: refused in fixed mode, with
    /// nothing written, and accepted once a --params file fixes it.
    @Test func aSettingDerivedDuringTheRunIsRefusedUntilAFileFixesIt() throws {
        let output = temporaryDirectory()
        expectOneLineRefusal(try BenchProcess.run(["tunnel-map", "--classical", "basin-hopping", "--heights", "1", "--widths", "1",
                                                   "--trials", "2", "--output", output]),
                             containing: "--calibration fixed: basin-hopping derives its temperature from its own first 10 hops in each trial")
        #expect(!FileManager.default.fileExists(atPath: output + "/tunnel-map.csv"))
        let fixed = try Self.file("optimizer: basin-hopping\nparameters: {temperature: 0.5}\n")
        let result = try BenchProcess.run(["tunnel-map", "--classical", "basin-hopping", "--heights", "1", "--widths", "1", "--dimension", "2",
                                           "--trials", "2", "--budget", "300", "--params", fixed, "--output", output])
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// The file's parameters are what the method runs with: an explicit sa temperature leaves
    /// nothing for the calibration to measure, and tunnel-map.json records it.
    @Test func aParameterFileIsHeldInEveryCell() throws {
        let sa = try Self.file("optimizer: sa\nparameters: {initial-temperature: 2, final-temperature: 0.5}\n")
        let output = temporaryDirectory()
        let result = try BenchProcess.run(["tunnel-map", "--heights", "1", "--widths", "1", "--dimension", "2", "--trials", "4",
                                           "--budget", "300", "--classical", "sa", "--params", sa, "--output", output])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output + "/tunnel-map.json"))) as? [String: Any]
        let calibrations = try #require(json?["calibrations"] as? [[String: Any]])
        let entry = try #require(calibrations.first { $0["optimizer"] as? String == "sa" })
        #expect(entry["parameters"] as? [String: String] == ["initial-temperature": "2", "final-temperature": "0.5"])
        #expect(entry["automaticTemperature"] == nil)
        let cells = try String(contentsOfFile: output + "/tunnel-map.csv", encoding: .utf8)
        #expect(cells.contains(",sa,selection,"))
    }
}
