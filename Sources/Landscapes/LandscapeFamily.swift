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

/// A named family of continuous landscapes: its parameters, supported dimensions, default
/// tolerances, and how to build instance `i` of dimension `d`.
public struct LandscapeFamily: Sendable {
    public var name: String
    /// One line for `bench list`.
    public var summary: String
    public var parameters: [ParameterSpec]
    public var defaultDimension: Int
    public var dimensions: ClosedRange<Int>
    public var tolerances: Tolerances
    /// f*'s status for this family's instances (for `bench list`).
    public var optimumStatus: OptimumStatus
    /// Builds an instance from a validated request. Instance 0 is the textbook function; others
    /// are seeded variants (`InstanceRequest.seed`).
    public var make: @Sendable (InstanceRequest) throws -> any ContinuousLandscape
    /// For families whose dimension follows from their parameters (a network's weight count):
    /// d and the rule that gives it, for messages. `nil`: any d in `dimensions`.
    public var impliedDimension: (@Sendable (ParameterValues) -> (value: Int, rule: String))? = nil
    /// The family's own initialization (neural networks: Xavier), drawn from `rng` for the `init`
    /// start protocol: (d, parameters, rng) → a point of the box. `nil`: the family has none.
    public var initialization: (@Sendable (Int, ParameterValues, inout Xoshiro256) -> [Double])? = nil
    /// How far above f* the highest local minimum of an instance (d, parameters) lies, where a
    /// closed form says: 0 when f* is the only minimum (a convex function; Rosenbrock in d ≤ 3),
    /// `nil` when it is not known exactly. The `local-min` and `basin` start protocols need a
    /// trap, a minimum above f* + ε: none exists when this height is ≤ ε.
    public var highestMinimum: @Sendable (Int, ParameterValues) -> Double?

    public init(
        name: String, summary: String, parameters: [ParameterSpec] = [], defaultDimension: Int,
        dimensions: ClosedRange<Int>, tolerances: Tolerances, optimumStatus: OptimumStatus,
        highestMinimum: @escaping @Sendable (Int, ParameterValues) -> Double? = { _, _ in nil },
        make: @escaping @Sendable (InstanceRequest) throws -> any ContinuousLandscape
    ) {
        self.highestMinimum = highestMinimum
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.defaultDimension = defaultDimension
        self.dimensions = dimensions
        self.tolerances = tolerances
        self.optimumStatus = optimumStatus
        self.make = make
    }

    /// Validates the dimension and builds the instance.
    public func instance(dimension: Int, instance: Int, parameters: ParameterValues) throws -> any ContinuousLandscape {
        guard dimensions.contains(dimension) else {
            throw LandscapeError.unsupportedDimension(family: name, dimension: dimension, supported: dimensions)
        }
        guard instance >= 0 else { throw LandscapeError.invalidInstance(family: name, instance: instance) }
        if let implied = impliedDimension?(parameters), implied.value != dimension {
            throw LandscapeError.invalidParameters(
                family: name, reason: "dimension \(dimension) does not match these parameters: d = \(implied.rule) = \(implied.value) "
                    + "(use --dimension \(implied.value) or leave it out)")
        }
        let seed = Seed.derive(0, "instance", name, parameters.identityText, "d=\(dimension)", "i=\(instance)")
        return try make(InstanceRequest(dimension: dimension, instance: instance, seed: seed, parameters: parameters))
    }
}

/// What a family needs to build one instance: d, the instance number, its seed (derived from the
/// family name, parameters, d and instance alone, so an instance is the same object in every run),
/// and the validated parameters.
public struct InstanceRequest: Sendable {
    public var dimension: Int
    public var instance: Int
    public var seed: UInt64
    public var parameters: ParameterValues

    public init(dimension: Int, instance: Int, seed: UInt64, parameters: ParameterValues) {
        self.dimension = dimension
        self.instance = instance
        self.seed = seed
        self.parameters = parameters
    }
}

public enum LandscapeError: Error, Equatable, CustomStringConvertible {
    case unknownFamily(String, valid: [String])
    case unsupportedDimension(family: String, dimension: Int, supported: ClosedRange<Int>)
    case invalidInstance(family: String, instance: Int)
    case invalidParameters(family: String, reason: String)

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
        }
    }
}
