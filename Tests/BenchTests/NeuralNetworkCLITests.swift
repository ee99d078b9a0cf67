import Foundation
import Testing

@Suite struct NeuralNetworkCLITests {
    /// `bench list` documents both network families with their parameters, and the minibatch
    /// parameters of sgd and adam.
    @Test func listDocumentsTeacherStudentAndMultilayerPerceptron() throws {
        let result = try BenchProcess.run(["list"])
        #expect(result.status == 0)
        for text in ["teacher-student", "teacher-units", "student-units", "d = n·k", "mlp", "dataset", "two-spirals",
                     "hidden-width", "activation", "cross-entropy", "batch-size", "full-evaluation-interval"] {
            #expect(result.stdout.contains(text), "bench list does not mention \(text)")
        }
    }

    /// A --dimension other than n·k stops with status 2 and names the right value.
    @Test func wrongDimensionForTeacherStudentNamesTheRightOne() throws {
        let result = try BenchProcess.run(["--landscape", "teacher-student", "--dimension", "10", "--quiet"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("36"))
    }
}
