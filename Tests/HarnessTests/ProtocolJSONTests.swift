import Foundation
import Testing
@testable import Harness

/// The protocol's JSON: every double survives writing and reading bit for bit, Python's
/// non-finite tokens are read, and malformed lines are refused with the byte where they break.
@Suite struct ProtocolJSONTests {
    @Test func doublesRoundTripBitForBit() throws {
        var rng = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 5e-324, -5e-324, .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                                0.1, 1e-5, 1e16, 123456789012345678, .pi, .ulpOfOne]
        // Random bit patterns cover every exponent, subnormals included.
        while values.count < 20_000 {
            let v = Double(bitPattern: rng.next())
            if v.isFinite { values.append(v) }
        }
        var writer = JSONWriter()
        writer.numbers(values)
        let read = try #require(try JSONReader.parse(writer.bytes).numbers)
        #expect(read.count == values.count)
        #expect(zip(read, values).allSatisfy { $0.bitPattern == $1.bitPattern })
    }

    @Test func pythonsNonFiniteTokensAndEscapesAreRead() throws {
        let line = Array(#"{"a": [NaN, Infinity, -Infinity, -1.5e-3], "s": "t\"\\\u00e9\n", "ok": true, "n": null}"#.utf8)
        let value = try JSONReader.parse(line)
        let a = try #require(value["a"]?.numbers)
        #expect(a[0].isNaN && a[1] == .infinity && a[2] == -.infinity && a[3] == -0.0015)
        #expect(value["s"]?.string == "t\"\\é\n" && value["ok"]?.bool == true && value["n"] == .null)
        var writer = JSONWriter()
        writer.string("a\"b\\c\u{1}\n")
        #expect(try JSONReader.parse(writer.bytes).string == "a\"b\\c\u{1}\n")
    }

    @Test(arguments: [
        ("{\"a\": 1", "expected ',' or '}'"), ("[1, 2,]", "expected a value"), ("{\"a\" 1}", "expected ':'"),
        ("01x", "expected the end of the line"), ("1.", "a digit after the decimal point"), ("1e", "a digit in the exponent"),
        ("\"abc", "the closing quote"), ("nul", "expected a value"), ("{1: 2}", "a field name in quotes"), ("", "expected a value"),
        ("\"\\q\"", "an escape"), ("[1] [2]", "the end of the line"),
    ])
    func malformedLinesAreRefusedWithWhereTheyBreak(text: String, expected: String) {
        #expect { try JSONReader.parse(Array(text.utf8)) } throws: { error in
            String(describing: error).contains(expected) && String(describing: error).hasPrefix("malformed JSON at byte ")
        }
    }

    /// Nesting is bounded: a line of a hundred thousand brackets is refused, not a stack overflow.
    @Test func deepNestingIsRefused() {
        let deep = Array(String(repeating: "[", count: 100_000).utf8)
        #expect { try JSONReader.parse(deep) } throws: { String(describing: $0).contains("at most 64 levels of nesting") }
        let fine = Array((String(repeating: "[", count: 63) + String(repeating: "]", count: 63)).utf8)
        #expect((try? JSONReader.parse(fine)) != nil)
    }
}
