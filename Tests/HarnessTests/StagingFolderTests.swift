import Foundation
import Testing
@testable import Harness

/// The real system calls, except that the `failAt`-th call (counting every call from 1) fails
/// with `code`, as a full disk or an I/O error would. `failed` names the call that failed.
final class FailingFileOperations: FileOperations {
    private let system = SystemFileOperations()
    let failAt: Int
    let code: Int32
    private(set) var calls = 0
    private(set) var failed: String?
    /// The calls that succeeded, in order.
    private(set) var succeeded = [String]()

    init(failAt: Int, code: Int32 = EIO) {
        self.failAt = failAt
        self.code = code
    }

    private func fails(_ name: String) -> Bool {
        calls += 1
        guard calls == failAt else {
            succeeded.append(name)
            return false
        }
        failed = name
        errno = code
        return true
    }

    func makeFolder(template: String) -> String? { fails("makeFolder") ? nil : system.makeFolder(template: template) }
    func open(_ path: String, flags: Int32, mode: mode_t) -> Int32 { fails("open") ? -1 : system.open(path, flags: flags, mode: mode) }
    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int { fails("write") ? -1 : system.write(descriptor, bytes) }
    func sync(_ descriptor: Int32) -> Int32 { fails("sync") ? -1 : system.sync(descriptor) }
    func close(_ descriptor: Int32) -> Int32 {
        // A failed close(2) still releases the descriptor.
        let result = system.close(descriptor)
        return fails("close") ? -1 : result
    }
    func rename(_ from: String, _ to: String) -> Int32 { fails("rename") ? -1 : system.rename(from, to) }
    func exchange(_ first: String, _ second: String) -> Int32 { fails("exchange") ? -1 : system.exchange(first, second) }
    func removeTree(_ path: String) -> Bool { fails("removeTree") ? false : system.removeTree(path) }
}

/// A fresh empty folder under the system's temporary folder.
func scratchFolder() -> String {
    let path = NSTemporaryDirectory() + "tunnelbench-staging-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Every entry under `folder` (recursively, links not followed) with its bytes; a symbolic link
/// is recorded as "-> destination".
func snapshot(_ folder: String) -> [String: Data] {
    var result = [String: Data]()
    let manager = FileManager.default
    guard let names = try? manager.contentsOfDirectory(atPath: folder) else { return [:] }
    for name in names {
        let path = (folder as NSString).appendingPathComponent(name)
        if let destination = try? manager.destinationOfSymbolicLink(atPath: path) {
            result[name] = Data("-> \(destination)".utf8)
        } else if FileNames.isFolder(path) {
            result[name + "/"] = Data()
            for (inner, data) in snapshot(path) { result[name + "/" + inner] = data }
        } else {
            result[name] = manager.contents(atPath: path)
        }
    }
    return result
}

/// The names in `folder` that a writer may leave behind: staging folders, lock files, temp files.
func leftovers(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        .filter { $0.contains(".partial-") || $0.hasSuffix(".lock") || $0.contains(".tmp-") }
}

func write(_ files: [String: String], into folder: String) throws {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for (name, text) in files {
        try Data(text.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)))
    }
}

@Suite struct StagingFolderTests {
    static let earlier = ["run.json": "{\"old\": true}\n", "trials.csv": "old trials\n", "traces.csv": "old traces\n",
                          "report.html": "<p>old</p>\n"]
    static let new = ["run.json": "{\"new\": true}\n", "trials.csv": "new trials\n", "summary.csv": "new summary\n"]

    /// Stages `StagingFolderTests.new` for `target` and publishes it with `operations`.
    static func stageAndPublish(_ target: String, overwrite: Bool, operations: any FileOperations) throws {
        let staging = try StagingFolder(target: target, overwrite: overwrite, flag: "--output", marker: "run.json", unique: false,
                                        operations: operations)
        do {
            for (name, text) in new.sorted(by: { $0.key < $1.key }) {
                let file = try staging.createFile(named: name)
                try file.write(text)
                try file.finish()
            }
            try staging.publish()
        } catch {
            staging.abandon()
            throw error
        }
    }

    /// Fails each system call of a publish in turn, the target holding an earlier run: until the
    /// exchange the earlier folder stays byte-identical and no staging folder or lock is left;
    /// a failure after it (removing the old copy) leaves the new folder whole, and the old copy,
    /// a stale staging folder, is removed by the next run into the target.
    @Test(arguments: [EIO, ENOSPC])
    func failureAtEveryStepOfReplacingLeavesTheEarlierFolderIntact(code: Int32) throws {
        let parent = scratchFolder()
        let target = parent + "/run"
        try write(Self.earlier, into: target)
        let before = snapshot(target)
        var failedCalls = Set<String>()
        var step = 1
        while true {
            let operations = FailingFileOperations(failAt: step, code: code)
            var threw = false
            do { try Self.stageAndPublish(target, overwrite: true, operations: operations) } catch { threw = true }
            guard let failed = operations.failed else {
                #expect(!threw)
                break
            }
            failedCalls.insert(failed)
            if !operations.succeeded.contains("exchange") {
                #expect(threw, "step \(step) (\(failed))")
                #expect(snapshot(target) == before, "step \(step) (\(failed))")
            } else {
                // Past the exchange the new folder is in place, whatever fails afterwards.
                #expect(snapshot(target) == Self.new.mapValues { Data($0.utf8) }, "step \(step) (\(failed))")
                let next = try StagingFolder.begin(target: target, overwrite: true)
                next.abandon()
                try FileManager.default.removeItem(atPath: target)
                try write(Self.earlier, into: target)
            }
            #expect(leftovers(parent).isEmpty, "step \(step) (\(failed)): \(leftovers(parent))")
            step += 1
        }
        #expect(failedCalls.isSuperset(of: ["makeFolder", "open", "write", "sync", "close", "exchange", "removeTree"]))
        #expect(snapshot(target) == Self.new.mapValues { Data($0.utf8) })
    }

    /// The same with no earlier folder: a failure before the rename leaves no target at all.
    @Test func failureAtEveryStepOfAFirstPublishLeavesNothing() throws {
        let parent = scratchFolder()
        let target = parent + "/run"
        var failedCalls = Set<String>()
        var step = 1
        while true {
            let operations = FailingFileOperations(failAt: step)
            var threw = false
            do { try Self.stageAndPublish(target, overwrite: false, operations: operations) } catch { threw = true }
            guard let failed = operations.failed else { break }
            failedCalls.insert(failed)
            if !operations.succeeded.contains("rename") {
                #expect(threw, "step \(step) (\(failed))")
                #expect(!FileManager.default.fileExists(atPath: target), "step \(step) (\(failed))")
            } else {
                #expect(snapshot(target) == Self.new.mapValues { Data($0.utf8) })
                try FileManager.default.removeItem(atPath: target)
            }
            #expect(leftovers(parent).isEmpty, "step \(step) (\(failed)): \(leftovers(parent))")
            step += 1
        }
        #expect(failedCalls.isSuperset(of: ["makeFolder", "open", "write", "sync", "close", "rename"]))
        #expect(snapshot(target) == Self.new.mapValues { Data($0.utf8) })
    }

    @Test func earlierRunFolderIsRefusedWithoutOverwriteAndReplacedWholeWithIt() throws {
        let parent = scratchFolder()
        let target = parent + "/run"
        try write(Self.earlier, into: target)
        let before = snapshot(target)
        #expect(throws: HarnessError("--output \(target): the folder holds an earlier result; give --overwrite to replace it whole, "
                                     + "or choose another folder")) {
            try StagingFolder.begin(target: target, overwrite: false)
        }
        #expect(snapshot(target) == before)
        try Self.stageAndPublish(target, overwrite: true, operations: SystemFileOperations())
        // Nothing of the earlier run survives: its traces.csv and report.html are gone.
        #expect(snapshot(target) == Self.new.mapValues { Data($0.utf8) })
        #expect(leftovers(parent).isEmpty)
    }

    @Test func folderThatIsNotARunFolderIsNeverReplaced() throws {
        let parent = scratchFolder()
        let target = parent + "/documents"
        try write(["thesis.tex": "precious\n"], into: target)
        let before = snapshot(target)
        for overwrite in [false, true] {
            #expect(throws: HarnessError("--output \(target): the folder is not empty and holds no run.json, so it is not an output "
                                         + "folder of bench; it is never replaced, even with --overwrite (choose another folder)")) {
                try StagingFolder.begin(target: target, overwrite: overwrite)
            }
        }
        #expect(snapshot(target) == before)
        #expect(leftovers(parent).isEmpty)
    }

    @Test func emptyFolderIsReplacedWithoutOverwrite() throws {
        let parent = scratchFolder()
        let target = parent + "/run"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try Self.stageAndPublish(target, overwrite: false, operations: SystemFileOperations())
        #expect(snapshot(target) == Self.new.mapValues { Data($0.utf8) })
    }

    /// The lock is taken here by this process through its own open file description, as a second
    /// run would find it: refused at once, nothing created.
    @Test func secondRunIntoAFolderWhoseLockIsHeldIsRefused() throws {
        let parent = scratchFolder()
        let target = parent + "/run"
        let lock = Glibc.open(parent + "/.run.lock", O_RDWR | O_CREAT, 0o644)
        #expect(lock >= 0)
        #expect(flock(lock, LOCK_EX | LOCK_NB) == 0)
        #expect(throws: HarnessError("--output \(target): the folder is held by another run (lock \(parent)/.run.lock); "
                                     + "wait for it to finish or choose another folder")) {
            try StagingFolder.begin(target: target, overwrite: true)
        }
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(leftovers(parent) == [".run.lock"])
        close(lock)
        let staging = try StagingFolder.begin(target: target, overwrite: true)
        staging.abandon()
        #expect(leftovers(parent).isEmpty)
    }

    @Test func staleStagingFoldersOfTheTargetAreRemovedAndOthersKept() throws {
        let parent = scratchFolder()
        try write(["trials.csv": "half written\n"], into: parent + "/.run.partial-a1B2c3")
        try write(["trials.csv": "another target's\n"], into: parent + "/.other.partial-a1B2c3")
        // A symbolic link with a staging name: removing it must not touch what it points to.
        try write(["keep.txt": "keep\n"], into: parent + "/victim")
        try FileManager.default.createSymbolicLink(atPath: parent + "/.run.partial-zzzzzz", withDestinationPath: parent + "/victim")
        let staging = try StagingFolder.begin(target: parent + "/run", overwrite: false)
        #expect(!FileManager.default.fileExists(atPath: parent + "/.run.partial-a1B2c3"))
        #expect(FileManager.default.fileExists(atPath: parent + "/.other.partial-a1B2c3/trials.csv"))
        #expect(snapshot(parent + "/victim") == ["keep.txt": Data("keep\n".utf8)])
        #expect(staging.path.hasPrefix(parent + "/.run.partial-"))
        #expect(staging.path.count == (parent + "/.run.partial-").count + 6)
        staging.abandon()
    }

    /// A symbolic link planted at each name the writer uses is never followed: the file it points
    /// to stays byte-identical.
    @Test func plantedSymbolicLinksAreNeverFollowed() throws {
        let parent = scratchFolder()
        let victim = parent + "/victim.txt"
        try Data("do not touch\n".utf8).write(to: URL(fileURLWithPath: victim))
        let manager = FileManager.default

        // At a file name inside the staging folder.
        let staging = try StagingFolder.begin(target: parent + "/run", overwrite: false)
        try manager.createSymbolicLink(atPath: staging.path + "/trials.csv", withDestinationPath: victim)
        #expect(throws: HarnessError.self) { try staging.createFile(named: "trials.csv") }
        staging.abandon()

        // At the lock's name, and at the target's.
        try manager.createSymbolicLink(atPath: parent + "/.locked.lock", withDestinationPath: victim)
        #expect(throws: HarnessError.self) { try StagingFolder.begin(target: parent + "/locked", overwrite: true) }
        try manager.createSymbolicLink(atPath: parent + "/linked", withDestinationPath: parent)
        #expect(throws: HarnessError.self) { try StagingFolder.begin(target: parent + "/linked", overwrite: true) }

        // At writeAtomically's target (replaced, not followed) and at the temporary name it used
        // to take (`.NAME.tmp-PID`).
        try manager.createSymbolicLink(atPath: parent + "/page.html", withDestinationPath: victim)
        try manager.createSymbolicLink(atPath: parent + "/.other.html.tmp-\(getpid())", withDestinationPath: victim)
        try writeAtomically("new page\n", to: parent + "/page.html")
        try writeAtomically("other page\n", to: parent + "/other.html")
        #expect(manager.contents(atPath: parent + "/page.html") == Data("new page\n".utf8))
        #expect(manager.contents(atPath: parent + "/other.html") == Data("other page\n".utf8))
        #expect(manager.contents(atPath: victim) == Data("do not touch\n".utf8))
        #expect((try? manager.destinationOfSymbolicLink(atPath: parent + "/page.html")) == nil)
    }

    @Test func writeAtomicallyTempNamesAreUnpredictable() throws {
        let parent = scratchFolder()
        var names = Set<String>()
        for _ in 0..<2 {
            let pending = try PendingFile(Data("x\n".utf8), for: parent + "/f.csv", operations: SystemFileOperations())
            #expect(pending.temporary.hasPrefix(parent + "/.f.csv.tmp-"))
            #expect(!pending.temporary.hasSuffix("-\(getpid())"))
            names.insert(pending.temporary)
        }
        #expect(names.count == 2)
        #expect(leftovers(parent).isEmpty)
    }

    @Test func writeAtomicallyFailingAtAnyStepLeavesThePreviousFile() throws {
        let parent = scratchFolder()
        let path = parent + "/report.html"
        try writeAtomically("previous\n", to: path)
        var step = 1
        while true {
            let operations = FailingFileOperations(failAt: step)
            var threw = false
            do { try writeAtomically(Data("next\n".utf8), to: path, operations: operations) } catch { threw = true }
            guard let failed = operations.failed else { break }
            let text = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
            if !operations.succeeded.contains("rename") {
                #expect(threw, "step \(step) (\(failed))")
                #expect(text == "previous\n", "step \(step) (\(failed))")
            } else {
                // Only flushing the folder is left after the rename: the new file is in place.
                #expect(text == "next\n", "step \(step) (\(failed))")
                try writeAtomically("previous\n", to: path)
            }
            #expect(leftovers(parent).isEmpty, "step \(step) (\(failed))")
            step += 1
        }
        #expect(step > 5)
        #expect(FileManager.default.contents(atPath: path) == Data("next\n".utf8))
    }

    /// mkdtemp makes its folder 0700; the published folder gets the mode mkdir(2) gives under the
    /// umask, like the folders bench made before staging.
    @Test func publishedFolderHasTheModeMkdirGives() throws {
        let parent = scratchFolder()
        #expect(mkdir(parent + "/plain", 0o777) == 0)
        try Self.stageAndPublish(parent + "/run", overwrite: false, operations: SystemFileOperations())
        var plain = stat(), published = stat()
        #expect(stat(parent + "/plain", &plain) == 0 && stat(parent + "/run", &published) == 0)
        #expect(published.st_mode == plain.st_mode)
    }

    /// Names 250 ms apart in one second differ, and two stagings of one default name get distinct
    /// folders.
    @Test func defaultFolderNamesDoNotCollideWithinOneSecond() throws {
        let first = RunOutput.defaultDirectory(name: "rastrigin", date: Date(timeIntervalSince1970: 0.25))
        let second = RunOutput.defaultDirectory(name: "rastrigin", date: Date(timeIntervalSince1970: 0.5))
        #expect(first == "Results/runs/19700101-000000.250-rastrigin")
        #expect(second == "Results/runs/19700101-000000.500-rastrigin")
        let base = scratchFolder() + "/runs/19700101-000000.250-rastrigin"
        let a = try StagingFolder.begin(uniqueTarget: base)
        let b = try StagingFolder.begin(uniqueTarget: base)
        #expect(a.target == base)
        #expect(b.target == base + "-2")
        try a.publish()
        b.abandon()
        // The name reserved for the abandoned one is released.
        #expect(!FileManager.default.fileExists(atPath: base + "-2"))
    }
}

@Suite struct BaselineWriteTests {
    static func rows(escaped: Int) -> [BaselineRow] {
        let outcomes = (0..<4).map { TrialOutcome(trial: $0, trapped: true, escaped: $0 < escaped, success: $0 < escaped) }
        return [BaselineRow(key: "dw/sa", landscape: "dw", instanceKey: "double-well d=3 i=1", seed: 1, budget: 300,
                            optimizer: "sa", optimizerParameters: "", trials: 4, trapped: 4, escaped: escaped,
                            successes: escaped, outcomes: outcomes)]
    }

    /// `--update-baseline` interrupted at each system call: what is on disk reads as exactly the
    /// old baseline or the new one, or is refused (the old summary beside the new trials fails
    /// its digest); no temporary file is left.
    @Test func interruptedUpdateLeavesTheOldBaselineOrARefusedOne() throws {
        let parent = scratchFolder()
        let path = parent + "/ci.csv"
        let old = Self.rows(escaped: 1), new = Self.rows(escaped: 3)
        var refused = 0
        var step = 1
        while true {
            try Baseline.write(old, to: path)
            let operations = FailingFileOperations(failAt: step)
            var threw = false
            do { try Baseline.write(new, to: path, operations: operations) } catch { threw = true }
            guard operations.failed != nil else { break }
            do {
                let read = try Baseline.read(path)
                #expect(read == old || read == new, "step \(step)")
                if !operations.succeeded.contains("rename") { #expect(threw && read == old, "step \(step)") }
            } catch let error as HarnessError {
                refused += 1
                #expect(error.description.hasPrefix(path), "\(error)")
            }
            #expect(leftovers(parent).isEmpty, "step \(step): \(leftovers(parent))")
            step += 1
        }
        #expect(refused >= 1)
        #expect(try Baseline.read(path) == new)
    }

    @Test func baselineFilesReplaceAPlantedSymbolicLinkWithoutFollowingIt() throws {
        let parent = scratchFolder()
        let victim = parent + "/victim.txt"
        try Data("do not touch\n".utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: parent + "/ci.csv", withDestinationPath: victim)
        try FileManager.default.createSymbolicLink(atPath: parent + "/ci-trials.csv", withDestinationPath: victim)
        try Baseline.write(Self.rows(escaped: 2), to: parent + "/ci.csv")
        #expect(FileManager.default.contents(atPath: victim) == Data("do not touch\n".utf8))
        #expect(try Baseline.read(parent + "/ci.csv") == Self.rows(escaped: 2))
    }
}
