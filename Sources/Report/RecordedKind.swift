import Harness

/// What kind of landscape a run folder's rows describe, as the folder says it: run.json's `kind`
/// when the run wrote one; in older folders, `continuous` for a landscape with rows in
/// traces.csv (only landscapes on a box record trajectories), else `unknown`. A landscape whose
/// trials report a training accuracy trains a network, whatever its kind.
public enum RecordedKind: String, Sendable, CaseIterable {
    case continuous, ising, unknown
}

/// The words a page uses for a landscape's values.
public struct ValueWords: Sendable, Equatable {
    /// The value's symbol: "f", "E", "training loss".
    public var symbol: String
    /// Its optimum's: "f*", "E*".
    public var optimum: String
    /// The table column of the median distance to the optimum.
    public var gapColumn: String

    public init(kind: RecordedKind, trainsNetwork: Bool) {
        switch (kind, trainsNetwork) {
        case (_, true):
            self = ValueWords(symbol: "L", optimum: "L*", gapColumn: "median training loss gap L − L*")
        case (.continuous, false):
            self = ValueWords(symbol: "f", optimum: "f*", gapColumn: "median gap f − f*")
        case (.ising, false):
            self = ValueWords(symbol: "E", optimum: "E*", gapColumn: "median energy gap E − E*")
        case (.unknown, false):
            self = ValueWords(symbol: "f", optimum: "f*", gapColumn: "median gap to the optimum")
        }
    }

    init(symbol: String, optimum: String, gapColumn: String) {
        self.symbol = symbol
        self.optimum = optimum
        self.gapColumn = gapColumn
    }
}
