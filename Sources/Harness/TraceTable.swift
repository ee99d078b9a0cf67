/// `traces.csv`: one row per recorded point of a traced trial. `snapshot` is −1 for the path and
/// k ≥ 0 for the k-th population snapshot; `point` holds the coordinates separated by `;`.
public enum TraceTable {
    public static let header = ["landscape", "optimizer", "trial", "snapshot", "spent", "value", "point"]

    public static func document(_ records: [TrialRecord]) -> String {
        CSV.document(header: header, rows: records.flatMap(rows))
    }

    /// The rows of one record's trace (none when it was not traced).
    public static func rows(_ record: TrialRecord) -> [[String]] {
        (record.trace ?? []).map { sample in
            [record.landscape, record.optimizer, String(record.trial), String(sample.snapshot),
             CSV.number(sample.spent), CSV.number(sample.value), sample.point.map { "\($0)" }.joined(separator: ";")]
        }
    }
}
