/// The JSON of the external-process protocol (docs/external.md): one message per line, read and
/// written here without Foundation's serializer, so that every number round-trips exactly (a
/// double is written as its shortest round-tripping text and read back by the standard library's
/// correctly rounded parser) and a batch of points costs no dictionary of boxed values.
///
/// Beyond RFC 8259 the reader accepts `NaN`, `Infinity` and `-Infinity` (Python's `json` writes
/// them by default); a non-finite coordinate is then outside every box, and the trial fails with
/// that reason instead of a parse error.
enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    var string: String? { if case .string(let s) = self { return s }; return nil }
    var number: Double? { if case .number(let v) = self { return v }; return nil }
    var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    var array: [JSONValue]? { if case .array(let a) = self { return a }; return nil }

    /// The array of numbers this value is, or `nil` when it is anything else.
    var numbers: [Double]? {
        guard case .array(let items) = self else { return nil }
        var out = [Double]()
        out.reserveCapacity(items.count)
        for item in items {
            guard case .number(let v) = item else { return nil }
            out.append(v)
        }
        return out
    }
}

/// Why a line is not one JSON value: what was expected and at which byte.
struct JSONSyntaxError: Error, CustomStringConvertible {
    var offset: Int
    var expected: String
    var description: String { "malformed JSON at byte \(offset + 1): expected \(expected)" }
}

/// A recursive-descent reader of one JSON value from UTF-8 bytes. Nesting is bounded (a line of
/// ten thousand `[` must not exhaust the stack).
struct JSONReader {
    static let maximumDepth = 64

    private let bytes: [UInt8]
    private var i = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The one value `line` holds (surrounding white space allowed).
    static func parse(_ line: [UInt8]) throws -> JSONValue {
        var reader = JSONReader(line)
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.i == reader.bytes.count else { throw JSONSyntaxError(offset: reader.i, expected: "the end of the line") }
        return value
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
    }

    private mutating func value(depth: Int) throws -> JSONValue {
        guard depth < Self.maximumDepth else { throw JSONSyntaxError(offset: i, expected: "at most \(Self.maximumDepth) levels of nesting") }
        skipSpace()
        guard i < bytes.count else { throw JSONSyntaxError(offset: i, expected: "a value") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "N"): try literal("NaN"); return .number(.nan)
        case UInt8(ascii: "I"): try literal("Infinity"); return .number(.infinity)
        default: return .number(try number())
        }
    }

    private mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, bytes[i..<i + w.count].elementsEqual(w) else {
            throw JSONSyntaxError(offset: i, expected: "a value")
        }
        i += w.count
    }

    private mutating func number() throws -> Double {
        let begin = i
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "I") {
                try literal("Infinity")
                return -.infinity
            }
        }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        let digitsStart = i
        while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        guard i > digitsStart else { throw JSONSyntaxError(offset: begin, expected: "a value") }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let fraction = i
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            guard i > fraction else { throw JSONSyntaxError(offset: i, expected: "a digit after the decimal point") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            let exponent = i
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            guard i > exponent else { throw JSONSyntaxError(offset: i, expected: "a digit in the exponent") }
        }
        let text = String(decoding: bytes[begin..<i], as: UTF8.self)
        guard let v = Double(text) else { throw JSONSyntaxError(offset: begin, expected: "a number") }
        return v
    }

    private mutating func string() throws -> String {
        i += 1  // the opening quote
        var out = [UInt8]()
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            switch b {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard i < bytes.count else { break }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard i + 4 <= bytes.count, let unit = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
                        throw JSONSyntaxError(offset: i, expected: "four hexadecimal digits after \\u")
                    }
                    i += 4
                    // A lone surrogate (or a pair, not needed by the protocol) becomes U+FFFD.
                    let scalar = Unicode.Scalar(unit) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw JSONSyntaxError(offset: i - 1, expected: "an escape (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\u)")
                }
            default:
                guard b >= 0x20 else { throw JSONSyntaxError(offset: i - 1, expected: "no control character inside a string") }
                out.append(b)
            }
        }
        throw JSONSyntaxError(offset: i, expected: "the closing quote of a string")
    }

    private mutating func array(depth: Int) throws -> JSONValue {
        i += 1
        var items = [JSONValue]()
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            items.append(try value(depth: depth + 1))
            skipSpace()
            guard i < bytes.count else { throw JSONSyntaxError(offset: i, expected: "',' or ']'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw JSONSyntaxError(offset: i, expected: "',' or ']'")
        }
    }

    private mutating func object(depth: Int) throws -> JSONValue {
        i += 1
        var fields = [String: JSONValue]()
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw JSONSyntaxError(offset: i, expected: "a field name in quotes") }
            let key = try string()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw JSONSyntaxError(offset: i, expected: "':'") }
            i += 1
            fields[key] = try value(depth: depth + 1)
            skipSpace()
            guard i < bytes.count else { throw JSONSyntaxError(offset: i, expected: "',' or '}'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
            throw JSONSyntaxError(offset: i, expected: "',' or '}'")
        }
    }
}

/// Appends JSON text to a byte buffer: the harness's side of every message.
struct JSONWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(256) }

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// A double as its shortest round-tripping text; non-finite values as Python's `json` writes them.
    mutating func number(_ v: Double) {
        if v.isNaN { raw("NaN") } else if v == .infinity { raw("Infinity") } else if v == -.infinity { raw("-Infinity") } else {
            raw(v.description)
        }
    }

    mutating func numbers(_ values: some Collection<Double>) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for v in values {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            number(v)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0..<0x20:
                let hex = String(b, radix: 16)
                raw("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `"key":` (with a comma before it unless it is the object's first field).
    mutating func key(_ k: String, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        string(k)
        bytes.append(UInt8(ascii: ":"))
    }
}
