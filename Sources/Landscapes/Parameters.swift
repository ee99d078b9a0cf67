import Foundation
/// What values a parameter accepts.
public enum ParameterKind: Sendable, Equatable {
    /// A real number in a closed range (use ±.infinity for an open end).
    case real(ClosedRange<Double>)
    /// A whole number in a closed range.
    case integer(ClosedRange<Int>)
    /// true/false, stored as 1/0.
    case flag
    /// One of a few names, stored as the index of the name.
    case choice([String])
}

/// One tunable parameter of a landscape family or optimizer: its name, documented default, and
/// where that default comes from.
public struct ParameterSpec: Sendable, Equatable {
    public var name: String
    public var defaultValue: Double
    public var kind: ParameterKind
    /// One line: what it does and why the default is what it is (with the source where there is one).
    public var summary: String
    /// Whether the canonical text lists it at its default. A parameter added to an existing
    /// family or optimizer says `false`, so every parameter set written before keeps its text.
    public var listedAtDefault: Bool
    /// What `bench tune` may try (`Tuning`); `.standard` unless the owner declares otherwise.
    public var tuning: Tuning

    public init(_ name: String, default defaultValue: Double, _ kind: ParameterKind, _ summary: String,
                listedAtDefault: Bool = true, tuning: Tuning = .standard) {
        self.name = name
        self.defaultValue = defaultValue
        self.kind = kind
        self.summary = summary
        self.listedAtDefault = listedAtDefault
        self.tuning = tuning
    }

    /// Renders a stored value the way a user writes it.
    public func format(_ value: Double) -> String {
        switch kind {
        case .flag: return value != 0 ? "true" : "false"
        case .choice(let names): return names[Int(value)]
        case .integer: return String(Int(value))
        case .real: return formatReal(value)
        }
    }

    /// Parses a value as written on the command line or in YAML; `nil` when it is not acceptable.
    public func parse(_ text: String) -> Double? {
        switch kind {
        case .real(let range):
            guard let v = Double(text), v.isFinite, range.contains(v) else { return nil }
            return v
        case .integer(let range):
            guard let v = Int(text), range.contains(v) else { return nil }
            return Double(v)
        case .flag:
            switch text.lowercased() {
            case "true", "yes", "1", "on": return 1
            case "false", "no", "0", "off": return 0
            default: return nil
            }
        case .choice(let names):
            return names.firstIndex(of: text).map(Double.init)
        }
    }

    /// What `parse` accepts, for error messages.
    public var expectation: String {
        switch kind {
        case .real(let r): return "a real number in \(rangeText(r.lowerBound, r.upperBound))"
        case .integer(let r): return "a whole number in \(rangeText(Double(r.lowerBound), Double(r.upperBound)))"
        case .flag: return "true or false"
        case .choice(let names): return "one of " + names.joined(separator: ", ")
        }
    }

    private func rangeText(_ lo: Double, _ hi: Double) -> String {
        func f(_ v: Double) -> String {
            if v == .infinity { return "∞" }
            if v == -.infinity { return "−∞" }
            if v.rounded() == v && abs(v) < 1e15 { return String(Int(v)) }
            return formatReal(v)
        }
        return "[\(f(lo)), \(f(hi))]"
    }
}

/// Shortest round-tripping text of a double, without a trailing ".0" for whole numbers.
public func formatReal(_ v: Double) -> String {
    if v.rounded() == v && abs(v) < 1e15 { return String(Int(v)) }
    return String(v)
}

/// A parameter with the Swift type of its value: declared once (name, default, accepted values,
/// summary) as a static constant of its owner, read back typed (`parameters[Key.momentum]` is a
/// `Double`, `parameters[Key.nesterov]` a `Bool`, a choice its enum), so a misspelt parameter is
/// a compile error. Its `spec` is what the owner lists; the stored form (a `Double`: 1/0 for a
/// flag, the index of a choice) and the canonical text are the spec's, unchanged.
public struct Parameter<Value: ParameterValue>: Sendable {
    public let spec: ParameterSpec

    public init(spec: ParameterSpec) {
        self.spec = spec
    }

    public var name: String { spec.name }

    /// The same parameter with its tuning declared (`Tuning`).
    public func tuning(_ tuning: Tuning) -> Parameter {
        var spec = self.spec
        spec.tuning = tuning
        return Parameter(spec: spec)
    }
}

/// A type a parameter's value may have: how it is stored in `ParameterValues` (a `Double`).
public protocol ParameterValue: Sendable {
    init(stored: Double)
    var stored: Double { get }
}

extension Double: ParameterValue {
    public init(stored: Double) { self = stored }
    public var stored: Double { self }
}

extension Int: ParameterValue {
    public init(stored: Double) { self = Int(stored) }
    public var stored: Double { Double(self) }
}

extension Bool: ParameterValue {
    public init(stored: Double) { self = stored != 0 }
    public var stored: Double { self ? 1 : 0 }
}

/// A choice parameter's value: an enum whose raw values are the names a user writes, stored as
/// the index of the case in `allCases` (so the order of the cases is part of the stored form).
public protocol ParameterChoice: ParameterValue, CaseIterable, RawRepresentable, Equatable
where RawValue == String, AllCases == [Self] {}

extension ParameterChoice {
    public init(stored: Double) { self = Self.allCases[Int(stored)] }
    public var stored: Double { Double(Self.allCases.firstIndex(of: self)!) }
}

extension Parameter where Value == Double {
    /// A real number in `range` (±.infinity for an open end).
    public init(_ name: String, default value: Double, in range: ClosedRange<Double>, _ summary: String,
                listedAtDefault: Bool = true) {
        self.init(spec: ParameterSpec(name, default: value, .real(range), summary, listedAtDefault: listedAtDefault))
    }
}

extension Parameter where Value == Int {
    /// A whole number in `range`.
    public init(_ name: String, default value: Int, in range: ClosedRange<Int>, _ summary: String,
                listedAtDefault: Bool = true) {
        self.init(spec: ParameterSpec(name, default: Double(value), .integer(range), summary, listedAtDefault: listedAtDefault))
    }
}

extension Parameter where Value == Bool {
    /// true or false.
    public init(_ name: String, default value: Bool, _ summary: String, listedAtDefault: Bool = true) {
        self.init(spec: ParameterSpec(name, default: value.stored, .flag, summary, listedAtDefault: listedAtDefault))
    }
}

extension Parameter where Value: ParameterChoice {
    /// One of `Value`'s cases, written by its raw value.
    public init(_ name: String, default value: Value, _ summary: String, listedAtDefault: Bool = true) {
        self.init(spec: ParameterSpec(name, default: value.stored, .choice(Value.allCases.map(\.rawValue)), summary,
                                      listedAtDefault: listedAtDefault))
    }
}

/// A validated assignment of every parameter in a spec list. Looked up by name when a landscape or
/// optimizer is built, never in a hot loop.
public struct ParameterValues: Sendable, Equatable {
    public let specs: [ParameterSpec]
    private var values: [String: Double]

    /// The defaults.
    public init(specs: [ParameterSpec]) {
        self.specs = specs
        self.values = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0.defaultValue) })
    }

    /// Defaults overridden by `overrides` (name → text). Throws for an unknown name or a value the
    /// parameter does not accept.
    public init(specs: [ParameterSpec], overrides: [String: String], owner: String) throws {
        self.init(specs: specs)
        for (name, text) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let spec = specs.first(where: { $0.name == name }) else {
                throw ParameterError.unknown(owner: owner, name: name, valid: specs.map(\.name))
            }
            guard let v = spec.parse(text) else {
                throw ParameterError.invalid(owner: owner, name: name, value: text, expected: spec.expectation)
            }
            values[name] = v
        }
    }

    /// The value of `parameter`, which must be one of `specs` (a parameter of another owner is
    /// a programming error).
    public subscript<Value>(_ parameter: Parameter<Value>) -> Value {
        guard let v = values[parameter.name], specs.contains(parameter.spec) else {
            preconditionFailure("\(parameter.name) is not one of these parameters")
        }
        return Value(stored: v)
    }

    /// The value of a parameter whose 0 means "automatic" (derived by its owner): nil for 0.
    public func automatic(_ parameter: Parameter<Double>) -> Double? {
        let value = self[parameter]
        return value != 0 ? value : nil
    }

    /// Whether `parameter` is one of `specs` (for code shared by owners that may lack it).
    public func has<Value>(_ parameter: Parameter<Value>) -> Bool {
        specs.contains(parameter.spec)
    }

    /// `name=value` pairs in sorted name order: the canonical text used in seeds, CSV and run.json.
    /// A parameter that is not `listedAtDefault` appears only when it differs from its default.
    public var canonical: [(name: String, value: String)] {
        specs.sorted { $0.name < $1.name }.compactMap { spec in
            let value = values[spec.name]!
            guard spec.listedAtDefault || value != spec.defaultValue else { return nil }
            return (spec.name, spec.format(value))
        }
    }

    /// `a=1;b=2`, sorted by name.
    public var canonicalText: String {
        canonical.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
    }

    /// Like `canonicalText`, but only the parameters that differ from their defaults: what
    /// identifies an instance in seeds. A parameter added later with a default that keeps the old
    /// behaviour then leaves every existing instance (and its seeds) unchanged.
    public var identityText: String {
        canonical.filter { item in
            let spec = specs.first { $0.name == item.name }!
            return item.value != spec.format(spec.defaultValue)
        }.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
    }
}

public enum ParameterError: Error, Equatable, CustomStringConvertible {
    case unknown(owner: String, name: String, valid: [String])
    case invalid(owner: String, name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .unknown(let owner, let name, let valid):
            let list = valid.isEmpty ? "it takes no parameters" : "valid: " + valid.joined(separator: ", ")
            return "unknown parameter \(PlainText.shown(name)) for \(owner) (\(list))"
        case .invalid(let owner, let name, let value, let expected):
            return "parameter '\(name)' of \(owner) is \(PlainText.shown(value)), expected \(expected)"
        }
    }
}

/// Text read from a file or the command line is repeated in an error only when it is plain: at
/// most 40 letters, digits and `.`, `_`, `+`, `-` (the alphabet of names and numbers). Anything
/// else may be the contents of a file never meant to be printed (a spec path that names a file of
/// secrets), so it is not shown.
public enum PlainText {
    public static func isPlain(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 40
            && text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._+-".unicodeScalars.contains($0)) }
    }

    /// `'text'` when plain, else a note that it is not shown.
    public static func shown(_ text: String) -> String {
        isPlain(text) ? "'\(text)'" : "(not shown: not a plain name or number)"
    }
}
