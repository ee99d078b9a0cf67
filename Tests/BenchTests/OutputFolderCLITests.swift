import Foundation
import Testing
import Harness

/// Every file under `folder` with its bytes (links recorded by destination, not followed).
func folderContents(_ folder: String) -> [String: Data] {
    var result = [String: Data]()
    let manager = FileManager.default
    for name in (try? manager.contentsOfDirectory(atPath: folder)) ?? [] {
        let path = (folder as NSString).appendingPathComponent(name)
        if let destination = try? manager.destinationOfSymbolicLink(atPath: path) {
            result[name] = Data("-> \(destination)".utf8)
        } else if let data = manager.contents(atPath: path) {
            result[name] = data
        } else {
            for (inner, data) in folderContents(path) { result[name + "/" + inner] = data }
        }
    }
    return result
}

/// What a run or a killed run may leave beside its output folder.
func stagingLeftovers(_ parent: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [])
        .filter { $0.contains(".partial-") || $0.hasSuffix(".lock") || $0.contains(".tmp-") }
}

/// `--output` folders: an earlier result is replaced only with `--overwrite`, and then whole; a
/// folder that holds something else is never replaced; two runs never write into one folder; the
/// folder appears complete or not at all.
@Suite(.serialized) struct OutputFolderCLITests {
    static let small = ["--landscape", "rastrigin", "--dimension", "2", "--trials", "2", "--budget", "100", "--optimizer", "gd",
                        "--quiet"]

    /// A run folder with traces.csv and report.html, in a fresh parent folder.
    func earlierRun() throws -> (parent: String, out: String) {
        let parent = temporaryDirectory()
        let out = parent + "/out"
        let first = try BenchProcess.run(Self.small + ["--trace", "1", "--report", "--output", out])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(FileManager.default.fileExists(atPath: out + "/traces.csv"))
        #expect(FileManager.default.fileExists(atPath: out + "/report.html"))
        return (parent, out)
    }

    @Test func existingRunFolderIsRefusedWithoutOverwriteAndLeftByteIdentical() throws {
        let (parent, out) = try earlierRun()
        let before = folderContents(out)
        let second = try BenchProcess.run(Self.small + ["--seed", "2", "--output", out])
        expectOneLineRefusal(second, containing: "--output \(out): the folder holds an earlier result; give --overwrite to replace it whole")
        #expect(folderContents(out) == before)
        #expect(stagingLeftovers(parent).isEmpty)
    }

    @Test func overwriteReplacesTheFolderWholeLeavingNoStaleFile() throws {
        let (parent, out) = try earlierRun()
        let second = try BenchProcess.run(Self.small + ["--seed", "2", "--output", out, "--overwrite"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(Set(folderContents(out).keys) == ["trials.csv", "summary.csv", "comparisons.csv", "run.json"])
        #expect(String(decoding: folderContents(out)["run.json"]!, as: UTF8.self).contains("\"masterSeed\" : 2"))
        #expect(stagingLeftovers(parent).isEmpty)
    }

    @Test func folderThatIsNotARunFolderIsRefusedEvenWithOverwrite() throws {
        let parent = temporaryDirectory()
        let out = parent + "/papers"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "precious\n".write(toFile: out + "/thesis.tex", atomically: false, encoding: .utf8)
        for extra in [[], ["--overwrite"]] {
            let result = try BenchProcess.run(Self.small + ["--output", out] + extra)
            expectOneLineRefusal(result, containing: "--output \(out): the folder is not empty and holds no run.json")
        }
        #expect(folderContents(out) == ["thesis.tex": Data("precious\n".utf8)])
        #expect(stagingLeftovers(parent).isEmpty)
    }

    /// The lock is held by this test process, as a run in progress holds it: the second run is
    /// refused at once and writes nothing.
    @Test func runIntoAFolderHeldByAnotherRunIsRefused() throws {
        let (parent, out) = try earlierRun()
        let before = folderContents(out)
        let lock = open(parent + "/.out.lock", O_RDWR | O_CREAT, 0o644)
        defer { close(lock) }
        #expect(flock(lock, LOCK_EX | LOCK_NB) == 0)
        let second = try BenchProcess.run(Self.small + ["--output", out, "--overwrite"])
        expectOneLineRefusal(second, containing: "--output \(out): the folder is held by another run (lock \(parent)/.out.lock)")
        #expect(folderContents(out) == before)
        #expect(stagingLeftovers(parent) == [".out.lock"])
    }

    /// A killed run leaves its staging folder (and an unheld lock file); the next run into the
    /// same folder removes them.
    @Test func staleStagingFolderIsRemovedByTheNextRun() throws {
        let parent = temporaryDirectory()
        let stale = parent + "/.out.partial-Ab12Cd"
        try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: true)
        try "landscape,fam".write(toFile: stale + "/trials.csv", atomically: false, encoding: .utf8)
        #expect(FileManager.default.createFile(atPath: parent + "/.out.lock", contents: nil))
        let result = try BenchProcess.run(Self.small + ["--output", parent + "/out"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(stagingLeftovers(parent).isEmpty)
        #expect(Set(folderContents(parent + "/out").keys) == ["trials.csv", "summary.csv", "comparisons.csv", "run.json"])
    }

    /// Symbolic links planted where bench writes are never followed: the files they point to stay
    /// byte-identical.
    @Test func plantedSymbolicLinksAreNeverFollowed() throws {
        let parent = temporaryDirectory()
        let victim = parent + "/victim.txt"
        try "do not touch\n".write(toFile: victim, atomically: false, encoding: .utf8)
        let manager = FileManager.default

        // --output naming a link to a folder, and a link at the lock's name.
        try manager.createDirectory(atPath: parent + "/elsewhere", withIntermediateDirectories: true)
        try manager.createSymbolicLink(atPath: parent + "/linked", withDestinationPath: parent + "/elsewhere")
        expectOneLineRefusal(try BenchProcess.run(Self.small + ["--output", parent + "/linked"]),
                             containing: "--output \(parent)/linked: is a symbolic link, expected a folder")
        #expect(folderContents(parent + "/elsewhere").isEmpty)
        try manager.createSymbolicLink(atPath: parent + "/.out.lock", withDestinationPath: victim)
        expectOneLineRefusal(try BenchProcess.run(Self.small + ["--output", parent + "/out"]),
                             containing: "the lock file \(parent)/.out.lock is a symbolic link")

        // bench report --output at a link: the link is replaced, its target kept.
        let (_, run) = try earlierRun()
        try manager.createSymbolicLink(atPath: parent + "/page.html", withDestinationPath: victim)
        let report = try BenchProcess.run(["report", run, "--output", parent + "/page.html"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect((try? manager.destinationOfSymbolicLink(atPath: parent + "/page.html")) == nil)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "do not touch\n")
        #expect(stagingLeftovers(parent) == [".out.lock"])  // the planted link, left alone
    }

    /// A run killed with SIGKILL once its staging folder exists (mid-run, mid-write or
    /// mid-publish: where exactly varies, the verdict does not) leaves the earlier folder
    /// byte-identical or the new one complete, never a mix; the next run removes what it left.
    @Test func runKilledMidwayLeavesTheOldFolderOrTheNewOneNeverAMix() throws {
        let (parent, out) = try earlierRun()
        let before = folderContents(out)
        let process = Process()
        process.executableURL = BenchProcess.executable
        process.arguments = ["--landscape", "rastrigin", "--dimension", "2", "--trials", "3000", "--budget", "2000",
                             "--optimizer", "gd,random-search", "--seed", "2", "--threads", "1", "--quiet",
                             "--output", out, "--overwrite"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait (without a deadline on the child's speed) until the staging folder exists or the
        // run is over, then kill it.
        while process.isRunning && !stagingLeftovers(parent).contains(where: { $0.hasPrefix(".out.partial-") }) {
            usleep(1_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let after = folderContents(out)
        if after != before {
            #expect(Set(after.keys) == ["trials.csv", "summary.csv", "comparisons.csv", "run.json"])
            #expect(String(decoding: after["run.json"] ?? Data(), as: UTF8.self).contains("\"masterSeed\" : 2"))
        }
        let next = try BenchProcess.run(Self.small + ["--output", out, "--overwrite"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(stagingLeftovers(parent).isEmpty)
    }

    @Test func defaultFolderNamesOfTwoRunsAreDistinct() throws {
        let cwd = temporaryDirectory()
        for _ in 0..<2 {
            let result = try BenchProcess.run(Array(Self.small.dropLast()), in: cwd)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let runs = try FileManager.default.contentsOfDirectory(atPath: cwd + "/Results/runs").sorted()
        #expect(runs.count == 2, "\(runs)")
        // yyyyMMdd-HHmmss.SSS-rastrigin, with "-2" when two runs fall on the same millisecond.
        for name in runs {
            #expect(name.range(of: #"^\d{8}-\d{6}\.\d{3}-rastrigin(-\d+)?$"#, options: .regularExpression) != nil, "\(name)")
        }
    }

    /// `bench check --output` and `bench tunnel-map --output` follow the same rules, checked
    /// before any work: a run folder is not a tunnel map's folder.
    @Test func checkAndTunnelMapRefuseAnExistingFolderBeforeWorking() throws {
        let (parent, out) = try earlierRun()
        let before = folderContents(out)
        let suite = parent + "/suite.yaml"
        try "name: tiny\nseed: 3\ntrials: 2\noptimizers: [sa]\nlandscapes:\n  - {name: dw, family: double-well, dimension: 2, budget: 100}\n"
            .write(toFile: suite, atomically: false, encoding: .utf8)
        let check = try BenchProcess.run(["check", "--suite", suite, "--baseline", parent + "/b.csv", "--update-baseline",
                                          "--output", out])
        expectOneLineRefusal(check, containing: "--output \(out): the folder holds an earlier result; give --overwrite")
        let map = try BenchProcess.run(["tunnel-map", "--heights", "1", "--widths", "1", "--dimension", "2", "--trials", "2",
                                        "--output", out, "--overwrite"])
        expectOneLineRefusal(map, containing: "--output \(out): the folder is not empty and holds no tunnel-map.csv")
        #expect(folderContents(out) == before)
        #expect(!FileManager.default.fileExists(atPath: parent + "/b.csv"))
    }

    /// Two updates of one baseline never interleave their files: the second is refused at once
    /// while the first (here this test process) holds the lock.
    @Test func updateOfABaselineHeldByAnotherRunIsRefused() throws {
        let parent = temporaryDirectory()
        let suite = parent + "/suite.yaml"
        try "name: tiny\nseed: 3\ntrials: 2\noptimizers: [sa]\nlandscapes:\n  - {name: dw, family: double-well, dimension: 2, budget: 100}\n"
            .write(toFile: suite, atomically: false, encoding: .utf8)
        let lock = open(parent + "/.b.csv.lock", O_RDWR | O_CREAT, 0o644)
        defer { close(lock) }
        #expect(flock(lock, LOCK_EX | LOCK_NB) == 0)
        let update = try BenchProcess.run(["check", "--suite", suite, "--baseline", parent + "/b.csv", "--update-baseline"])
        expectOneLineRefusal(update, containing: "--baseline \(parent)/b.csv: the file is held by another run (lock \(parent)/.b.csv.lock)")
        #expect(!FileManager.default.fileExists(atPath: parent + "/b.csv"))
    }

    @Test func updateBaselineReplacesPlantedLinksWithoutFollowingThem() throws {
        let parent = temporaryDirectory()
        let victim = parent + "/victim.txt"
        try "do not touch\n".write(toFile: victim, atomically: false, encoding: .utf8)
        let suite = parent + "/suite.yaml"
        try "name: tiny\nseed: 3\ntrials: 2\noptimizers: [sa]\nlandscapes:\n  - {name: dw, family: double-well, dimension: 2, budget: 100}\n"
            .write(toFile: suite, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: parent + "/b.csv", withDestinationPath: victim)
        try FileManager.default.createSymbolicLink(atPath: parent + "/b-trials.csv", withDestinationPath: victim)
        let update = try BenchProcess.run(["check", "--suite", suite, "--baseline", parent + "/b.csv", "--update-baseline"])
        #expect(update.status == 0, "\(update.stderr)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "do not touch\n")
        #expect(try BenchProcess.run(["check", "--suite", suite, "--baseline", parent + "/b.csv"]).status == 0)
        #expect(stagingLeftovers(parent).isEmpty)
    }
}
