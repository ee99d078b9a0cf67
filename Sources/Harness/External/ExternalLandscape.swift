import Foundation
import Landscapes
import Optimizers

/// One instance of an external landscape (`ExternalLandscapeFile`): the program evaluates what the
/// harness asks, and the harness does everything else, as for a built-in family (counting and
/// charging in `Objective`, the start protocols and the reference quench, the incumbent's recheck).
///
/// The instance is shared by the worker threads: an evaluation takes an idle program of this
/// instance (or starts one, which is sent the instance and answers `ready`), asks, and gives it
/// back. Idle programs of all instances together are at most `maximumIdle`, the oldest stopped
/// past it, so a suite of many instances never holds a program per instance. A program's answers
/// must depend on the point, the instance and the parameters alone, so which program answers
/// never matters.
///
/// Without `gradient: true` a gradient is central differences, one batch of 2d + 1 points (the
/// point and x ± h·e_i with h = ∛ε·max(1, |x_i|), the step taken inward at a wall) charged as 2d + 1
/// value evaluations. The first failure (a crash, malformed or incomplete reply, a value that is not
/// finite, a request past `timeout-seconds`) is kept in `programFailure`: every value after it is
/// NaN and the run stops (exit 3), since a landscape that stops answering is not an outcome.
final class ExternalLandscape: ContinuousLandscape, @unchecked Sendable {
    let file: ExternalLandscapeFile
    let dimension: Int
    let domain: Box
    let optimum: KnownOptimum
    let gradCost: Double
    /// The setup limit's unit: a reference quench (10⁸ units) makes at most 10,000 value-and-gradient
    /// evaluations of an external landscape, a trial's start at most 50,000.
    static let work = 1e4
    var evaluationWork: Double { Self.work }

    private let greeting: [UInt8]
    private let lock = NSLock()
    private var failure: String?
    /// The largest number of points one request holds.
    static let maximumBatch = 4096
    /// The largest number of coordinates one request holds (about 20 MB of JSON): a batch of
    /// central differences in large d is sent in pieces, each built as it is sent.
    static let maximumCoordinates = 1 << 20

    /// Idle programs of every instance, oldest first, with the instance each was started for.
    nonisolated(unsafe) private static var idle: [(owner: ObjectIdentifier, program: ChildProcess)] = []
    private static let idleLock = NSLock()
    /// How many idle programs are kept, all instances together: enough for every worker thread.
    static let maximumIdle = max(64, 2 * ProcessInfo.processInfo.activeProcessorCount)

    /// Builds the instance and starts its first program, whose `ready` may carry the instance's
    /// own optimum (`{"type": "ready", "optimum": {"value": f*, "status": "exact"}}`, which
    /// replaces the registry file's); a program that does not start stops the run.
    init(file: ExternalLandscapeFile, request: InstanceRequest) throws {
        self.file = file
        dimension = request.dimension
        domain = Box(cube: file.lower, file.upper, dimension: request.dimension)
        var optimum = file.optimum
        gradCost = file.gradCost(dimension: request.dimension)
        var json = JSONWriter()
        json.raw("{\"type\":\"landscape\",\"protocol\":2,\"dimension\":\(request.dimension)")
        json.key("lower"); json.numbers(domain.lower)
        json.key("upper"); json.numbers(domain.upper)
        json.raw(",\"instance\":\(request.instance),\"seed\":\(request.seed),\"gradient\":\(file.providesGradient),\"parameters\":")
        json.bytes.append(contentsOf: ExternalOptimizer.parametersJSON(request.parameters))
        json.raw("}")
        greeting = json.bytes
        let first: (ChildProcess, KnownOptimum?)
        do { first = try Self.start(file: file, greeting: greeting, dimension: dimension) } catch {
            throw RunAborted("external landscape '\(file.name)' \(Self.reason(error, file: file, while: "it was started and sent the landscape message")); "
                + "a landscape that does not start is not an outcome of any optimizer")
        }
        if let own = first.1 { optimum = own }
        self.optimum = optimum
        giveBack(first.0)
    }

    deinit {
        let owner = ObjectIdentifier(self)
        let mine = Self.idleLock.withLock {
            let mine = Self.idle.filter { $0.owner == owner }.map(\.program)
            Self.idle.removeAll { $0.owner == owner }
            return mine
        }
        for program in mine { program.stop(grace: .milliseconds(200)) }
    }

    private func takeIdle() -> ChildProcess? {
        let owner = ObjectIdentifier(self)
        return Self.idleLock.withLock {
            guard let index = Self.idle.lastIndex(where: { $0.owner == owner }) else { return nil }
            return Self.idle.remove(at: index).program
        }
    }

    private func giveBack(_ program: ChildProcess) {
        let evicted: ChildProcess? = Self.idleLock.withLock {
            Self.idle.append((ObjectIdentifier(self), program))
            return Self.idle.count > Self.maximumIdle ? Self.idle.removeFirst().program : nil
        }
        evicted?.stop(grace: .milliseconds(200))
    }

    var programFailure: String? { lock.withLock { failure } }

    func recheckTolerance(at x: [Double]) -> Double { file.recheckTolerance }

    func value(at x: [Double]) -> Double {
        var values = [Double]()
        guard evaluate(count: 1, { _, json in json.numbers(x) }, gradients: nil, into: &values) else { return .nan }
        return values[0]
    }

    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        var values = [Double]()
        if file.providesGradient {
            guard evaluate(count: 1, { _, json in json.numbers(x) }, gradients: &gradient, into: &values) else {
                for i in gradient.indices { gradient[i] = .nan }
                return .nan
            }
            return values[0]
        }
        // Point 0 is x, points 2i + 1 and 2i + 2 are x with coordinate i moved up and down.
        let d = dimension
        var steps = [(up: Double, down: Double)]()
        steps.reserveCapacity(d)
        for i in 0..<d {
            let h = Self.differenceStep * max(1, abs(x[i]))
            steps.append((min(x[i] + h, domain.upper[i]), max(x[i] - h, domain.lower[i])))
        }
        var moved = x
        let written = evaluate(count: 2 * d + 1, { k, json in
            guard k > 0 else { json.numbers(x); return }
            let i = (k - 1) / 2
            moved[i] = k % 2 == 1 ? steps[i].up : steps[i].down
            json.numbers(moved)
            moved[i] = x[i]
        }, gradients: nil, into: &values)
        guard written else {
            for i in gradient.indices { gradient[i] = .nan }
            return .nan
        }
        for i in 0..<d { gradient[i] = (values[1 + 2 * i] - values[2 + 2 * i]) / (steps[i].up - steps[i].down) }
        return values[0]
    }

    /// ∛ε, the step of central differences relative to max(1, |x_i|): it balances their O(h²)
    /// truncation against the O(ε/h) rounding of f.
    static let differenceStep = cbrt(Double.ulpOfOne)

    /// Asks a program for the values (and, when `gradients` is given, the gradient of the single
    /// point) at the `count` points `write(k, &json)` writes, in requests of at most
    /// `maximumBatch` points and `maximumCoordinates` coordinates. False after a failure, which is
    /// recorded.
    private func evaluate(count: Int, _ write: (Int, inout JSONWriter) -> Void, gradients: UnsafeMutablePointer<[Double]>?,
                          into values: inout [Double]) -> Bool {
        if lock.withLock({ failure }) != nil { return false }
        let perRequest = min(Self.maximumBatch, max(1, Self.maximumCoordinates / dimension))
        let program: ChildProcess
        if let ready = takeIdle() {
            program = ready
        } else {
            do { program = try Self.start(file: file, greeting: greeting, dimension: dimension).0 } catch {
                return fail(Self.reason(error, file: file, while: "it was started and sent the landscape message"))
            }
        }
        values.removeAll(keepingCapacity: true)
        values.reserveCapacity(count)
        var from = 0
        while from < count {
            let to = min(from + perRequest, count)
            var json = JSONWriter()
            program.requests += 1
            json.raw("{\"type\":\"evaluate\",\"id\":\(program.requests),\"gradient\":\(gradients != nil),\"points\":[")
            for k in from..<to {
                if k > from { json.raw(",") }
                write(k, &json)
            }
            json.raw("]}")
            let deadline = ContinuousClock.now + .milliseconds(Int64(file.timeoutSeconds * 1000))
            do {
                try program.send(json.bytes, deadline: deadline)
                let line = try program.receive(deadline: deadline)
                try read(line, id: program.requests, count: to - from, gradients: gradients, into: &values)
            } catch {
                program.stop()
                return fail(Self.reason(error, file: file, while: "the harness waited for the values of \(to - from) point\(to - from == 1 ? "" : "s")"))
            }
            from = to
        }
        giveBack(program)
        return true
    }

    /// Checks one `values` reply to request `id` and appends its values (and writes the gradient).
    /// The id catches a reply out of step: a line the program printed that was not a reply would
    /// otherwise pass as the answer to the next request, and every later answer would be shifted.
    private func read(_ line: [UInt8], id: Int, count: Int, gradients: UnsafeMutablePointer<[Double]>?, into values: inout [Double]) throws {
        let message: JSONValue
        do { message = try JSONReader.parse(line) } catch {
            throw ProtocolProblem("sent malformed JSON (\(error)): \(Session.excerpt(line))")
        }
        guard message["type"]?.string == "values" else {
            let type = message["type"]?.string.map { PlainText.shown($0) } ?? "(none)"
            throw ProtocolProblem("sent a message of type \(type), expected 'values': \(Session.excerpt(line))")
        }
        guard let replyID = message["id"]?.number, replyID == Double(id) else {
            let got = message["id"]?.number.map { "id \(formatReal($0))" } ?? (message["id"] == nil ? "no id" : "an id that is not a number")
            throw ProtocolProblem("sent a 'values' reply with \(got) to request \(id) (each reply carries its request's id; "
                + "a line printed on stdout that is not a reply puts every later one out of step): \(Session.excerpt(line))")
        }
        guard let got = message["values"]?.numbers, got.count == count else {
            throw ProtocolProblem("sent 'values' that is not a list of \(count) number\(count == 1 ? "" : "s")")
        }
        guard got.allSatisfy(\.isFinite) else {
            throw ProtocolProblem("sent a value that is not finite (\(got.first { !$0.isFinite }!))")
        }
        if let gradients {
            guard let list = message["gradients"]?.array, list.count == 1, let g = list[0].numbers, g.count == dimension else {
                throw ProtocolProblem("sent 'gradients' that is not a list of one gradient of \(dimension) numbers")
            }
            guard g.allSatisfy(\.isFinite) else { throw ProtocolProblem("sent a gradient component that is not finite") }
            for i in 0..<dimension { gradients.pointee[i] = g[i] }
        }
        values.append(contentsOf: got)
    }

    /// A new program, sent the instance and checked to answer `{"type":"ready"}`, with the
    /// optimum its reply declares.
    private static func start(file: ExternalLandscapeFile, greeting: [UInt8], dimension: Int) throws -> (ChildProcess, KnownOptimum?) {
        let program = try ChildProcess(command: file.command, directory: file.directory)
        let deadline = ContinuousClock.now + .milliseconds(Int64(file.timeoutSeconds * 1000))
        do {
            try program.send(greeting, deadline: deadline)
            let line = try program.receive(deadline: deadline)
            guard let reply = try? JSONReader.parse(line), reply["type"]?.string == "ready" else {
                throw ProtocolProblem("answered the landscape message with \(Session.excerpt(line)), expected {\"type\":\"ready\"}")
            }
            guard let declared = reply["optimum"] else { return (program, nil) }
            guard let value = declared["value"]?.number, value.isFinite else {
                throw ProtocolProblem("sent a 'ready' whose optimum.value is not a finite number: \(Session.excerpt(line))")
            }
            let statusText = declared["status"]?.string ?? OptimumStatus.bestKnown.rawValue
            guard let status = OptimumStatus(rawValue: statusText), status != .unknown else {
                throw ProtocolProblem("sent a 'ready' whose optimum.status is not exact, planted or best-known: \(Session.excerpt(line))")
            }
            return (program, KnownOptimum(value: value, status: status, source: declared["source"]?.string ?? "the program's ready message"))
        } catch {
            program.stop()
            throw error
        }
    }

    private static func reason(_ error: Error, file: ExternalLandscapeFile, while doing: String) -> String {
        if let problem = error as? ProtocolProblem { return problem.description }
        if case ChildProcessError.timedOut? = error as? ChildProcessError {
            return "exceeded its wall-clock timeout of \(formatReal(file.timeoutSeconds)) s (timeout-seconds in \(file.path)) while \(doing)"
        }
        if case ChildProcessError.ended(let how, let stderr)? = error as? ChildProcessError {
            return "\(how) while \(doing)" + ChildProcessError.stderrNote(stderr)
        }
        return "\(describe(error)) while \(doing)"
    }

    /// Records the first failure; always false.
    private func fail(_ reason: String) -> Bool {
        lock.withLock {
            if failure == nil {
                failure = "external landscape '\(file.name)' \(reason); a landscape that stops answering is not an outcome of any "
                    + "optimizer"
            }
        }
        return false
    }
}

extension LandscapeInstance {
    /// The registry file of an external landscape's instance, `nil` for a built-in one.
    var externalFile: ExternalLandscapeFile? {
        if case .continuous(let landscape) = self { return (landscape as? ExternalLandscape)?.file }
        return nil
    }
}
