import Foundation

/// What `bench tune` may try for one parameter, declared with the parameter
/// (`Parameter.tuning(_:)`), and where that range comes from.
///
/// The standard rule, for a parameter that declares nothing: a real or whole number with a
/// positive default is drawn log-uniformly from default ÷ 10 … default × 10 (clipped to what the
/// parameter accepts; whole numbers rounded); a flag takes false or true; a choice each of its
/// names, uniformly. Anything else (a default of 0 that means "automatic", a count that defines
/// the method, a range the rule would make meaningless) declares its range or why it is not tuned.
public enum Tuning: Sendable, Equatable {
    /// The standard rule above.
    case standard
    /// Log-uniform over `range` (both ends positive), `why` it differs from the rule.
    case log(ClosedRange<Double>, why: String)
    /// Uniform over `range`, `why` it differs from the rule.
    case linear(ClosedRange<Double>, why: String)
    /// For a decay factor just below 1 (a momentum, Adam's β): 1 − value log-uniform, so the value
    /// lies in `range` (both ends in (0, 1)) and each decade of 1 − value (0.9, 0.99, 0.999) is as
    /// likely; `why` it differs from the rule, which would draw down to a tenth of the default.
    case logComplement(ClosedRange<Double>, why: String)
    /// Held at its default, and why.
    case fixed(why: String)
}

/// A resolved tuning range: what a configuration draws from.
public struct TuningRange: Sendable, Equatable {
    public enum Values: Sendable, Equatable {
        case log(ClosedRange<Double>)
        case linear(ClosedRange<Double>)
        /// 1 − value log-uniform, the value in the range (`Tuning.logComplement`).
        case logComplement(ClosedRange<Double>)
        /// Stored values (a flag's 0 and 1, a choice's indices), drawn uniformly.
        case choices([Double])
    }

    public var values: Values
    /// Whether drawn values are rounded to whole numbers.
    public var integer: Bool
    /// Where the range comes from: the rule, or the owner's reason.
    public var source: String

    /// One value, as stored (`ParameterValues`).
    public func draw(using next: () -> Double) -> Double {
        let u = next()
        switch values {
        case .log(let r):
            let v = Foundation.exp(Foundation.log(r.lowerBound) + u * (Foundation.log(r.upperBound) - Foundation.log(r.lowerBound)))
            return clamp(integer ? v.rounded() : v, r)
        case .linear(let r):
            let v = r.lowerBound + u * (r.upperBound - r.lowerBound)
            return clamp(integer ? v.rounded() : v, r)
        case .logComplement(let r):
            let lo = Foundation.log(1 - r.upperBound), hi = Foundation.log(1 - r.lowerBound)
            return clamp(1 - Foundation.exp(hi + u * (lo - hi)), r)
        case .choices(let values):
            return values[Swift.min(values.count - 1, Int(u * Double(values.count)))]
        }
    }

    private func clamp(_ v: Double, _ r: ClosedRange<Double>) -> Double {
        Swift.min(Swift.max(v, r.lowerBound), r.upperBound)
    }

    /// The range as the tuning report prints it: `log [0.01, 1]`, `{false, true}`.
    public func text(_ spec: ParameterSpec) -> String {
        switch values {
        case .log(let r): return "log [\(spec.format(r.lowerBound)), \(spec.format(r.upperBound))]"
        case .linear(let r): return "linear [\(spec.format(r.lowerBound)), \(spec.format(r.upperBound))]"
        case .logComplement(let r): return "log of 1 − value, [\(spec.format(r.lowerBound)), \(spec.format(r.upperBound))]"
        case .choices(let v): return "{" + v.map(spec.format).joined(separator: ", ") + "}"
        }
    }
}

extension ParameterSpec {
    /// The range `bench tune` draws from, or why there is none: `.success(nil)` never happens;
    /// `.failure` carries the reason a parameter is held at its default (declared, or the rule's
    /// "declare a range" for a default the rule cannot scale).
    public var tuningRange: Result<TuningRange, TuningRefusal> {
        let integer: Bool
        let accepted: ClosedRange<Double>
        switch kind {
        case .flag:
            if case .fixed(let why) = tuning { return .failure(TuningRefusal(why, declared: true)) }
            return .success(TuningRange(values: .choices([0, 1]), integer: false, source: "false or true (the rule)"))
        case .choice(let names):
            if case .fixed(let why) = tuning { return .failure(TuningRefusal(why, declared: true)) }
            return .success(TuningRange(values: .choices(names.indices.map(Double.init)), integer: false,
                                        source: "each choice (the rule)"))
        case .real(let r): integer = false; accepted = r
        case .integer(let r): integer = true; accepted = Double(r.lowerBound)...Double(r.upperBound)
        }
        func within(_ r: ClosedRange<Double>) -> ClosedRange<Double>? {
            let lo = Swift.max(r.lowerBound, accepted.lowerBound), hi = Swift.min(r.upperBound, accepted.upperBound)
            return lo <= hi ? lo...hi : nil
        }
        switch tuning {
        case .fixed(let why):
            return .failure(TuningRefusal(why, declared: true))
        case .standard:
            guard defaultValue > 0, let r = within(Self.short(defaultValue / 10)...Self.short(defaultValue * 10)) else {
                return .failure(TuningRefusal("the rule scales a positive default; this one is \(format(defaultValue)): declare a range or why not",
                                              declared: false))
            }
            return .success(TuningRange(values: .log(r), integer: integer, source: "default ÷ 10 … × 10 (the rule)"))
        case .log(let r, let why):
            guard r.lowerBound > 0, let r = within(r) else {
                return .failure(TuningRefusal("a log range needs positive ends inside the accepted values", declared: false))
            }
            return .success(TuningRange(values: .log(r), integer: integer, source: why))
        case .linear(let r, let why):
            guard let r = within(r) else {
                return .failure(TuningRefusal("the range lies outside the accepted values", declared: false))
            }
            return .success(TuningRange(values: .linear(r), integer: integer, source: why))
        case .logComplement(let r, let why):
            guard r.lowerBound > 0, r.upperBound < 1, let r = within(r) else {
                return .failure(TuningRefusal("a log-complement range needs ends inside (0, 1) and the accepted values", declared: false))
            }
            return .success(TuningRange(values: .logComplement(r), integer: integer, source: why))
        }
    }

    /// `x` to 12 significant digits, so the rule's ends read as written (1e-6, not the
    /// 1.0000000000000002e-06 that 1e-5 ÷ 10 gives in binary).
    static func short(_ x: Double) -> Double {
        Double(String(format: "%.12g", x)) ?? x
    }
}

/// Why a parameter is held at its default when tuning: `declared` when its owner said so, false
/// when its declaration does not work (a test over the registry requires none of those).
public struct TuningRefusal: Error, Sendable, Equatable {
    public var reason: String
    public var declared: Bool

    public init(_ reason: String, declared: Bool) {
        self.reason = reason
        self.declared = declared
    }
}
