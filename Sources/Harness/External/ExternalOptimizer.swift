import Foundation
import Landscapes
import Optimizers

/// A continuous optimizer that is a separate program, spoken to in the external-process protocol
/// (docs/external.md): the harness sends the trial, answers the program's requests for
/// evaluations through the trial's `Objective` (which charges, counts, keeps the incumbent and
/// the hitting times, refuses points outside the box and says when the budget is spent), and ends
/// the trial when the program says it is done or exits.
///
/// The program sees the dimension, the box, the budget, `gradCost`, the start, a seed and its
/// parameters: never f*, the trap's value or the tolerances. What it does wrong fails that trial
/// with the reason (a crash, malformed JSON, a message out of order, a point outside the box);
/// a trial that outlives the registry file's wall-clock timeout stops the run instead (exit 3),
/// since whether a program is slow depends on the machine's load and must never become an
/// outcome the statistics count.
/// An optimizer that is an external program, of either kind: what run.json records about it.
public protocol ExternalProgram {
    /// Its registry file.
    var file: ExternalOptimizerFile { get }
}

public struct ExternalOptimizer: ContinuousOptimizer, ExternalProgram {
    // Never in the catalog under this name: each registry file makes its own definition.
    public static let name = "external"
    public static let summary = "an external program speaking the external-process protocol (docs/external.md)"
    public static let parameterSpecs: [ParameterSpec] = []

    public let file: ExternalOptimizerFile
    public let parameters: ParameterValues
    let pool: WorkerPool

    public init(parameters: ParameterValues) throws {
        throw OptimizerError.invalidParameters(optimizer: Self.name, reason: "an external optimizer is built from its registry file")
    }

    init(file: ExternalOptimizerFile, parameters: ParameterValues, pool: WorkerPool) {
        self.file = file
        self.parameters = parameters
        self.pool = pool
    }

    /// The largest batch one request may ask for.
    public static let maximumBatch = 4096

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        let deadline = ContinuousClock.now + .milliseconds(Int64(file.timeoutSeconds * 1000))
        let program: ChildProcess
        do { program = try pool.take() } catch {
            objective.fail("external optimizer '\(file.name)' could not be started: \(describe(error))")
            return .failed
        }
        let session = Session(file: file, program: program, deadline: deadline)
        let outcome = session.run(&objective, start: start, seed: rng.next(), parameters: Self.parametersJSON(parameters))
        switch outcome {
        case .finished(let stop):
            if file.reuse, session.reset() { pool.giveBack(program) } else { program.stop(grace: .seconds(1)) }
            return objective.isExhausted ? .budget : stop
        case .failed(let reason):
            program.stop()
            // A point outside the box (or a non-finite value) has failed the trial already, with its reason.
            if objective.failure == nil { objective.fail("external optimizer '\(file.name)' \(reason)") }
            return .failed
        case .timedOut:
            program.stop()
            objective.abort("external optimizer '\(file.name)' exceeded its wall-clock timeout of "
                + "\(formatReal(file.timeoutSeconds)) s (timeout-seconds in \(file.path)); a timeout depends on the machine's "
                + "load and is not an outcome")
            return .failed
        }
    }

    /// `{"name": value, ...}`: numbers as numbers, flags as true/false, choices as their names.
    static func parametersJSON(_ parameters: ParameterValues) -> [UInt8] {
        var json = JSONWriter()
        json.raw("{")
        for (index, item) in parameters.canonical.enumerated() {
            json.key(item.name, first: index == 0)
            let spec = parameters.specs.first { $0.name == item.name }!
            if case .choice = spec.kind { json.string(item.value) } else { json.raw(item.value) }
        }
        json.raw("}")
        return json.bytes
    }
}

func describe(_ error: Error) -> String {
    switch error as? ChildProcessError {
    case .spawn(let why): return why
    case .ended(let how, let stderr): return how + ChildProcessError.stderrNote(stderr)
    case .timedOut: return "timed out"
    case .lineTooLong: return "sent a line longer than \(ChildProcess.maximumLineBytes) bytes"
    case nil: return String(describing: error)
    }
}

/// The processes of one external optimizer that are free to run a trial: a trial takes one (or
/// starts one) and, when its registry file says `reuse: true` and the reset succeeded, gives it
/// back. Shared by the worker threads.
final class WorkerPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [ChildProcess] = []
    private let file: ExternalOptimizerFile

    init(_ file: ExternalOptimizerFile) { self.file = file }

    func take() throws -> ChildProcess {
        if let program = lock.withLock({ idle.popLast() }) { return program }
        return try ChildProcess(command: file.command, directory: file.directory)
    }

    func giveBack(_ program: ChildProcess) { lock.withLock { idle.append(program) } }

    deinit { for program in idle { program.stop(grace: .milliseconds(200)) } }
}

/// One trial's conversation with the program.
struct Session {
    enum Outcome: Equatable {
        case finished(StopReason)
        case failed(String)
        case timedOut
    }

    let file: ExternalOptimizerFile
    let program: ChildProcess
    let deadline: ContinuousClock.Instant

    func run<L: ContinuousLandscape>(_ objective: inout Objective<L>, start: [Double], seed: UInt64,
                                              parameters: [UInt8]) -> Outcome {
        var json = JSONWriter()
        json.raw("{\"type\":\"trial\",\"protocol\":1,\"kind\":\"continuous\",\"dimension\":\(objective.dimension)")
        json.key("lower"); json.numbers(objective.domain.lower)
        json.key("upper"); json.numbers(objective.domain.upper)
        json.key("budget"); json.number(objective.budget)
        json.key("gradCost"); json.number(objective.gradCost)
        json.key("start"); json.numbers(start)
        json.raw(",\"seed\":\(seed),\"parameters\":")
        json.bytes.append(contentsOf: parameters)
        json.raw("}")
        var point = [Double](repeating: 0, count: objective.dimension)
        var gradient = [Double](repeating: 0, count: objective.dimension)
        return converse(trial: json.bytes, requests: "'evaluate'") { message, line in
            guard message["type"]?.string == "evaluate" else { return nil }
            // nil: the objective refused a point and holds the reason.
            switch evaluate(message, &objective, point: &point, gradient: &gradient) {
            case nil: return .failed("")
            case .success(let bytes)?: return .reply(bytes)
            case .failure(let problem)?: return .failed(problem.description)
            }
        }
    }

    /// What the handler of one request message does next.
    enum Step {
        case reply([UInt8])
        case failed(String)
    }

    /// Sends the trial message, then answers the program's requests with `handle` (which returns
    /// `nil` for a message that is not a request) until it says `done`, exits with status 0, or
    /// breaks the protocol. `requests` names the request type for the failure reason.
    func converse(trial: [UInt8], requests: String, handle: (JSONValue, [UInt8]) -> Step?) -> Outcome {
        do { try program.send(trial, deadline: deadline) } catch { return outcome(of: error, while: "the trial message was sent") }
        while true {
            let line: [UInt8]
            do { line = try program.receive(deadline: deadline) } catch ChildProcessError.ended(let how, let stderr) {
                // Exiting with status 0 ends the trial as "done" would (the program's own stop).
                if how == "exited with status 0" { return .finished(.converged) }
                return .failed("\(how) before it finished the trial" + ChildProcessError.stderrNote(stderr))
            } catch {
                return outcome(of: error, while: "the harness waited for a message")
            }
            let message: JSONValue
            do { message = try JSONReader.parse(line) } catch {
                return .failed("sent malformed JSON (\(error)): \(Self.excerpt(line))")
            }
            if message["type"]?.string == "done" {
                return .finished(message["reason"]?.string == "budget" ? .budget : .converged)
            }
            switch handle(message, line) {
            case .reply(let bytes)?:
                do { try program.send(bytes, deadline: deadline) } catch { return outcome(of: error, while: "a reply was sent") }
            case .failed(let reason)?:
                return .failed(reason)
            case nil:
                let type = message["type"]?.string.map { PlainText.shown($0) } ?? "(none)"
                return .failed("sent a message of type \(type), expected \(requests) or 'done': \(Self.excerpt(line))")
            }
        }
    }

    /// The reply to one `evaluate` request, a protocol problem, or `nil` when the objective
    /// refused a point (its `failure` says why).
    func evaluate<L: ContinuousLandscape>(_ message: JSONValue, _ objective: inout Objective<L>,
                                          point: inout [Double], gradient: inout [Double]) -> Result<[UInt8], ProtocolProblem>? {
        let d = objective.dimension
        var points: [JSONValue]
        if let one = message["point"] {
            points = [one]
        } else if let many = message["points"]?.array {
            points = many
        } else {
            return .failure(ProtocolProblem("sent 'evaluate' without 'point' or 'points'"))
        }
        guard points.count <= ExternalOptimizer.maximumBatch else {
            return .failure(ProtocolProblem("asked for \(points.count) points in one request, more than the \(ExternalOptimizer.maximumBatch) allowed"))
        }
        let wantsGradient: Bool
        switch message["gradient"] {
        case nil, .bool(false)?: wantsGradient = false
        case .bool(true)?: wantsGradient = true
        default: return .failure(ProtocolProblem("sent 'gradient' that is not true or false"))
        }
        if wantsGradient && !file.usesGradients {
            return .failure(ProtocolProblem("asked for a gradient, but its registry file says 'gradients: false'"))
        }
        var values = [Double]()
        var gradients = [[Double]]()
        for item in points {
            guard let x = item.numbers, x.count == d else {
                return .failure(ProtocolProblem("sent a point that is not a list of \(d) numbers"))
            }
            if objective.isExhausted { break }
            for i in 0..<d { point[i] = x[i] }
            if wantsGradient {
                values.append(objective.valueAndGradient(at: point, gradient: &gradient))
                gradients.append(gradient)
            } else {
                values.append(objective.value(at: point))
            }
            if objective.failure != nil { return nil }
        }
        var json = JSONWriter()
        json.raw("{\"type\":\"result\",\"values\":")
        json.numbers(values)
        if wantsGradient {
            json.raw(",\"gradients\":[")
            for (k, g) in gradients.enumerated() {
                if k > 0 { json.raw(",") }
                json.numbers(g)
            }
            json.raw("]")
        }
        json.key("spent"); json.number(objective.spent)
        json.raw(",\"exhausted\":\(objective.isExhausted)}")
        return .success(json.bytes)
    }

    /// Ends a reused worker's trial: `{"type":"reset"}`, answered by `{"type":"ready"}` before
    /// the deadline. False when the program did not answer so (it is then stopped, not reused).
    func reset() -> Bool {
        do {
            try program.send(Array("{\"type\":\"reset\"}".utf8), deadline: deadline)
            let line = try program.receive(deadline: deadline)
            return (try? JSONReader.parse(line))?["type"]?.string == "ready"
        } catch {
            return false
        }
    }

    func outcome(of error: Error, while doing: String) -> Outcome {
        if case ChildProcessError.timedOut? = error as? ChildProcessError { return .timedOut }
        return .failed("\(describe(error)) while \(doing)")
    }

    /// At most 80 characters of a line, for a failure reason (a line of data, never a file).
    static func excerpt(_ line: [UInt8]) -> String {
        let text = String(decoding: line.prefix(80), as: UTF8.self).filter { !$0.isNewline }
        return line.count > 80 ? text + "…" : text
    }
}

extension ChildProcessError {
    static func stderrNote(_ line: String) -> String { line.isEmpty ? "" : "; its last line on stderr: \(line)" }
}

struct ProtocolProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
