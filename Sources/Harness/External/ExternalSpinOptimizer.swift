import Foundation
import Landscapes
import Optimizers

/// An optimizer of Ising landscapes that is a separate program (docs/external.md): a sampler that
/// returns final states, as dwave-samplers' and OpenJij's do. The harness sends the model, the
/// start and the budget in flip attempts; the program sends back states with the attempts it
/// declares they cost (sweeps × N for one replica, × P for P Trotter slices, × R for R replicas
/// or reads). The harness charges what is declared (more than the budget left fails the trial),
/// recomputes every energy from the spins, and keeps the incumbent and the final state.
///
/// What it spent is the program's declaration, not the harness's count: such rows are marked
/// `declared` in `budget_accounting`, and have no hitting times (escape evaluations, aRT and
/// runtime curves stay empty), since the harness never sees when a state was reached.
public struct ExternalSpinOptimizer: SpinOptimizer, ExternalProgram {
    // Never in the catalog under this name: each registry file makes its own definition.
    public static let name = "external-ising"
    public static let summary = "an external sampler of Ising landscapes speaking the external-process protocol (docs/external.md)"
    public static let parameterSpecs: [ParameterSpec] = []
    public static let declaresBudget = true

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

    /// The most states one message may return.
    public static let maximumStates = 4096

    public func minimize(_ objective: inout SpinObjective, from start: [Int8], using rng: inout Xoshiro256) -> StopReason {
        let deadline = ContinuousClock.now + .milliseconds(Int64(file.timeoutSeconds * 1000))
        let program: ChildProcess
        do { program = try pool.take() } catch {
            objective.fail("external optimizer '\(file.name)' could not be started: \(describe(error))")
            return .failed
        }
        let session = Session(file: file, program: program, deadline: deadline)
        var final: (state: [Int8], energy: Double)?
        let trial = Self.trialMessage(objective.model, budget: objective.budget, start: start, seed: rng.next(),
                                      parameters: ExternalOptimizer.parametersJSON(parameters))
        let outcome = session.converse(trial: trial, requests: "'states'") { message, _ in
            guard message["type"]?.string == "states" else { return nil }
            switch Self.accept(message, &objective, final: &final) {
            case .success(let reply): return .reply(reply)
            case .failure(let problem): return .failed(problem.description)
            }
        }
        if let final { objective.recordFinal(final.state) }
        switch outcome {
        case .finished(let stop):
            if file.reuse, session.reset() { pool.giveBack(program) } else { program.stop(grace: .seconds(1)) }
            return objective.isExhausted ? .budget : stop
        case .failed(let reason):
            program.stop()
            objective.fail("external optimizer '\(file.name)' \(reason)")
            return .failed
        case .timedOut:
            program.stop()
            objective.abort("external optimizer '\(file.name)' exceeded its wall-clock timeout of "
                + "\(formatReal(file.timeoutSeconds)) s (timeout-seconds in \(file.path)); a timeout depends on the machine's "
                + "load and is not an outcome")
            return .failed
        }
    }

    /// `{"type": "trial", "kind": "ising", "size", "fields", "couplings": [[i, j, J], ...], "budget",
    /// "start", "seed", "parameters"}`, indices from 0, for H(s) = −Σ_{i<j} J_ij s_i s_j − Σ_i h_i s_i.
    static func trialMessage(_ model: IsingModel, budget: Int, start: [Int8], seed: UInt64, parameters: [UInt8]) -> [UInt8] {
        var json = JSONWriter()
        json.raw("{\"type\":\"trial\",\"protocol\":1,\"kind\":\"ising\",\"size\":\(model.size)")
        json.raw(",\"energy\":\"H(s) = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i\"")
        json.key("fields"); json.numbers(model.fields)
        json.raw(",\"couplings\":[")
        for (k, edge) in model.edges.enumerated() {
            json.raw(k == 0 ? "[\(edge.0),\(edge.1)," : ",[\(edge.0),\(edge.1),")
            json.number(edge.2)
            json.raw("]")
        }
        json.raw("],\"budget\":\(budget),\"start\":[")
        json.raw(start.map { $0 > 0 ? "1" : "-1" }.joined(separator: ","))
        json.raw("],\"seed\":\(seed),\"parameters\":")
        json.bytes.append(contentsOf: parameters)
        json.raw("}")
        return json.bytes
    }

    /// Charges one `states` message's declared attempts, recomputes each state's energy and offers
    /// it as an incumbent; the reply `{"type": "charged", "spent", "exhausted"}`, or the problem.
    static func accept(_ message: JSONValue, _ objective: inout SpinObjective,
                       final: inout (state: [Int8], energy: Double)?) -> Result<[UInt8], ProtocolProblem> {
        let n = objective.model.size
        guard let attemptsValue = message["attempts"]?.number, attemptsValue >= 0, attemptsValue <= 9e15,
              attemptsValue == attemptsValue.rounded(.down) else {
            return .failure(ProtocolProblem("sent 'states' without 'attempts', a whole number ≥ 0 of flip attempts"))
        }
        let attempts = Int(attemptsValue)
        guard attempts <= objective.remaining else {
            return .failure(ProtocolProblem("declared \(attempts) flip attempts with \(objective.remaining) of the budget "
                + "\(objective.budget) left; a sampler must fit its sweeps to the budget it is given"))
        }
        guard let states = message["states"]?.array, states.count <= maximumStates else {
            return .failure(ProtocolProblem("sent 'states' without a list of at most \(maximumStates) states"))
        }
        objective.charge(attempts)
        var spins = [Int8](repeating: 0, count: n)
        for item in states {
            guard case .array(let values) = item, values.count == n else {
                return .failure(ProtocolProblem("sent a state that is not a list of \(n) spins"))
            }
            for (i, value) in values.enumerated() {
                switch value {
                case .number(1): spins[i] = 1
                case .number(-1): spins[i] = -1
                default: return .failure(ProtocolProblem("sent a state with a spin that is not 1 or -1"))
                }
            }
            // Every energy is the harness's own, from the spins.
            let energy = objective.model.energy(spins)
            if final == nil || energy < final!.energy { final = (spins, energy) }
            if energy < objective.bestEnergy {
                objective.improve(energy, spentAt: objective.spent)
                objective.storeIncumbent { out in for i in 0..<n { out[i] = spins[i] } }
            }
        }
        return .success(Array("{\"type\":\"charged\",\"spent\":\(objective.spent),\"exhausted\":\(objective.isExhausted)}".utf8))
    }
}
