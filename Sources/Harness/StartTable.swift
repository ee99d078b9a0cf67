/// The starts of one landscape's trials, kept for the optimizers that share them (every optimizer
/// of a landscape starts trial i from the same point: docs/DESIGN.md, invariant 2), in flat
/// arrays rather than one `TrialStart` (two heap arrays) per trial.
///
/// Per trial it holds the start point (d Doubles; an Ising state as N `Int8` spins), the trap
/// point only when it can differ from the start (every protocol but `local-min`, whose start is
/// the trap exactly), f(m0), the trapped flag and the quench count: 8d + 13 bytes for a
/// continuous `local-min` landscape, 16d + 13 for the other protocols, N + 13 and 2N + 13 bytes
/// for Ising.
struct StartTable: Sendable {
    private let spins: Bool
    private let trapIsStart: Bool
    private var width = -1
    private var points = ContiguousArray<Double>()
    private var trapPoints = ContiguousArray<Double>()
    private var spinPoints = ContiguousArray<Int8>()
    private var spinTraps = ContiguousArray<Int8>()
    private var trapValues = ContiguousArray<Double>()
    private var trapped = ContiguousArray<Bool>()
    private var quenches = ContiguousArray<Int32>()

    var count: Int { trapValues.count }

    init(_ landscape: ResolvedLandscape) {
        spins = landscape.kind == .ising
        trapIsStart = landscape.start == .localMin
        trapValues.reserveCapacity(landscape.trials)
        trapped.reserveCapacity(landscape.trials)
        quenches.reserveCapacity(landscape.trials)
    }

    /// Appends the start of the next trial.
    mutating func append(_ start: TrialStart) {
        if width < 0 {
            width = start.point.count
            let total = width * trapValues.capacity
            if spins {
                spinPoints.reserveCapacity(total)
                if !trapIsStart { spinTraps.reserveCapacity(total) }
            } else {
                points.reserveCapacity(total)
                if !trapIsStart { trapPoints.reserveCapacity(total) }
            }
        }
        precondition(start.point.count == width && start.trapPoint.count == width, "every start of a landscape has one dimension")
        precondition(!trapIsStart || start.point == start.trapPoint, "a local-min start is its trap")
        if spins {
            // ±1 spins are exact in both types.
            spinPoints.append(contentsOf: start.point.lazy.map { Int8($0) })
            if !trapIsStart { spinTraps.append(contentsOf: start.trapPoint.lazy.map { Int8($0) }) }
        } else {
            points.append(contentsOf: start.point)
            if !trapIsStart { trapPoints.append(contentsOf: start.trapPoint) }
        }
        trapValues.append(start.trapValue)
        trapped.append(start.trapped)
        quenches.append(Int32(clamping: start.quenches))
    }

    /// Trial `trial`'s start, as `drawStart` returned it.
    subscript(trial: Int) -> TrialStart {
        let range = trial * width..<(trial + 1) * width
        let point: [Double], trap: [Double]
        if spins {
            point = spinPoints[range].map(Double.init)
            trap = trapIsStart ? point : spinTraps[range].map(Double.init)
        } else {
            point = Array(points[range])
            trap = trapIsStart ? point : Array(trapPoints[range])
        }
        return TrialStart(trapPoint: trap, trapValue: trapValues[trial], point: point, trapped: trapped[trial],
                          quenches: Int(quenches[trial]))
    }
}
