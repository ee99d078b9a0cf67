import Foundation
import Landscapes
import Optimizers
import Testing
@testable import Harness

/// External samplers of Ising landscapes (docs/external.md, "Ising landscapes"): the harness sends
/// the model and the budget in flip attempts, charges the attempts the program declares, and
/// recomputes every energy from the returned spins.
@Suite struct ExternalSpinOptimizerTests {
    /// `registry`'s optimizer (with `others`) on an Ising family with `parameters`.
    static func run(_ fixture: ExternalFixture, family: String, parameters: [String: String], trials: Int = 4,
                    budget: Double, start: StartProtocolKind? = nil, others: [String] = [],
                    overrides: [String: String] = [:]) throws -> [TrialRecord] {
        let file = try fixture.file
        return try OptimizerCatalog.withExternal([file.definition]) {
            var spec = LandscapeSpec(name: family, family: family)
            spec.parameters = parameters
            let landscape = try ResolvedLandscape(spec, overrides: SpecOverrides(trials: trials, budget: budget, start: start))
            let entries = try OptimizerEntry.entries(for: landscape, names: [file.name] + others, overrides: [file.name: overrides])
            return try BenchmarkRun.execute(RunPlan(landscapes: [landscape], optimizers: entries, masterSeed: 5, threads: 1))
        }
    }

    /// The model as a program reads it, in Python: local fields from `fields` and `couplings` in
    /// the documented convention H = −Σ J s s − Σ h s, and greedy single-flip descent in the fixed
    /// order 0…N−1 until no flip lowers H, at most `budget // N` sweeps.
    static let greedy = """
        n, budget = trial["size"], trial["budget"]
        neighbours = [[] for _ in range(n)]
        for i, j, coupling in trial["couplings"]:
            neighbours[i].append((j, coupling)); neighbours[j].append((i, coupling))
        s = list(trial["start"])
        with open("starts.txt", "a") as f: f.write(" ".join(map(str, s)) + "\\n")
        sweeps = 0
        while sweeps < budget // n:
            sweeps += 1
            changed = False
            for i in range(n):
                local = trial["fields"][i] + sum(coupling * s[j] for j, coupling in neighbours[i])
                if 2 * s[i] * local < -1e-9:
                    s[i] = -s[i]; changed = True
            if not changed: break
        send({"type": "states", "states": [s], "attempts": sweeps * n})
        reply = receive()
        assert reply["type"] == "charged" and reply["spent"] == sweeps * n
        send({"type": "done"})

        """

    /// The program's final state is the harness's own reference quench of the same start (the
    /// start's trap, for uniform starts), on
    /// models with fields (the sign convention), real-valued couplings and ±1 ones: so the model
    /// crossed the pipe whole and in the documented convention. The spend is what was declared,
    /// the rows say so, and they carry no hitting times.
    @Test(arguments: [
        ("ferro-ring", ["size": "12", "field": "0.3"]),
        ("ea2d", ["side": "4", "couplings": "gaussian"]),
        ("sk", ["size": "10"]),
    ])
    func aSamplersFinalStatesAreRecomputedAndItsDeclaredAttemptsCharged(family: String, parameters: [String: String]) throws {
        let fixture = try ExternalFixture("py-greedy", program: Self.greedy, fields: "kinds: [ising]\n")
        let records = try Self.run(fixture, family: family, parameters: parameters, budget: 4000, start: .uniform)
        var spec = LandscapeSpec(name: family, family: family)
        spec.parameters = parameters
        guard case .ising(let model) = try ResolvedLandscape(spec).landscape else { Issue.record("not Ising"); return }
        let starts = try String(contentsOfFile: fixture.folder + "/starts.txt", encoding: .utf8).split(separator: "\n")
        #expect(starts.count == records.count)
        for (record, line) in zip(records, starts) {
            let start = line.split(separator: " ").map { Int8($0)! }
            let quenched = model.quench(start)
            #expect(!record.failed, "\(record.failure)")
            // A uniform start's trap is its reference quench, so the program's descent ends there.
            #expect(record.trapValue == quenched.energy)
            #expect(record.bestValue == min(quenched.energy, model.energy(start)))
            #expect(record.finalValue == quenched.energy)
            #expect(record.budgetDeclared && record.evalsToEscape == nil && record.evalsToSuccess == nil)
            #expect(record.spent.truncatingRemainder(dividingBy: Double(model.size)) == 0 && record.spent <= 4000)
            #expect(record.evaluations == Int(record.spent))
            // The flags still hold: an escape is a final state below the trap, found without a time.
            if record.escaped { #expect(quenched.energy < record.trapValue) }
        }
        // The summary's spend-based statistics stay, the hitting-time ones stay empty.
        let row = SummaryRow(records: records)
        #expect(row.budgetDeclared && row.averageRuntimeEscape == nil && row.averageRuntimeSuccess == nil)
        #expect(row.escapeEvalsMedian == nil && row.meanSpent == records.map(\.spent).reduce(0, +) / Double(records.count))
        #expect(row.csvFields[SummaryRow.columns.index("budget_accounting")] == "declared")
    }

    /// What the harness refuses, each failing that trial with the reason: more attempts than the
    /// budget left, a spin that is not ±1, a state of the wrong length, no `attempts`.
    @Test(arguments: [
        ("overspent", "send({'type': 'states', 'states': [trial['start']], 'attempts': trial['budget'] + 1}); receive()",
         "declared 101 flip attempts with 100 of the budget 100 left"),
        ("zero-spin", "send({'type': 'states', 'states': [[0] * trial['size']], 'attempts': 1}); receive()",
         "sent a state with a spin that is not 1 or -1"),
        ("short", "send({'type': 'states', 'states': [[1]], 'attempts': 1}); receive()",
         "sent a state that is not a list of 10 spins"),
        ("no-attempts", "send({'type': 'states', 'states': [trial['start']]}); receive()",
         "sent 'states' without 'attempts'"),
        ("evaluate", "send({'type': 'evaluate', 'point': [0]}); receive()",
         "sent a message of type 'evaluate', expected 'states' or 'done'"),
    ])
    func aSamplerThatBreaksTheProtocolFailsItsTrial(name: String, program: String, reason: String) throws {
        let fixture = try ExternalFixture(name, program: program + "\n", fields: "kinds: [ising]\n")
        let records = try Self.run(fixture, family: "sk", parameters: ["size": "10"], trials: 2, budget: 100)
        for record in records {
            #expect(record.failed && !record.escaped && record.finalSuccess != true, "\(record.failure)")
            #expect(record.failure.contains(reason), "\(record.failure)")
            #expect(record.spent <= 100)
        }
    }

    /// Every built-in discrete method reports the state it ends in: never below its incumbent,
    /// and, for greedy-restarts with a budget below one restart, the start itself.
    @Test(arguments: OptimizerCatalog.names(for: .ising))
    func everyBuiltInDiscreteMethodReportsItsFinalState(name: String) throws {
        var spec = LandscapeSpec(name: "sk", family: "sk")
        spec.parameters = ["size": "12"]
        let landscape = try ResolvedLandscape(spec, overrides: SpecOverrides(trials: 3, budget: name == "greedy-restarts" ? 11 : 2400))
        let entries = try OptimizerEntry.entries(for: landscape, names: [name])
        for record in try BenchmarkRun.execute(RunPlan(landscapes: [landscape], optimizers: entries, masterSeed: 2, threads: 1)) {
            let final = try #require(record.finalValue)
            #expect(!record.failed && !record.budgetDeclared && final >= record.bestValue)
            if name == "greedy-restarts" { #expect(final == record.trapValue) }
        }
    }

    /// On a planted instance (E* known) a final state is judged at E* + ε like the incumbent, and
    /// a run that ends at its incumbent has both.
    @Test func theFinalStateIsJudgedAgainstTheKnownGroundState() throws {
        var spec = LandscapeSpec(name: "ring", family: "ferro-ring")
        spec.parameters = ["size": "8", "field": "0.5"]
        let landscape = try ResolvedLandscape(spec, overrides: SpecOverrides(trials: 4, budget: 800))
        let entries = try OptimizerEntry.entries(for: landscape, names: ["sa-spin"])
        let records = try BenchmarkRun.execute(RunPlan(landscapes: [landscape], optimizers: entries, masterSeed: 2, threads: 1))
        let groundEnergy = -8 * (1 + 0.5)  // E* = −N(1 + h)
        for record in records {
            #expect(record.finalSuccess == (record.finalValue! <= groundEnergy + 1e-6))
            if record.finalSuccess == true { #expect(record.success == true) }
        }
        let row = SummaryRow(records: records)
        #expect(row.finalSuccess?.successes == records.filter { $0.finalSuccess == true }.count)
    }
}
