import Foundation
import Testing

@Suite(.serialized) struct ComparisonCLITests {
    /// `bench run` writes comparisons.csv beside the other files and prints the comparisons after
    /// the summary: sa, piqa and pt against random-search, piqa against pt, and the chosen sa–pt.
    @Test func runWritesComparisonsAndPrintsThemAfterTheSummary() throws {
        let out = temporaryDirectory()
        let result = try BenchProcess.run(["--landscape", "double-well", "--dimension", "2", "--trials", "6", "--budget", "200",
                                           "--optimizer", "sa,random-search,piqa,pt", "--compare", "sa,pt", "--output", out])
        #expect(result.status == 0, "\(result.stderr)")
        let csv = try String(contentsOfFile: out + "/comparisons.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(csv.first == (try golden("comparisons-header.txt")).trimmingCharacters(in: .newlines))
        let pairs = csv.dropFirst().map { $0.split(separator: ",").prefix(5).joined(separator: ",") }
        #expect(pairs == [
            "double-well,sa,random-search,reference,escape", "double-well,sa,random-search,reference,success",
            "double-well,piqa,random-search,reference,escape", "double-well,piqa,random-search,reference,success",
            "double-well,piqa,pt,control,escape", "double-well,piqa,pt,control,success",
            "double-well,pt,random-search,reference,escape", "double-well,pt,random-search,reference,success",
            "double-well,sa,pt,chosen,escape", "double-well,sa,pt,chosen,success",
        ])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Summary header + 4 rows, a blank line, pt's diagnostics (a heading, the header, one row),
        // a blank line, two lines stating the test, the header, 10 tests.
        #expect(lines.count == 5 + 1 + 3 + 1 + 2 + 1 + 10 + 1)
        #expect(lines[5].isEmpty && lines[9].isEmpty)
        #expect(lines[6].hasPrefix("diagnostics, the mean over each row's trials"))
        #expect(lines[8].hasPrefix("double-well  pt         swap-acceptance  "))
        #expect(lines[10].hasPrefix("paired comparisons: exact two-sided McNemar test"))
        #expect(lines[13].hasPrefix("double-well  sa         random-search (reference)  escape"))
        #expect(result.stderr.contains("comparisons.csv"))
    }

    /// `--param piqa.beads=16` against the default 8-replica pt: the pair is still tested, but
    /// comparisons.csv and the table say it is not the equal-walker control.
    @Test func piqaWithMoreBeadsThanPtReplicasIsNotLabelledTheControl() throws {
        let out = temporaryDirectory()
        let result = try BenchProcess.run(["--landscape", "double-well", "--dimension", "2", "--trials", "4", "--budget", "200",
                                           "--optimizer", "random-search,piqa,pt", "--param", "piqa.beads=16", "--output", out])
        #expect(result.status == 0, "\(result.stderr)")
        let csv = try String(contentsOfFile: out + "/comparisons.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        let control = csv.filter { $0.hasPrefix("double-well,piqa,pt,") }.map { $0.split(separator: ",").prefix(6).joined(separator: ",") }
        #expect(control == ["double-well,piqa,pt,unequal-walkers,escape,ok", "double-well,piqa,pt,unequal-walkers,success,ok"])
        #expect(result.stdout.contains("pt (unequal walkers: 8 replicas vs 16 beads)"))
        #expect(!result.stdout.contains("(control)"))
    }

    /// `--compare` with an unknown or unselected optimizer, or not a pair: one line naming the
    /// flag, exit 2, nothing on stdout and no output folder.
    @Test(arguments: [
        ("sa,foo", "error: --compare 'sa,foo': 'foo' is not an optimizer (selected: sa, pt)\n"),
        ("sa,gd", "error: --compare 'sa,gd': 'gd' is not selected in this run (selected: sa, pt)\n"),
        ("sa", "error: --compare 'sa': expected two optimizers as a,b (selected: sa, pt)\n"),
        ("sa,pt,gd", "error: --compare 'sa,pt,gd': expected two optimizers as a,b (selected: sa, pt)\n"),
        ("pt,pt", "error: --compare 'pt,pt': an optimizer cannot be compared with itself\n"),
    ])
    func badCompareGetsOneLineAndExitTwo(value: String, message: String) throws {
        let out = temporaryDirectory() + "/never"
        let result = try BenchProcess.run(["--landscape", "double-well", "--optimizer", "sa,pt", "--trials", "2",
                                           "--compare", value, "--output", out])
        #expect(result.status == 2)
        #expect(result.stderr == message)
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
