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
    /// The recorded trajectory of a traced trial (`--trace N`), written to traces.csv.
    public var trace: [TraceRecorder.Sample]? = nil

    public var failed: Bool { !failure.isEmpty }
}

public typealias StopReasonText = String
