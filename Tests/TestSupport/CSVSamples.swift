import Landscapes

/// Seeded CSV documents with every awkward field the dialect must carry, for the tests of the CSV
/// writer and of its readers (`CSV.read`, the run-folder reader).
public enum CSVSamples {
    /// Pieces that fields are glued from: every character the dialect treats specially, the line
    /// breaks of other systems, spaces at either end, and text outside ASCII (a combining accent
    /// too, which Swift joins with its letter into one Character).
    public static let pieces = [",", "\"", "\n", "\r", "\r\n", "\n\r", "", " ", "  lead", "trail  ", "a", "x,y", "\"\"", "\"q\"",
                                "é", "e\u{301}", "\u{301}", "日本", "🙂", "\t", "0", "-1.5e3", "inf", ",,", "\"\n\""]

    /// `count` documents from a seeded generator: 1–5 columns (distinct names), 0–6 rows, each
    /// field 0–4 pieces.
    public static func documents(_ count: Int, seed: UInt64) -> [(header: [String], rows: [[String]])] {
        var rng = Xoshiro256(seed: seed)
        func field() -> String {
            (0..<Int(rng.next() % 5)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
        }
        return (0..<count).map { _ in
            let width = 1 + Int(rng.next() % 5)
            let header = (0..<width).map { "\(field())#\($0)" }
            let rows = (0..<Int(rng.next() % 7)).map { _ in (0..<width).map { _ in field() } }
            return (header, rows)
        }
    }
}
