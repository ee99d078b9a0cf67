import Foundation
import Harness
import Landscapes

/// A 2-D landscape's values on a grid over its box and its known global minima, for the
/// background of a trajectory figure, read from the run's surface.csv (`LandscapeSurface`).
/// `nil` when the run wrote none for this landscape, or its rows do not make a square grid inside
/// a box.
struct LandscapeBackground {
    var field: HeatField
    var minima: [(Double, Double)]

    init?(_ entry: RunMetadata.LandscapeEntry, run: RunFolder) {
        let rows = run.surface.filter { $0["landscape"] == entry.name }
        func point(_ row: [String: String]) -> (Double, Double)? {
            guard let x = row["x1"].flatMap(Double.init), let y = row["x2"].flatMap(Double.init), x.isFinite, y.isFinite else { return nil }
            return (x, y)
        }
        let box = rows.filter { $0["kind"] == "box" }.compactMap(point)
        let cells = rows.filter { $0["kind"] == "cell" }
        let n = Int(Double(cells.count).squareRoot().rounded())
        guard entry.dimension == 2, box.count == 2, box[0].0 < box[1].0, box[0].1 < box[1].1, n > 0, n * n == cells.count else {
            return nil
        }
        let values = cells.map { $0["value"].flatMap(Double.init) ?? .nan }
        field = HeatField(values: (0..<n).map { r in Array(values[(r * n)..<(r * n + n)]) },
                          xRange: box[0].0...box[1].0, yRange: box[0].1...box[1].1)
        minima = rows.filter { $0["kind"] == "minimum" }.compactMap(point)
    }
}
