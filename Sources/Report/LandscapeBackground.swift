import Foundation
import Harness
import Landscapes

/// A 2-D landscape's values on a grid over its box and its known global minima, for the
/// background of a trajectory figure: the one thing on the report that the run's files do not
/// hold, made by evaluating the landscape run.json names (family, parameters, dimension,
/// instance). `nil` when this build cannot make it.
struct LandscapeBackground {
    var field: HeatField
    var minima: [(Double, Double)]

    init?(_ entry: RunMetadata.LandscapeEntry, resolution n: Int = 160) {
        var spec = LandscapeSpec(name: entry.name, family: entry.family)
        for pair in entry.parameters.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { spec.parameters[parts[0]] = parts[1] }
        }
        spec.dimension = entry.dimension
        spec.instance = entry.instance
        guard entry.dimension == 2, let resolved = try? ResolvedLandscape(spec),
              case .continuous(let landscape) = resolved.landscape else { return nil }
        let box = landscape.domain
        let values: [[Double]] = (0..<n).map { r in
            (0..<n).map { c in
                let x = [box.lower[0] + (box.upper[0] - box.lower[0]) * (Double(c) + 0.5) / Double(n),
                         box.lower[1] + (box.upper[1] - box.lower[1]) * (Double(r) + 0.5) / Double(n)]
                return landscape.value(at: x)
            }
        }
        field = HeatField(values: values, xRange: box.lower[0]...box.upper[0], yRange: box.lower[1]...box.upper[1])
        minima = landscape.optimum.points.filter { $0.count == 2 }.map { ($0[0], $0[1]) }
    }
}
