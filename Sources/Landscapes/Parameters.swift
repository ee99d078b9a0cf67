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

    public init(_ name: String, default defaultValue: Double, _ kind: ParameterKind, _ summary: String,
                listedAtDefault: Bool = true) {
        self.name = name
        self.defaultValue = defaultValue
        self.kind = kind
        self.summary = summary
        self.listedAtDefault = listedAtDefault
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

    public subscript(_ name: String) -> Double {
        guard let v = values[name] else { preconditionFailure("no parameter named \(name)") }
        return v
    }

    public func integer(_ name: String) -> Int { Int(self[name]) }
    public func flag(_ name: String) -> Bool { self[name] != 0 }

    /// The choice's name for a `.choice` parameter.
    public func choice(_ name: String) -> String {
        guard let spec = specs.first(where: { $0.name == name }), case .choice(let names) = spec.kind else {
            preconditionFailure("\(name) is not a choice parameter")
        }
        return names[Int(self[name])]
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
