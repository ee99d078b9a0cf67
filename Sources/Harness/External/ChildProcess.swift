import CFileSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What went wrong talking to an external program.
enum ChildProcessError: Error, Equatable {
    /// The program could not be started.
    case spawn(String)
    /// Its stdout closed (it exited or crashed) before the line the harness waited for: how it
    /// ended ("exited with status 1") and the last line it wrote on stderr.
    case ended(String, stderr: String)
    /// The wall-clock deadline passed while the harness waited on it.
    case timedOut
    /// It sent a line longer than `ChildProcess.maximumLineBytes`.
    case lineTooLong
}

/// An external program on three pipes, run in its own process group (so a program that starts
/// others is stopped with them), spoken to in lines. Every wait has a deadline: a program that
/// stops reading or writing can delay a trial but never hang the run. What it writes on stderr
/// is kept (its last 4 KiB) for the failure reason.
final class ChildProcess {
    /// The longest line accepted from a program: 64 MiB, a batch of 64 points in a million dimensions.
    static let maximumLineBytes = 64 << 20

    let pid: pid_t
    /// How many requests this program has been sent by the session that holds it: a landscape
    /// session numbers its `evaluate` messages with it and requires each reply to carry it back.
    var requests = 0
    private var stdinFD: Int32
    private var stdoutFD: Int32
    private var stderrFD: Int32
    private var pending: [UInt8] = []
    private var stderrTail: [UInt8] = []
    private var exitStatus: Int32?
    /// True once the process is known to be gone (reaped, or not ours to wait for).
    private var gone = false
    private var readBuffer = [UInt8](repeating: 0, count: 1 << 16)

    /// Starts `command` (one command line, run by `/bin/sh` with `exec` so that the program
    /// replaces the shell) in `directory`, with the environment of this process.
    init(command: String, directory: String) throws {
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0], errors: [Int32] = [0, 0]
        // Close-on-exec from the start: a program another thread starts at the same moment must
        // not inherit these pipes (it would hold this program's stdin open after the harness closes it).
        guard tunnelbench_pipe_cloexec(&toChild) == 0, tunnelbench_pipe_cloexec(&fromChild) == 0,
              tunnelbench_pipe_cloexec(&errors) == 0 else {
            throw ChildProcessError.spawn("cannot create pipes: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        // The directory goes in as $0 and the command as $1, never spliced into the script. The
        // command replaces the shell (`exec`), so the program itself holds the pipes: when it
        // closes stdin or exits, the harness sees it at once.
        let argv = ["/bin/sh", "-c", "cd -- \"$0\" || exit 126; eval \"exec $1\"", directory, command]
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, "/bin/sh", &actions, &attributes, &cArgs, environ)
        close(toChild[0]); close(fromChild[1]); close(errors[1])
        guard status == 0 else {
            close(toChild[1]); close(fromChild[0]); close(errors[0])
            throw ChildProcessError.spawn("cannot start /bin/sh: \(String(cString: strerror(status)))")
        }
        pid = child
        // Killed with this process if it is stopped by a signal; removed once reaped.
        _ = tunnelbench_children_add(child)
        stdinFD = toChild[1]
        stdoutFD = fromChild[0]
        stderrFD = errors[0]
        for fd in [stdinFD, stdoutFD, stderrFD] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    deinit { stop() }

    /// The last line (at most 200 characters) the program wrote on stderr, or "" for none.
    var lastErrorLine: String {
        let text = String(decoding: stderrTail, as: UTF8.self)
        let line = text.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }

    /// Writes `bytes` and a newline, waiting at most until `deadline`.
    func send(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws {
        var message = bytes
        message.append(0x0A)
        var offset = 0
        while offset < message.count {
            let n = message.withUnsafeBytes { writeWithoutSIGPIPE(stdinFD, $0.baseAddress! + offset, $0.count - offset) }
            if n > 0 { offset += n; continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno != EAGAIN { throw ended() }
            try wait(for: stdinFD, events: Int16(POLLOUT), deadline: deadline)
        }
    }

    /// write(2), except that a write to a program that has exited fails with EPIPE instead of
    /// killing the harness: SIGPIPE is blocked on this thread for the call, and the one the write
    /// raised (it is directed at the writing thread) is taken before it is unblocked. The
    /// process-wide disposition stays as it is, so `bench run | head` still ends quietly.
    private func writeWithoutSIGPIPE(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        var pipeSignal = sigset_t(), previous = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        let n = write(fd, buffer, count)
        let error = errno
        if n < 0 && error == EPIPE {
            var now = timespec(tv_sec: 0, tv_nsec: 0)
            _ = sigtimedwait(&pipeSignal, nil, &now)
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        errno = error
        return n
    }

    /// The next line the program writes (without its newline), waiting at most until `deadline`.
    func receive(deadline: ContinuousClock.Instant) throws -> [UInt8] {
        var scanned = 0
        while true {
            if let newline = pending[scanned...].firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                return line
            }
            scanned = pending.count
            guard pending.count <= Self.maximumLineBytes else { throw ChildProcessError.lineTooLong }
            let n = readBuffer.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress!, $0.count) }
            if n > 0 { pending.append(contentsOf: readBuffer[..<n]); continue }
            if n == 0 { throw ended() }
            if errno == EINTR { continue }
            guard errno == EAGAIN else { throw ended() }
            try wait(for: stdoutFD, events: Int16(POLLIN), deadline: deadline)
        }
    }

    /// Polls `fd` for `events` (draining stderr meanwhile) until it is ready or `deadline` passes.
    private func wait(for fd: Int32, events: Int16, deadline: ContinuousClock.Instant) throws {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { throw ChildProcessError.timedOut }
            let (seconds, attoseconds) = left.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            var fds = [pollfd(fd: fd, events: events, revents: 0), pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, stderrFD >= 0 ? 2 : 1, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            if stderrFD >= 0 && fds[1].revents != 0 { drainStderr() }
            if fds[0].revents != 0 { return }
        }
    }

    private func drainStderr() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(stderrFD, $0.baseAddress!, $0.count) }
            if n > 0 {
                stderrTail.append(contentsOf: buffer[..<n])
                if stderrTail.count > 4096 { stderrTail.removeFirst(stderrTail.count - 4096) }
                continue
            }
            if n == 0 { close(stderrFD); stderrFD = -1 }
            return
        }
    }

    /// Why the program stopped talking: its exit status (after reaping it, waiting at most a
    /// second) and the last line of its stderr.
    private func ended() -> ChildProcessError {
        if stderrFD >= 0 { drainStderr() }
        let status = reap(within: .seconds(1))
        let text: String
        switch status {
        case .some(let s) where s & 0x7F == 0: text = "exited with status \((s >> 8) & 0xFF)"
        case .some(let s): text = "was killed by signal \(s & 0x7F)"
        case .none: text = "closed its output"
        }
        return .ended(text, stderr: lastErrorLine)
    }

    /// Waits up to `limit` for the program to exit, and returns its raw wait status, or `nil` if
    /// it is still running.
    @discardableResult
    func reap(within limit: Duration) -> Int32? {
        if let exitStatus { return exitStatus }
        let deadline = ContinuousClock.now + limit
        while true {
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { exitStatus = status; gone = true; tunnelbench_children_remove(pid); return status }
            if r < 0 && errno != EINTR { gone = true; tunnelbench_children_remove(pid); return nil }
            if ContinuousClock.now >= deadline { return nil }
            usleep(2_000)
        }
    }

    /// Closes the program's stdin: it reads end of file.
    func closeInput() {
        if stdinFD >= 0 { close(stdinFD); stdinFD = -1 }
    }

    /// Closes the program's stdin (it may exit on its own), waits up to `grace`, then kills its
    /// process group and reaps it. Safe to call more than once.
    func stop(grace: Duration = .zero) {
        if stdinFD >= 0 { close(stdinFD); stdinFD = -1 }
        if !gone, reap(within: grace) == nil, !gone {
            kill(-pid, SIGKILL)
            reap(within: .seconds(5))
        }
        if stdoutFD >= 0 { close(stdoutFD); stdoutFD = -1 }
        if stderrFD >= 0 { close(stderrFD); stderrFD = -1 }
    }
}
