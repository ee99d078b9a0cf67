import Landscapes
import Testing

/// A parameter error repeats the value (or name) only when it is plain text, so a spec that
/// carries the contents of another file never prints them.
@Suite struct ParameterMessageTests {
    static let specs = [ParameterSpec("amplitude", default: 10, .real(0...1e6), "A")]

    @Test func aPlainValueIsShownAndAnythingElseIsNot() {
        for (value, shown) in [("12x", true), ("root:$6$s3cret/xyz", false), (String(repeating: "9", count: 41), false),
                               ("a b", false), ("1e400", true)] {
            do {
                _ = try ParameterValues(specs: Self.specs, overrides: ["amplitude": value], owner: "landscape rastrigin")
                Issue.record("'\(value)' was accepted")
            } catch {
                let text = String(describing: error)
                #expect(text.contains(value) == shown, "\(text)")
                #expect(text.contains("parameter 'amplitude' of landscape rastrigin is "))
            }
        }
    }

    @Test func anUnknownNameIsShownOnlyWhenPlain() {
        for (name, shown) in [("amplitud", true), ("root:x:0:0:root:/root:/bin/bash", false)] {
            do {
                _ = try ParameterValues(specs: Self.specs, overrides: [name: "1"], owner: "landscape rastrigin")
                Issue.record("'\(name)' was accepted")
            } catch {
                #expect(String(describing: error).contains(name) == shown, "\(error)")
            }
        }
    }
}
