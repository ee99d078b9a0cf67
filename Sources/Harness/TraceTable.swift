import Optimizers

/// `traces.csv`: one row per recorded point of a traced trial. `snapshot` is −1 for the path and
/// k ≥ 0 for the k-th population snapshot; `point` holds the coordinates separated by `;`.
public enum TraceTable {
    /// One row of traces.csv: a recorded point and the trial it belongs to.
    public struct Row: Sendable {
        public var landscape: String
        public var optimizer: String
        public var trial: Int
        public var sample: TraceRecorder.Sample
    }

    /// The columns of traces.csv.
    public static let columns = Columns<Row>([
        .text("landscape") { $0.landscape },
        .text("optimizer") { $0.optimizer },
        .whole("trial") { $0.trial },
        .whole("snapshot") { $0.sample.snapshot },
        .number("spent") { $0.sample.spent },
        .number("value") { $0.sample.value },
        .text("point") { coordinates($0.sample.point) },
    ])

    /// The header of traces.csv: `columns.names`.
    public static var header: [String] { columns.names }

    public static func document(_ records: [TrialRecord]) -> String {
        columns.document(records.lazy.flatMap(rows))
    }

    /// The rows of one record's trace (none when it was not traced), made as they are read.
    public static func rows(_ record: TrialRecord) -> LazyMapSequence<[TraceRecorder.Sample], Row> {
        (record.trace ?? []).lazy.map { Row(landscape: record.landscape, optimizer: record.optimizer, trial: record.trial, sample: $0) }
    }

    /// The coordinates of a point separated by `;`, each as Swift prints a `Double` (∞ as "inf").
    static func coordinates(_ point: [Double]) -> String {
        var text = ""
        for (i, x) in point.enumerated() {
            if i > 0 { text.append(";") }
            text.append("\(x)")
        }
        return text
    }
}
