import Landscapes

/// A 2-D continuous landscape's values on a grid over its box, with its box and known global
/// minima: surface.csv, written beside traces.csv, so that the report draws a trajectory's
/// background from the run's files alone (it never rebuilds a landscape).
///
/// Rows, per landscape: `box` twice (the lower corner, then the upper), then `resolution`² `cell`
/// rows at the cell centres, row by row from the lowest x₂ and within a row from the lowest x₁,
/// then one `minimum` per known global minimizer (its value f*). Setup work outside any budget:
/// 25,600 evaluations per landscape, the cost of one short trial.
public enum LandscapeSurface {
    /// Cells per side.
    public static let resolution = 160

    public struct Row: Sendable {
        public var landscape: String
        public var kind: String
        public var x1: Double
        public var x2: Double
        public var value: Double
    }

    public static let columns = Columns<Row>([
        .text("landscape") { $0.landscape },
        .text("kind") { $0.kind },
        .number("x1") { $0.x1 },
        .number("x2") { $0.x2 },
        .number("value") { $0.value },
    ])

    /// The rows of `landscape`; none unless it is continuous with d = 2.
    public static func rows(_ landscape: ResolvedLandscape) -> [Row] {
        guard case .continuous(let function) = landscape.landscape, function.dimension == 2 else { return [] }
        return rows(function, name: landscape.spec.name)
    }

    static func rows<L: ContinuousLandscape>(_ function: L, name: String) -> [Row] {
        let box = function.domain, n = resolution
        var rows = [Row(landscape: name, kind: "box", x1: box.lower[0], x2: box.lower[1], value: .nan),
                    Row(landscape: name, kind: "box", x1: box.upper[0], x2: box.upper[1], value: .nan)]
        rows.reserveCapacity(2 + n * n + function.optimum.points.count)
        var x = [0.0, 0.0]
        for r in 0..<n {
            x[1] = box.lower[1] + (box.upper[1] - box.lower[1]) * (Double(r) + 0.5) / Double(n)
            for c in 0..<n {
                x[0] = box.lower[0] + (box.upper[0] - box.lower[0]) * (Double(c) + 0.5) / Double(n)
                rows.append(Row(landscape: name, kind: "cell", x1: x[0], x2: x[1], value: function.value(at: x)))
            }
        }
        for point in function.optimum.points where point.count == 2 {
            rows.append(Row(landscape: name, kind: "minimum", x1: point[0], x2: point[1], value: function.optimum.value ?? .nan))
        }
        return rows
    }
}
