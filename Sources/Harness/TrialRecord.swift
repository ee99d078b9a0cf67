import Optimizers

/// One trial's outcome: one row of `trials.csv`.
public struct TrialRecord: Sendable, Equatable {
    public var landscape: String
    public var family: String
    public var instance: Int
    public var dimension: Int
    public var landscapeParameters: String
    public var optimizer: String
    public var optimizerParameters: String
    public var trial: Int
    public var startSeed: UInt64
    public var optimizerSeed: UInt64
    public var start: StartProtocolKind
    public var budget: Double
    /// f(m0).
    public var trapValue: Double
    public var trapped: Bool
    public var escaped: Bool
    /// Budget spent when the incumbent first fell below f(m0) − δ.
    public var evalsToEscape: Double?
    /// `nil` when f* is unknown.
    public var success: Bool?
    public var evalsToSuccess: Double?
    public var bestValue: Double
    /// best − f* (`nil` when f* is unknown).
    public var gap: Double?
    public var evaluations: Int
    public var gradientEvaluations: Int
    /// Budget units spent: value evaluations + gradCost × gradient evaluations + the minibatch
    /// gradients' charges + calibration probes (continuous); flip attempts (spins).
    public var spent: Double
    public var stopReason: StopReasonText
    /// Why the trial failed, with what is needed to reproduce it; empty otherwise.
    public var failure: String
    /// Seconds of wall time (a timing column: excluded from reproducibility comparisons).
    public var wallTime: Double
    /// Minibatch gradients taken (each charged (b/N)·gradCost); 0 on landscapes without data.
    public var minibatchGradientEvaluations = 0
    /// Calibration probes (evaluations made only to set a parameter, such as the automatic
    /// starting temperature's): charged 1 each and included in `spent`, never in `evaluations`,
    /// and never credited (no incumbent, no hitting time). 0 on spins.
    public var calibrationEvaluations = 0
    /// Fraction of training data the incumbent classifies correctly (classifiers only; not
    /// charged: reporting). The training loss is `bestValue`.
    public var trainingAccuracy: Double? = nil
    /// The energy of the state the optimizer ended in (Ising landscapes; for a method that ends
    /// with several states, replicas, slices or reads, the lowest), recomputed from its spins:
    /// what samplers that return only final states are compared on. `nil` on continuous ones.
    public var finalValue: Double? = nil
    /// Whether the final state is at or below E* + ε (`nil` where f* is unknown or on continuous
    /// landscapes); false for a failed trial.
    public var finalSuccess: Bool? = nil
    /// Whether `spent` is what the optimizer declared (an external sampler returning final states)
    /// rather than what the objective counted; such rows have no hitting times.
    public var budgetDeclared = false
    /// What the optimizer reported about its run (`Objective.report`): pt's swap acceptance per
    /// neighbour pair. Reporting only.
    public var diagnostics: [Diagnostic] = []
    /// The recorded trajectory of a traced trial (`--trace N`), written to traces.csv.
    public var trace: [TraceRecorder.Sample]? = nil
    /// Set when the trial could not be completed for a reason that must not become an outcome
    /// (an external optimizer past its wall-clock timeout): the run stops with this reason
    /// instead of recording the trial. Never written to a file.
    public var abortReason: String? = nil

    public var failed: Bool { !failure.isEmpty }
}

public typealias StopReasonText = String

extension TrialRecord {
    /// The columns of trials.csv, one row per trial.
    public static let columns = Columns<TrialRecord>([
        .text("landscape") { $0.landscape },
        .text("family") { $0.family },
        .whole("instance") { $0.instance },
        .whole("dimension") { $0.dimension },
        .text("landscape_parameters") { $0.landscapeParameters },
        .text("optimizer") { $0.optimizer },
        .text("optimizer_parameters") { $0.optimizerParameters },
        .whole("trial") { $0.trial },
        .seed("start_seed") { $0.startSeed },
        .seed("optimizer_seed") { $0.optimizerSeed },
        .text("start") { $0.start.rawValue },
        .number("budget") { $0.budget },
        .number("trap_value") { $0.trapValue },
        .flag("trapped") { $0.trapped },
        .flag("escaped") { $0.escaped },
        .number("evals_to_escape") { $0.evalsToEscape },
        .flag("success") { $0.success },
        .number("evals_to_success") { $0.evalsToSuccess },
        .number("best_value") { $0.bestValue },
        .number("gap") { $0.gap },
        .whole("evaluations") { $0.evaluations },
        .whole("gradient_evaluations") { $0.gradientEvaluations },
        .number("spent") { $0.spent },
        .text("stop_reason") { $0.stopReason },
        .text("failure") { $0.failure },
        .whole("minibatch_gradient_evaluations") { $0.minibatchGradientEvaluations },
        .whole("calibration_evaluations") { $0.calibrationEvaluations },
        .number("training_accuracy") { $0.trainingAccuracy },
        .number("final_value") { $0.finalValue },
        .flag("final_success") { $0.finalSuccess },
        .text("budget_accounting") { $0.budgetDeclared ? "declared" : "counted" },
        .text("diagnostics") { Diagnostic.text($0.diagnostics) },
        .number("wall_time_s") { $0.wallTime },
    ])

    /// The header of trials.csv: `columns.names`.
    public static var csvHeader: [String] { columns.names }

    /// This record's fields of trials.csv: `columns.fields(self)`.
    public var csvFields: [String] { Self.columns.fields(self) }
}
