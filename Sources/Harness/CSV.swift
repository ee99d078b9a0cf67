import Foundation

/// RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled.
public enum CSV {
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",")
    }

    public static func document(header: [String], rows: [[String]]) -> String {
        ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// Shortest text that reads back as the same double; "inf" for ∞; empty for `nil`.
    public static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        if value == .infinity { return "inf" }
        if value == -.infinity { return "-inf" }
        return "\(value)"
    }

    public static func flag(_ value: Bool?) -> String {
        guard let value else { return "" }
        return value ? "true" : "false"
    }
}

extension TrialRecord {
    public static let csvHeader = [
        "landscape", "family", "instance", "dimension", "landscape_parameters", "optimizer",
        "optimizer_parameters", "trial", "start_seed", "optimizer_seed", "start", "budget", "trap_value",
        "trapped", "escaped", "evals_to_escape", "success", "evals_to_success", "best_value", "gap",
        "evaluations", "gradient_evaluations", "spent", "stop_reason", "failure",
        "minibatch_gradient_evaluations", "calibration_evaluations", "training_accuracy", "wall_time_s",
    ]

    public var csvFields: [String] {
        [landscape, family, String(instance), String(dimension), landscapeParameters, optimizer,
         optimizerParameters, String(trial), String(startSeed), String(optimizerSeed), start.rawValue,
         CSV.number(budget), CSV.number(trapValue), CSV.flag(trapped), CSV.flag(escaped),
         CSV.number(evalsToEscape), CSV.flag(success), CSV.number(evalsToSuccess), CSV.number(bestValue),
         CSV.number(gap), String(evaluations), String(gradientEvaluations), CSV.number(spent), stopReason,
         failure, String(minibatchGradientEvaluations), String(calibrationEvaluations), CSV.number(trainingAccuracy),
         CSV.number(wallTime)]
    }
}

extension SummaryRow {
    public static let csvHeader = [
        "landscape", "dimension", "optimizer", "optimizer_parameters", "budget", "trials", "failed",
        "trapped", "escaped", "escape_rate", "escape_ci_low", "escape_ci_high", "successes",
        "success_rate", "success_ci_low", "success_ci_high", "escape_evals_q1", "escape_evals_median",
        "escape_evals_q3", "tts99_escape", "tts99_escape_low", "tts99_escape_high", "tts99_success",
        "tts99_success_low", "tts99_success_high", "aRT_escape", "aRT_escape_low", "aRT_escape_high",
        "aRT_success", "aRT_success_low", "aRT_success_high", "median_gap", "mean_spent",
        "median_training_accuracy", "evaluations_per_second",
    ]

    public var csvFields: [String] {
        [landscape, String(dimension), optimizer, optimizerParameters, CSV.number(budget), String(trials),
         String(failed), String(trapped), String(escaped), CSV.number(escape?.rate),
         CSV.number(escape?.lower), CSV.number(escape?.upper), success.map { String($0.successes) } ?? "",
         CSV.number(success?.rate), CSV.number(success?.lower), CSV.number(success?.upper),
         CSV.number(escapeEvalsQ1), CSV.number(escapeEvalsMedian), CSV.number(escapeEvalsQ3),
         CSV.number(tts99Escape?.value), CSV.number(tts99Escape?.lower), CSV.number(tts99Escape?.upper),
         CSV.number(tts99Success?.value), CSV.number(tts99Success?.lower), CSV.number(tts99Success?.upper),
         CSV.number(averageRuntimeEscape?.value), CSV.number(averageRuntimeEscape?.lower),
         CSV.number(averageRuntimeEscape?.upper), CSV.number(averageRuntimeSuccess?.value),
         CSV.number(averageRuntimeSuccess?.lower), CSV.number(averageRuntimeSuccess?.upper),
         CSV.number(medianGap), CSV.number(meanSpent),
         CSV.number(medianTrainingAccuracy), CSV.number(evaluationsPerSecond)]
    }
}

/// Writes `contents` to `path` atomically: the whole text goes to a temporary file beside it,
/// created exclusively under an unpredictable name (`.NAME.tmp-XXXXXXXXXXXX`, `O_EXCL | O_NOFOLLOW`:
/// never an existing file, never through a symbolic link) and flushed (fsync), then renamed over
/// `path` and the folder flushed. A reader never sees half a file; a failed write leaves the
/// previous file intact and removes the temporary one. A symbolic link at `path` is replaced, not
/// followed.
public func writeAtomically(_ contents: String, to path: String) throws {
    try writeAtomically(Data(contents.utf8), to: path, operations: SystemFileOperations())
}
