import Foundation

/// A run's output folder read back: run.json, summary.csv, trials.csv and (when the run traced
/// trials) traces.csv. Columns are looked up by name, so files with extra columns still read.
public struct RunFolder: Sendable {
    public var path: String
    public var metadata: RunMetadata
    public var summary: [[String: String]]
    public var trials: [[String: String]]
    public var traces: [[String: String]]

    public init(path: String) throws {
        self.path = path
        func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
        guard let json = FileManager.default.contents(atPath: file("run.json")) else {
            throw HarnessError("\(path): not a run folder (no run.json; expected the --output folder of bench run)")
        }
        do {
            metadata = try JSONDecoder().decode(RunMetadata.self, from: json)
        } catch {
            throw HarnessError("\(file("run.json")): unreadable (\(error.localizedDescription))")
        }
        summary = try RunFolder.rows(file("summary.csv"))
        trials = try RunFolder.rows(file("trials.csv"))
        traces = FileManager.default.fileExists(atPath: file("traces.csv")) ? try RunFolder.rows(file("traces.csv")) : []
    }

    /// A CSV file as one dictionary per row, keyed by the header (`CSV.read`: column names distinct).
    static func rows(_ path: String) throws -> [[String: String]] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HarnessError("\(path): missing (a run folder holds trials.csv, summary.csv and run.json)")
        }
        let table = try CSV.read(data, path: path)
        return table.rows.map { Dictionary(uniqueKeysWithValues: zip(table.header, $0.fields)) }
    }
}
