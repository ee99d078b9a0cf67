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
            // The decoder's text can quote the file: name the field at most.
            let field = (error as? DecodingError).flatMap(RunFolder.codingPath).map { " (at '\($0)')" } ?? ""
            throw HarnessError("\(file("run.json")): not the run.json bench run writes\(field)")
        }
        summary = try RunFolder.rows(file("summary.csv"))
        trials = try RunFolder.rows(file("trials.csv"))
        traces = FileManager.default.fileExists(atPath: file("traces.csv")) ? try RunFolder.rows(file("traces.csv")) : []
    }

    /// A CSV file as one dictionary per row, keyed by the header.
    /// The coding path of a decoding error (`landscapes.0.budget`), without its debug text.
    static func codingPath(_ error: DecodingError) -> String? {
        let path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        case .keyNotFound(let key, let context):
            path = context.codingPath + [key]
        @unknown default:
            return nil
        }
        let text = path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return text.isEmpty ? nil : text
    }

    static func rows(_ path: String) throws -> [[String: String]] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HarnessError("\(path): missing (a run folder holds trials.csv, summary.csv and run.json)")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        guard let headerLine = lines.first, let header = try? CSVTable.split(headerLine) else {
            throw HarnessError("\(path):1: no header")
        }
        return try lines.dropFirst().enumerated().map { index, line in
            guard let fields = try? CSVTable.split(line), fields.count == header.count else {
                throw HarnessError("\(path):\(index + 2): expected \(header.count) fields")
            }
            return Dictionary(uniqueKeysWithValues: zip(header, fields))
        }
    }
}
