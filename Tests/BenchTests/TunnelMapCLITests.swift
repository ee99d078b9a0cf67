import Foundation
import Testing

/// `bench tunnel-map` draws its page from the files it wrote, and `bench report` on its folder
/// draws the same page again from them; a damaged folder is refused in one line.
@Suite struct TunnelMapCLITests {
    static let small = ["tunnel-map", "--heights", "1,4", "--widths", "1", "--dimension", "2", "--trials", "3", "--budget", "200",
                        "--classical", "sa,gd", "--threads", "1"]

    func map() throws -> String {
        let out = temporaryDirectory() + "/map"
        let result = try BenchProcess.run(Self.small + ["--output", out, "--figure", out + ".svg"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "wrote \(out)/{tunnel-map.csv,tunnel-comparison.csv,tunnel-map.json,tunnel-map.html} and \(out).svg\n")
        // Stdout is tunnel-comparison.csv.
        #expect(result.stdout == (try String(contentsOfFile: out + "/tunnel-comparison.csv", encoding: .utf8)))
        return out
    }

    @Test func reportOfATunnelMapFolderDrawsItsPageAgain() throws {
        let out = try map()
        let page = try #require(FileManager.default.contents(atPath: out + "/tunnel-map.html"))
        let figure = try String(contentsOfFile: out + ".svg", encoding: .utf8)
        #expect(String(decoding: page, as: UTF8.self).contains(figure.dropLast()))
        try FileManager.default.removeItem(atPath: out + "/tunnel-map.html")
        let again = try BenchProcess.run(["report", out])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == "wrote \(out)/tunnel-map.html\n")
        #expect(FileManager.default.contents(atPath: out + "/tunnel-map.html") == page)
        let elsewhere = try BenchProcess.run(["report", out, "--output", out + "-page.html"])
        #expect(elsewhere.status == 0 && FileManager.default.contents(atPath: out + "-page.html") == page)
    }

    @Test func reportOfADamagedOrMixedTunnelMapFolderIsRefusedInOneLine() throws {
        let out = try map()
        let before = folderContents(out)
        expectOneLineRefusal(try BenchProcess.run(["report", out, out]),
                             containing: "\(out): a tunnel-map folder, which is reported alone (expected it without other folders)")
        try FileManager.default.removeItem(atPath: out + "/tunnel-map.json")
        expectOneLineRefusal(try BenchProcess.run(["report", out]),
                             containing: "\(out)/tunnel-map.json: missing (a tunnel-map folder holds tunnel-map.csv, "
                                + "tunnel-comparison.csv and tunnel-map.json, as bench tunnel-map writes them)")
        var after = before
        after["tunnel-map.json"] = nil
        #expect(folderContents(out) == after)
    }
}
