import Foundation

/// The thresholds that turn values into outcomes, per landscape (docs/DESIGN.md):
/// escape when the incumbent < f(m0) − δ with δ = `escapeAbsolute` + `escapeRelative`·|f(m0)|;
/// success when the incumbent ≤ f* + `success`.
public struct Tolerances: Sendable, Equatable {
    public var escapeAbsolute: Double
    public var escapeRelative: Double
    public var success: Double

    public init(escapeAbsolute: Double = 1e-6, escapeRelative: Double = 1e-9, success: Double) {
        self.escapeAbsolute = escapeAbsolute
        self.escapeRelative = escapeRelative
        self.success = success
    }

    /// δ for a trap of value `trapValue`.
    public func escapeMargin(trapValue: Double) -> Double {
        escapeAbsolute + escapeRelative * abs(trapValue)
    }
}

/// One built instance of either kind: what a family's builder returns and a trial runs on.
public enum LandscapeInstance: Sendable {
    /// A box in R^d with an analytic gradient.
    case continuous(any ContinuousLandscape)
    /// N spins ±1 with H(s) = −Σ_{i<j} J_ij s_i s_j − Σ_i h_i s_i.
    case ising(IsingModel)

    public var kind: LandscapeKind {
        switch self {
        case .continuous: return .continuous
        case .ising: return .ising
        }
    }

    /// d, the coordinates of a continuous instance, or N, the spins of an Ising one.
    public var dimension: Int {
        switch self {
        case .continuous(let landscape): return landscape.dimension
        case .ising(let model): return model.size
        }
    }

    /// f* (E*), its status and the known minimizers.
    public var optimum: KnownOptimum {
        switch self {
        case .continuous(let landscape): return landscape.optimum
        case .ising(let model): return model.optimum
        }
    }

    /// Why an external landscape program stopped answering, or `nil` (`ContinuousLandscape.programFailure`).
    public var programFailure: String? {
        if case .continuous(let landscape) = self { return landscape.programFailure }
        return nil
    }
}

/// How a family's instances get their size.
public enum FamilySizing: Sendable, Equatable {
    /// The user picks d in `range` (`--dimension`), `default` when not given. A family may still
    /// tie d to its parameters (`LandscapeFamily.impliedDimension`).
    case chosen(default: Int, range: ClosedRange<Int>)
    /// The parameters alone fix the size (a lattice side, a file's spins); `--dimension` does not apply.
    case byParameters
}

/// A named family of landscapes of one kind: its parameters, how big its instances are, its
/// default tolerances, and how to build instance `i`. Every family, continuous or Ising, is one of
/// these, listed once in `LandscapeCatalog`.
public struct LandscapeFamily: Sendable {
    public var name: String
    /// One line for `bench list`.
    public var summary: String
    public let kind: LandscapeKind
    public var parameters: [ParameterSpec]
    /// Parameters given as text (paths, published values), not validated as numbers.
    public var textParameters: [String] = []
    public var sizing: FamilySizing
    public var tolerances: Tolerances
    /// f*'s status for this family's instances (for `bench list`).
    public var optimumStatus: OptimumStatus
    /// Builds an instance from a validated request. Instance 0 is the textbook function; others
    /// are seeded variants (`InstanceRequest.seed`).
    public var build: @Sendable (InstanceRequest) throws -> LandscapeInstance
    /// For families whose dimension follows from their parameters (a network's weight count):
    /// d and the rule that gives it, for messages. `nil`: any d in the sizing's range.
    public var impliedDimension: (@Sendable (ParameterValues) -> (value: Int, rule: String))? = nil
    /// The family's own initialization (neural networks: Xavier), drawn from `rng` for the `init`
    /// start protocol: (d, parameters, rng) → a point of the box. `nil`: the family has none.
    public var initialization: (@Sendable (Int, ParameterValues, inout Xoshiro256) -> [Double])? = nil
    /// How far above f* the highest local minimum of an instance (d, parameters) lies, where a
    /// closed form says: 0 when f* is the only minimum (a convex function; Rosenbrock in d ≤ 3),
    /// `nil` when it is not known exactly. The `local-min` and `basin` start protocols need a
    /// trap, a minimum above f* + ε: none exists when this height is ≤ ε.
    public var highestMinimum: @Sendable (Int, ParameterValues) -> Double?
    /// The registry file of a family that is an external program (docs/external.md); `nil` for a
    /// built-in one.
    public var source: String? = nil

    /// A continuous family: d chosen in `dimensions`, instances built by `make`.
    public init(
        name: String, summary: String, parameters: [ParameterSpec] = [], defaultDimension: Int,
        dimensions: ClosedRange<Int>, tolerances: Tolerances, optimumStatus: OptimumStatus,
        highestMinimum: @escaping @Sendable (Int, ParameterValues) -> Double? = { _, _ in nil },
        make: @escaping @Sendable (InstanceRequest) throws -> any ContinuousLandscape
    ) {
        self.name = name
        self.summary = summary
        kind = .continuous
        self.parameters = parameters
        sizing = .chosen(default: defaultDimension, range: dimensions)
        self.tolerances = tolerances
        self.optimumStatus = optimumStatus
        self.highestMinimum = highestMinimum
        build = { request in .continuous(try make(request)) }
    }

    /// An Ising family: N fixed by the parameters (or a file named by a text parameter).
    public init(ising name: String, summary: String, parameters: [ParameterSpec] = [], textParameters: [String] = [],
                tolerances: Tolerances = LandscapeFamily.isingTolerances, optimumStatus: OptimumStatus,
                make: @escaping @Sendable (InstanceRequest) throws -> IsingModel) {
        self.name = name
        self.summary = summary
        kind = .ising
        self.parameters = parameters
        self.textParameters = textParameters
        sizing = .byParameters
        self.tolerances = tolerances
        self.optimumStatus = optimumStatus
        highestMinimum = { _, _ in nil }
        build = { request in .ising(try make(request)) }
    }

    /// Escape on spins: below E(m0) − (1e-6 + 1e-9|E(m0)|), far above the drift of incrementally
    /// tracked energies (resynchronized every 64 sweeps, ≲1e-9 relative) and far below the
    /// smallest energy gap of the built-in discrete families. Success: within 1e-6 of E*.
    public static let isingTolerances = Tolerances(escapeAbsolute: 1e-6, escapeRelative: 1e-9, success: 1e-6)

    /// The dimension an instance gets: the requested one, else the one the parameters imply, else
    /// the default; `nil` when the parameters fix the size.
    public func dimension(requested: Int?, parameters: ParameterValues) -> Int? {
        guard case .chosen(let d, _) = sizing else { return nil }
        return requested ?? impliedDimension?(parameters).value ?? d
    }

    /// Validates the request and builds the instance. `dimension` is `nil` exactly when the
    /// family's parameters fix its size.
    ///
    /// The instance seed hashes the family name, the parameters, d and the instance number. A
    /// chosen-size family hashes only its non-default parameters (`identityText`, so a parameter
    /// added later with a default that keeps the old behaviour leaves every instance unchanged)
    /// and d; a family sized by its parameters hashes all of them (`canonicalText`) and no d. The
    /// two rules are kept as they were when the kinds had separate family types, so that no
    /// existing instance changes.
    public func instance(dimension: Int?, instance: Int, parameters: ParameterValues,
                         text: [String: String] = [:], directory: String = ".") throws -> LandscapeInstance {
        guard instance >= 0 else { throw LandscapeError.invalidInstance(family: name, instance: instance) }
        let seed: UInt64
        switch sizing {
        case .chosen(_, let range):
            guard let dimension else {
                throw LandscapeError.invalidParameters(family: name, reason: "a dimension is needed")
            }
            guard range.contains(dimension) else {
                throw LandscapeError.unsupportedDimension(family: name, dimension: dimension, supported: range)
            }
            if let implied = impliedDimension?(parameters), implied.value != dimension {
                throw LandscapeError.invalidParameters(
                    family: name, reason: "dimension \(dimension) does not match these parameters: d = \(implied.rule) = \(implied.value) "
                        + "(use --dimension \(implied.value) or leave it out)")
            }
            seed = Seed.derive(0, "instance", name, parameters.identityText, "d=\(dimension)", "i=\(instance)")
        case .byParameters:
            seed = Seed.derive(0, "instance", name, parameters.canonicalText, "i=\(instance)")
        }
        return try build(InstanceRequest(dimension: dimension ?? 0, instance: instance, seed: seed, parameters: parameters,
                                         text: text, directory: directory))
    }

    /// A continuous family's instance (tests and benchmarks that know the kind).
    public func continuousInstance(dimension: Int, instance: Int = 0, parameters: ParameterValues) throws -> any ContinuousLandscape {
        guard case .continuous(let landscape) = try self.instance(dimension: dimension, instance: instance, parameters: parameters) else {
            throw LandscapeError.invalidParameters(family: name, reason: "\(name) is not a continuous family")
        }
        return landscape
    }

    /// An Ising family's instance (tests and benchmarks that know the kind).
    public func isingInstance(_ instance: Int, parameters: ParameterValues, text: [String: String] = [:],
                              directory: String = ".") throws -> IsingModel {
        guard case .ising(let model) = try self.instance(dimension: nil, instance: instance, parameters: parameters,
                                                         text: text, directory: directory) else {
            throw LandscapeError.invalidParameters(family: name, reason: "\(name) is not an Ising family")
        }
        return model
    }
}

/// What a family needs to build one instance: d (0 for a family sized by its parameters), the
/// instance number, its seed (derived from the family name, parameters, d and instance alone, so
/// an instance is the same object in every run), the validated parameters, the text parameters
/// (file paths) and the folder relative paths are resolved against.
public struct InstanceRequest: Sendable {
    public var dimension: Int
    public var instance: Int
    public var seed: UInt64
    public var parameters: ParameterValues
    public var text: [String: String]
    public var directory: String

    public init(dimension: Int, instance: Int, seed: UInt64, parameters: ParameterValues,
                text: [String: String] = [:], directory: String = ".") {
        self.dimension = dimension
        self.instance = instance
        self.seed = seed
        self.parameters = parameters
        self.text = text
        self.directory = directory
    }

    /// `text[name]` as a path relative to `directory` (absolute paths are kept).
    public func path(_ name: String) -> String? {
        guard let p = text[name] else { return nil }
        return p.hasPrefix("/") ? p : (directory as NSString).appendingPathComponent(p)
    }
}

public enum LandscapeError: Error, Equatable, CustomStringConvertible {
    case unknownFamily(String, valid: [String])
    case unsupportedDimension(family: String, dimension: Int, supported: ClosedRange<Int>)
    case invalidInstance(family: String, instance: Int)
    case invalidParameters(family: String, reason: String)
    case nameTaken(String, by: String, in: String)

    public var description: String {
        switch self {
        case .unknownFamily(let name, let valid):
            return "unknown landscape '\(name)' (valid: \(valid.joined(separator: ", ")))"
        case .unsupportedDimension(let family, let d, let range):
            let supported = range.lowerBound == range.upperBound
                ? "only \(range.lowerBound)" : "\(range.lowerBound)…\(range.upperBound)"
            return "dimension \(d) is not supported by \(family) (supported: \(supported))"
        case .invalidInstance(let family, let instance):
            return "instance \(instance) of \(family) is invalid, expected a whole number ≥ 0"
        case .invalidParameters(let family, let reason):
            return "parameters of \(family) are inconsistent: \(reason)"
        case .nameTaken(let name, let by, let file):
            return "\(file): landscape name '\(name)' is already taken by \(by); give the external landscape another name"
        }
    }
}
