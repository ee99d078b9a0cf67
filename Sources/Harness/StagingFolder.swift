import CFileSystem
import Foundation

/// The system calls that writing and publishing make, one method each, so that a test can make any
/// one of them fail and check what is left on disk. Each returns what the system call returns
/// (−1 with `errno` set on failure).
protocol FileOperations: AnyObject {
    /// mkdtemp(3): `template` ends in XXXXXX; returns the folder created, mode 0700.
    func makeFolder(template: String) -> String?
    func open(_ path: String, flags: Int32, mode: mode_t) -> Int32
    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int
    func sync(_ descriptor: Int32) -> Int32
    func close(_ descriptor: Int32) -> Int32
    func rename(_ from: String, _ to: String) -> Int32
    /// renameat2(2) with RENAME_EXCHANGE: both paths exist and trade places in one step.
    func exchange(_ first: String, _ second: String) -> Int32
    /// Removes a folder and everything in it, following no symbolic link; `false` on failure.
    func removeTree(_ path: String) -> Bool
}

/// The real system calls.
final class SystemFileOperations: FileOperations {
    func makeFolder(template: String) -> String? {
        var bytes = Array(template.utf8CString)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
        }
    }

    func open(_ path: String, flags: Int32, mode: mode_t) -> Int32 { Glibc.open(path, flags, mode) }

    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
        Glibc.write(descriptor, bytes.baseAddress, bytes.count)
    }

    func sync(_ descriptor: Int32) -> Int32 { fsync(descriptor) }
    func close(_ descriptor: Int32) -> Int32 { Glibc.close(descriptor) }
    func rename(_ from: String, _ to: String) -> Int32 { Glibc.rename(from, to) }
    func exchange(_ first: String, _ second: String) -> Int32 { tunnelbench_exchange_paths(first, second) }

    func removeTree(_ path: String) -> Bool {
        // Foundation removes a folder's contents without following the symbolic links inside it.
        (try? FileManager.default.removeItem(atPath: path)) != nil
    }
}

/// The text of the current `errno`.
func systemError() -> String { String(cString: strerror(errno)) }

/// File-name helpers shared by the writers.
enum FileNames {
    /// The last component of `path` by its text ("" for "/" or ".").
    static func last(_ path: String) -> String {
        var text = Substring(path)
        while text.count > 1 && text.hasSuffix("/") { text = text.dropLast() }
        let name = text.split(separator: "/").last.map(String.init) ?? ""
        return name == "." || name == ".." ? "" : name
    }

    /// 12 random letters and digits (about 71 bits): a temporary name nobody can predict.
    static func randomSuffix() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<12).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// The mode a new folder gets from mkdir(2) under the current umask (mkdtemp makes 0700). The
    /// umask is read from /proc/self/status where Linux reports it; elsewhere it is set and
    /// restored, which briefly changes it for other threads.
    static func folderMode() -> mode_t {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
           let mask = mode_t(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8) {
            return 0o777 & ~mask
        }
        let mask = umask(0o022)
        umask(mask)
        return 0o777 & ~mask
    }

    /// Whether `path` names a folder itself (lstat: a symbolic link to a folder is not one).
    static func isFolder(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }
}

/// A file created exclusively (`O_CREAT | O_EXCL | O_NOFOLLOW`, mode 0644 before the umask): it
/// never opens a file that exists or follows a symbolic link planted at its name. `finish()`
/// flushes it to disk (fsync) and closes it.
public final class OutputFile {
    public let path: String
    private var descriptor: Int32
    private let operations: any FileOperations

    private init(path: String, descriptor: Int32, operations: any FileOperations) {
        self.path = path
        self.descriptor = descriptor
        self.operations = operations
    }

    /// Creates `path` exclusively with the real system calls.
    public static func create(at path: String) throws -> OutputFile {
        try create(at: path, operations: SystemFileOperations())
    }

    static func create(at path: String, operations: any FileOperations) throws -> OutputFile {
        guard let file = try createIfFree(at: path, operations: operations) else {
            throw HarnessError("\(path): cannot be created (something already stands at that name; it is never "
                + "overwritten or followed)")
        }
        return file
    }

    /// `nil` when something (a file, a folder, a symbolic link) already stands at `path`.
    static func createIfFree(at path: String, operations: any FileOperations) throws -> OutputFile? {
        let descriptor = operations.open(path, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode: 0o644)
        guard descriptor >= 0 else {
            if errno == EEXIST { return nil }
            throw HarnessError("\(path): cannot be created (\(systemError()))")
        }
        return OutputFile(path: path, descriptor: descriptor, operations: operations)
    }

    /// Text is collected into 64 KiB pieces before it is written, so a file written one short
    /// line at a time (trials.csv) costs one system call per piece, not per line.
    private var buffer = [UInt8]()
    private static let pieceSize = 1 << 16

    public func write(_ text: String) throws {
        guard descriptor >= 0 else { throw HarnessError("\(path): written after it was finished") }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.pieceSize { try flushBuffer() }
    }

    public func write(_ data: Data) throws {
        guard descriptor >= 0 else { throw HarnessError("\(path): written after it was finished") }
        buffer.append(contentsOf: data)
        if buffer.count >= Self.pieceSize { try flushBuffer() }
    }

    private func flushBuffer() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeNow($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeNow(_ bytes: UnsafeRawBufferPointer) throws {
        guard descriptor >= 0 else { throw HarnessError("\(path): written after it was finished") }
        var offset = 0
        while offset < bytes.count {
            let written = operations.write(descriptor, UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw HarnessError("\(path): cannot be written (\(written < 0 ? systemError() : "no progress"))") }
            offset += written
        }
    }

    /// Writes what is collected, then fsync(2) and close(2): after this the file's contents are
    /// on disk.
    public func finish() throws {
        guard descriptor >= 0 else { return }
        do { try flushBuffer() } catch {
            _ = operations.close(descriptor)
            descriptor = -1
            throw error
        }
        let file = descriptor
        descriptor = -1
        guard operations.sync(file) == 0 else {
            let message = systemError()
            _ = operations.close(file)
            throw HarnessError("\(path): cannot be flushed to disk (\(message))")
        }
        guard operations.close(file) == 0 else { throw HarnessError("\(path): cannot be closed (\(systemError()))") }
    }

    deinit {
        if descriptor >= 0 { _ = operations.close(descriptor) }
    }
}

/// fsync(2) on a folder, which makes the names created, renamed or removed in it durable.
func syncFolder(_ path: String, operations: any FileOperations, followLink: Bool = true) throws {
    let descriptor = operations.open(path, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC | (followLink ? 0 : O_NOFOLLOW), mode: 0)
    guard descriptor >= 0 else { throw HarnessError("\(path): cannot be opened to flush it (\(systemError()))") }
    guard operations.sync(descriptor) == 0 else {
        let message = systemError()
        _ = operations.close(descriptor)
        throw HarnessError("\(path): cannot be flushed to disk (\(message))")
    }
    _ = operations.close(descriptor)
}

/// One file's new contents, written in full and flushed under an unpredictable temporary name
/// `.NAME.tmp-XXXXXXXXXXXX` beside it, waiting for `commit()` to rename it over the file.
final class PendingFile {
    let path: String
    let temporary: String
    private let folder: String
    private let operations: any FileOperations
    private var done = false

    init(_ data: Data, for path: String, operations: any FileOperations) throws {
        let name = FileNames.last(path)
        guard !name.isEmpty else { throw HarnessError("\(path): expected a file path") }
        self.path = path
        self.operations = operations
        folder = Baseline.parentFolder(path)
        var file: OutputFile?
        var candidate = ""
        // A taken name (a planted file or link) is skipped, never opened.
        for _ in 0..<16 where file == nil {
            candidate = (folder as NSString).appendingPathComponent(".\(name).tmp-\(FileNames.randomSuffix())")
            do {
                file = try OutputFile.createIfFree(at: candidate, operations: operations)
            } catch {
                throw HarnessError("\(path): cannot be written (\(error))")
            }
        }
        guard let file else { throw HarnessError("\(path): cannot be written (no free temporary name)") }
        temporary = candidate
        do {
            try file.write(data)
            try file.finish()
        } catch {
            unlink(temporary)
            throw HarnessError("\(path): cannot be written (\(error))")
        }
    }

    /// rename(2) over `path` (which replaces a symbolic link there, never its target), then fsync
    /// of the folder.
    func commit() throws {
        done = true
        guard operations.rename(temporary, path) == 0 else {
            let message = systemError()
            unlink(temporary)
            throw HarnessError("\(path): cannot be written (\(message))")
        }
        try syncFolder(folder, operations: operations)
    }

    func discard() {
        guard !done else { return }
        done = true
        unlink(temporary)
    }

    deinit { discard() }
}

/// `writeAtomically` with the given system calls.
func writeAtomically(_ data: Data, to path: String, operations: any FileOperations) throws {
    try PendingFile(data, for: path, operations: operations).commit()
}

/// An exclusive lock on an output (a folder, or a baseline): flock(2) on `.NAME.lock` beside it,
/// held from before any work starts until the result is published or abandoned. The file is opened
/// without following a symbolic link; the holder removes it on release, and a process that locked
/// a file already removed (its inode no longer at the name) tries again. A second process is
/// refused at once, never kept waiting.
public final class FolderLock {
    let path: String
    private var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Locks `.NAME.lock` beside `target` (a file or folder path); `flag` names the option in errors.
    public static func acquire(beside target: String, flag: String) throws -> FolderLock {
        let name = FileNames.last(target)
        guard !name.isEmpty else { throw HarnessError("\(flag) \(target): expected a path that ends in a name") }
        let lock = (Baseline.parentFolder(target) as NSString).appendingPathComponent(".\(name).lock")
        return try acquire(lock, describing: target, flag: flag, what: "the file")
    }

    static func acquire(_ path: String, describing target: String, flag: String, what: String = "the folder") throws -> FolderLock {
        for _ in 0..<64 {
            let descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw HarnessError(errno == ELOOP
                    ? "\(flag) \(target): the lock file \(path) is a symbolic link (it is never followed); remove it"
                    : "\(flag) \(target): cannot create the lock file \(path) (\(systemError()))")
            }
            var held = stat()
            guard fstat(descriptor, &held) == 0, (held.st_mode & S_IFMT) == S_IFREG else {
                close(descriptor)
                throw HarnessError("\(flag) \(target): the lock file \(path) is not a regular file; remove it")
            }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                let busy = errno == EWOULDBLOCK
                let message = systemError()
                close(descriptor)
                throw HarnessError(busy
                    ? "\(flag) \(target): \(what) is held by another run (lock \(path)); wait for it to finish or choose another \(what.dropFirst(4))"
                    : "\(flag) \(target): cannot lock \(path) (\(message))")
            }
            var named = stat()
            if lstat(path, &named) == 0, named.st_dev == held.st_dev, named.st_ino == held.st_ino {
                return FolderLock(path: path, descriptor: descriptor)
            }
            close(descriptor)
        }
        throw HarnessError("\(flag) \(target): cannot lock \(path) (it keeps being replaced)")
    }

    public func release() {
        guard descriptor >= 0 else { return }
        unlink(path)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

/// Where an output folder is built before it is published whole.
///
/// `begin` takes the folder's lock (`.NAME.lock` beside it), checks the target (missing, empty,
/// or an earlier result of the same kind, replaced only with `overwrite`; a folder holding
/// anything else is never replaced), removes stale staging folders left by killed runs, and makes
/// a fresh staging folder `.NAME.partial-XXXXXX` beside the target with mkdtemp(3). The caller
/// writes into `path` (every file created exclusively, see `OutputFile`), then `publish()`: fsync
/// of the staging folder and the parent, then rename(2) when the target does not exist, or
/// renameat2(RENAME_EXCHANGE) when it does, after which the old copy (now at the staging name) is
/// removed and the parent flushed again. Until the rename or exchange the earlier result is
/// untouched; a failure before it, or `abandon()`, removes the staging folder. A run killed
/// mid-way leaves only its staging folder, which the next run into the same target removes.
public final class StagingFolder {
    /// The folder the result is published as.
    public let target: String
    /// The staging folder to write into.
    public private(set) var path = ""
    let parent: String
    let name: String
    private let flag: String
    private let marker: String
    private let overwrite: Bool
    private let operations: any FileOperations
    private var lock: FolderLock?
    /// Whether `begin` created the (empty) target to reserve a unique name.
    private let reserved: Bool
    private var finished = false

    /// Stages a result for `target`. `flag` names the option in errors; `marker` is the file every
    /// result of this kind holds (`run.json` for a run folder), which tells an earlier result from
    /// a folder that is not one.
    public static func begin(target: String, overwrite: Bool, flag: String = "--output", marker: String = "run.json") throws -> StagingFolder {
        try StagingFolder(target: target, overwrite: overwrite, flag: flag, marker: marker, unique: false,
                          operations: SystemFileOperations())
    }

    /// Stages a result for a new folder named `base`, or `base-2`, `base-3`, … when that exists: the
    /// name is reserved with mkdir(2), which fails if the name is taken, so two runs never pick one
    /// name.
    public static func begin(uniqueTarget base: String, flag: String = "--output", marker: String = "run.json") throws -> StagingFolder {
        try StagingFolder(target: base, overwrite: false, flag: flag, marker: marker, unique: true,
                          operations: SystemFileOperations())
    }

    init(target requested: String, overwrite: Bool, flag: String, marker: String, unique: Bool,
         operations: any FileOperations) throws {
        var text = requested
        while text.count > 1 && text.hasSuffix("/") { text.removeLast() }
        let name = FileNames.last(text)
        guard !name.isEmpty else { throw HarnessError("\(flag) \(requested): expected a folder path that ends in a name") }
        let parent = Baseline.parentFolder(text)
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw HarnessError("\(flag) \(requested): cannot create the folder (\(error.localizedDescription))")
        }
        var target = text
        if unique {
            var number = 1
            while mkdir(target, FileNames.folderMode()) != 0 {
                guard errno == EEXIST, number < 10_000 else {
                    throw HarnessError("\(flag) \(requested): cannot create the folder (\(systemError()))")
                }
                number += 1
                target = "\(text)-\(number)"
            }
        }
        self.target = target
        self.name = FileNames.last(target)
        self.parent = parent
        self.flag = flag
        self.marker = marker
        self.overwrite = overwrite
        self.operations = operations
        reserved = unique
        do {
            lock = try FolderLock.acquire((parent as NSString).appendingPathComponent(".\(self.name).lock"),
                                          describing: target, flag: flag)
            _ = try inspectTarget()
            removeStale()
            let template = (parent as NSString).appendingPathComponent(".\(self.name).partial-XXXXXX")
            guard let staging = operations.makeFolder(template: template) else {
                throw HarnessError("\(flag) \(target): cannot create a staging folder in \(parent) (\(systemError()))")
            }
            path = staging
        } catch {
            finished = true
            lock?.release()
            if unique { rmdir(target) }
            throw error
        }
        chmod(path, FileNames.folderMode())
    }

    /// Creates `name` in the staging folder, exclusively and without following a symbolic link.
    public func createFile(named file: String) throws -> OutputFile {
        try OutputFile.create(at: (path as NSString).appendingPathComponent(file), operations: operations)
    }

    /// `true` when the target does not exist; `false` when it is a folder that may be replaced.
    @discardableResult
    func inspectTarget() throws -> Bool {
        var status = stat()
        guard lstat(target, &status) == 0 else {
            guard errno == ENOENT else { throw HarnessError("\(flag) \(target): cannot be inspected (\(systemError()))") }
            return true
        }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: break
        case S_IFLNK: throw HarnessError("\(flag) \(target): is a symbolic link, expected a folder (links are never followed)")
        default: throw HarnessError("\(flag) \(target): is a file, expected a folder")
        }
        let contents: [String]
        do {
            contents = try FileManager.default.contentsOfDirectory(atPath: target)
        } catch {
            throw HarnessError("\(flag) \(target): the folder cannot be read (\(error.localizedDescription))")
        }
        if contents.isEmpty { return false }
        var markerStatus = stat()
        let hasMarker = lstat((target as NSString).appendingPathComponent(marker), &markerStatus) == 0
            && (markerStatus.st_mode & S_IFMT) == S_IFREG
        guard hasMarker else {
            throw HarnessError("\(flag) \(target): the folder is not empty and holds no \(marker), so it is not an output "
                + "folder of bench; it is never replaced, even with --overwrite (choose another folder)")
        }
        guard overwrite else {
            throw HarnessError("\(flag) \(target): the folder holds an earlier result; give --overwrite to replace it whole, "
                + "or choose another folder")
        }
        return false
    }

    /// Removes the staging folders (`.NAME.partial-XXXXXX`) that earlier runs into this target
    /// left behind when they were killed. Only the lock holder calls it, so none of them is in use.
    func removeStale() {
        let prefix = ".\(name).partial-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for entry in entries where entry.hasPrefix(prefix) && entry.count == prefix.count + 6 {
            let stale = (parent as NSString).appendingPathComponent(entry)
            if FileNames.isFolder(stale) { _ = operations.removeTree(stale) }
        }
    }

    /// Publishes the staging folder as the target (see the type's comment). On failure the
    /// earlier result is untouched, the staging folder is removed, and the error names the flag.
    public func publish() throws {
        guard !finished else { throw HarnessError("\(flag) \(target): published or abandoned already") }
        var committed = false
        do {
            try syncFolder(path, operations: operations, followLink: false)
            try syncFolder(parent, operations: operations)
            if try inspectTarget() {
                guard operations.rename(path, target) == 0 else {
                    throw HarnessError("\(flag) \(target): cannot be published (rename: \(systemError()))")
                }
                committed = true
            } else {
                guard operations.exchange(path, target) == 0 else {
                    let unsupported = errno == EINVAL || errno == ENOSYS || errno == ENOTSUP
                    throw HarnessError(unsupported
                        ? "\(flag) \(target): cannot be replaced atomically on this file system (renameat2 RENAME_EXCHANGE: "
                            + "\(systemError())); remove the folder or choose another"
                        : "\(flag) \(target): cannot be published (renameat2 RENAME_EXCHANGE: \(systemError()))")
                }
                committed = true
                // The earlier result now sits at the staging name. Should its removal fail, it is a
                // stale staging folder: the next run into this target removes it.
                _ = operations.removeTree(path)
            }
            // The result is published; a failed flush here only delays its durability.
            try? syncFolder(parent, operations: operations)
        } catch {
            if !committed { abandon() }
            finished = true
            lock?.release()
            throw error
        }
        finished = true
        lock?.release()
    }

    /// Removes the staging folder and releases the lock; the target is left as it was (a name
    /// reserved by `begin(uniqueTarget:)` is removed while still empty). Does nothing after
    /// `publish()`.
    public func abandon() {
        guard !finished else { return }
        finished = true
        if FileNames.isFolder(path) { _ = operations.removeTree(path) }
        if reserved { rmdir(target) }
        lock?.release()
    }

    deinit { abandon() }
}
