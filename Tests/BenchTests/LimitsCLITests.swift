import Foundation
import Testing
import Harness

/// Sizes and counts past the documented limits (`RunLimits`, `IsingModel.maximumSize`) end in one
/// line and exit 2 before anything is allocated or run; each of these crashed, or ran for hours or
/// tried to allocate gigabytes, before the limits existed.
@Suite struct LimitsCLITests {
    @Test(arguments: [
        (["--landscape", "rastrigin", "--trials", "1000000000"], "--trials must be at most 1000000, got 1000000000"),
        (["--landscape", "rastrigin", "--budget", "1e19"], "--budget must lie in 1…1e12 evaluations, got 1e+19"),
        (["--landscape", "rastrigin", "--budget", "1.5e308"], "--budget must lie in 1…1e12 evaluations, got 1.5e+308"),
        (["--landscape", "rastrigin", "--budget", "0.5"], "--budget must lie in 1…1e12 evaluations, got 0.5"),
        (["--landscape", "santoro-80x80", "--budget", "1e19"], "--budget must lie in 1…1e12 evaluations, got 1e+19"),
        (["--landscape", "rastrigin", "--dimension", "100000000"], "--dimension must be at most 1000000, got 100000000"),
        (["tunnel-map", "--classical", "piqa"], "--classical 'piqa': expected distinct optimizers other than the candidate 'piqa'"),
        (["tunnel-map", "--classical", ""], "--classical '': expected distinct optimizers other than the candidate 'piqa'"),
        (["tunnel-map", "--classical", "sa,sa"], "--classical 'sa,sa': expected distinct optimizers"),
        (["tunnel-map", "--candidate", "piqaa"], "--candidate 'piqaa': expected one optimizer of"),
        (["tunnel-map", "--heights", "1,2", "--heights", "1"], "--heights '1,2,1': expected distinct numbers (a value appears twice)"),
        (["tunnel-map", "--widths", "0.5,0.50"], "--widths '0.5,0.50': expected distinct numbers (a value appears twice)"),
        (["tunnel-map", "--widths", "1,3.5"], "--widths/--reference: width 3.5 does not fit the box [−4, 4] (a double well needs bound ≥ 1.25 × width; use --bound 4.375)"),
        (["tunnel-map", "--reference", "1,8"], "--widths/--reference: width 8 does not fit the box [−4, 4]"),
        (["tunnel-map", "--reference", "1"], "--reference '1': expected two positive numbers H,w"),
        (["tunnel-map", "--reference", "1,-2"], "--reference '1,-2': expected two positive numbers H,w"),
        (["tunnel-map", "--bound", "0"], "--bound 0: expected a positive number up to 10^6"),
        (["tunnel-map", "--bound", "1e300"], "--bound 1e+300: expected a positive number up to 10^6"),
        (["tunnel-map", "--calibration", "exact"], "--calibration 'exact'"),
        (["tunnel-map", "--params", "/nonexistent/sa.yaml"], "--params /nonexistent/sa.yaml: file not found (expected YAML with 'optimizer' and 'parameters')"),
    ])
    func inputPastALimitIsRefusedInOneLine(arguments: [String], message: String) throws {
        let output = temporaryDirectory()
        expectOneLineRefusal(try BenchProcess.run(arguments + ["--output", output]), containing: message)
    }

    /// A spin index of 2^63 − 1 in an instance file wrote out of bounds; now the file and line are
    /// named, and the line's contents are not echoed.
    @Test func isingFileWithAHugeSpinIndexIsRefusedWithItsLine() throws {
        let folder = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let instance = (folder as NSString).appendingPathComponent("huge.txt")
        try "1 2 1.0\n1 9223372036854775807 1.0\n".write(toFile: instance, atomically: true, encoding: .utf8)
        let spec = (folder as NSString).appendingPathComponent("huge.yaml")
        try "family: ising-file\nparameters:\n  file: \(instance)\nbudget: 100\ntrials: 2\n".write(toFile: spec, atomically: true, encoding: .utf8)
        let result = try BenchProcess.run(["--landscape", spec, "--output", (folder as NSString).appendingPathComponent("out")])
        expectOneLineRefusal(result, containing: "huge.txt:2: spin index 9223372036854775807 is above the limit of 1000000 spins")
    }
}
