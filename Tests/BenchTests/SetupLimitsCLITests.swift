import Foundation
import Testing

/// Family parameters past the documented setup limits end in one line naming the parameter and
/// the limit, exit 2, before the instance is built (each of these ran for minutes, or longer).
@Suite struct SetupLimitsCLITests {
    @Test(arguments: [
        ("family: planted\nparameters:\n  side: 513\n", "parameter 'side' of landscape planted"),
        ("family: planted\nparameters:\n  side: 512\n  loop-density: 2\n", "asks for 524288 loops, above the limit of 262144"),
        ("family: sk\nparameters:\n  size: 4096\n", "parameter 'size' of landscape sk"),
        ("family: ea2d\nparameters:\n  side: 1024\n", "parameter 'side' of landscape ea2d"),
        ("family: regular\nparameters:\n  size: 200000\n  degree: 6\n", "regular size × degree = 1200000 is above the limit of 1000000"),
        ("family: mlp\nparameters:\n  samples: 1000000\n", "samples × weights = 1000000 × 42 is above the limit of 50000"),
        ("family: teacher-student\nparameters:\n  teacher-units: 100\n  student-units: 200\n",
         "200 × 300 × 100 is above the limit of 100000"),
        ("family: gaussian-mixture\ndimension: 100\nparameters:\n  wells: 11\n", "wells × dimension = 11 × 100 is above the limit of 1000"),
        ("family: gaussian-mixture\nparameters:\n  wells: 101\n", "parameter 'wells' of landscape gaussian-mixture"),
    ])
    func familyParametersPastASetupLimitAreRefusedInOneLine(yaml: String, message: String) throws {
        let folder = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let spec = (folder as NSString).appendingPathComponent("limit.yaml")
        try (yaml + "trials: 3\nbudget: 400\n").write(toFile: spec, atomically: true, encoding: .utf8)
        let result = try BenchProcess.run(["--landscape", spec, "--output", (folder as NSString).appendingPathComponent("out")])
        expectOneLineRefusal(result, containing: message)
    }

    /// An instance file of 10⁶ + 1 spins (one coupling naming spin 1 000 001) is refused; 10⁷, the
    /// previous limit, took over a minute to run.
    @Test func isingFileOnePastTheSpinLimitIsRefused() throws {
        let folder = temporaryDirectory()
        let instance = (folder as NSString).appendingPathComponent("big.txt")
        try "1 2 1.0\n2 1000001 1.0\n".write(toFile: instance, atomically: true, encoding: .utf8)
        let spec = (folder as NSString).appendingPathComponent("big.yaml")
        try "family: ising-file\nparameters:\n  file: \(instance)\nbudget: 100\ntrials: 2\n".write(toFile: spec, atomically: true, encoding: .utf8)
        let result = try BenchProcess.run(["--landscape", spec, "--output", (folder as NSString).appendingPathComponent("out")])
        expectOneLineRefusal(result, containing: "big.txt:2: spin index 1000001 is above the limit of 1000000 spins")
    }
}
