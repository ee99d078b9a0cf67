import Foundation
import Testing
@testable import bench

/// The `bench` command lines the docs show (README.md and docs/*.md), read from their fenced code
/// blocks: `swift run [-c release] [--package-path P] bench ARGS` and `.build/release/bench ARGS`,
/// with backslash continuations joined, `#` comments, `> file` redirects and whatever follows
/// `&&`, `;` or `|` cut, and shell quotes removed. Inline code in prose is not a command line.
struct DocumentedCommand: CustomStringConvertible {
    var file: String
    var line: Int
    var arguments: [String]
    var description: String { "\(file):\(line): bench \(arguments.joined(separator: " "))" }

    static func extract(from text: String, file: String) -> [DocumentedCommand] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var commands = [DocumentedCommand]()
        var fence: String?
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let open = fence {
                if trimmed.hasPrefix(open), trimmed.allSatisfy({ $0 == open.first }) { fence = nil; index += 1; continue }
                // A command line, with its continuations.
                var logical = line
                let first = index
                while logical.hasSuffix("\\"), index + 1 < lines.count {
                    index += 1
                    logical = String(logical.dropLast()) + " " + lines[index].trimmingCharacters(in: .whitespaces)
                }
                if let arguments = benchArguments(logical) {
                    commands.append(DocumentedCommand(file: file, line: first + 1, arguments: arguments))
                }
            } else if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = String(trimmed.prefix { $0 == trimmed.first })
            }
            index += 1
        }
        return commands
    }

    /// The arguments after `bench` on a shell line, or nil when the line runs no `bench`.
    static func benchArguments(_ line: String) -> [String]? {
        let words = shellWords(line)
        let separators: Set<String> = ["&&", ";", "|", "||"]
        var i = 0
        while i < words.count {
            var start: Int?
            if words[i] == "swift", i + 1 < words.count, words[i + 1] == "run" {
                var j = i + 2
                while j < words.count, words[j] == "-c" || words[j] == "--package-path" { j += 2 }
                if j < words.count, words[j] == "bench" { start = j + 1 }
            } else if words[i] == ".build/release/bench" || words[i].hasSuffix("/.build/release/bench") {
                start = i + 1
            }
            if let start {
                var arguments = [String]()
                var k = start
                while k < words.count, !separators.contains(words[k]) {
                    if words[k] == ">" { k += 2; continue }
                    if words[k].hasPrefix(">") { k += 1; continue }
                    arguments.append(words[k])
                    k += 1
                }
                return arguments
            }
            i += 1
        }
        return nil
    }

    /// Splits a shell line into words: single and double quotes group, an unquoted `#` at the start
    /// of a word begins a comment.
    static func shellWords(_ line: String) -> [String] {
        var words = [String]()
        var current = "", inWord = false, quote: Character?
        for c in line {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c == " " || c == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else if c == "#", !inWord {
                break
            } else {
                current.append(c)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}

/// The repository's root: three folders above this file (Tests/BenchTests/...).
private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

private func documentedCommands() throws -> [DocumentedCommand] {
    let docs = repository.appendingPathComponent("docs")
    let pages = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }.sorted()
    var commands = [DocumentedCommand]()
    for page in ["README.md"] + pages.map({ "docs/\($0)" }) {
        let text = try String(contentsOf: repository.appendingPathComponent(page), encoding: .utf8)
        commands += DocumentedCommand.extract(from: text, file: page)
    }
    return commands
}

@Test func everyDocumentedBenchCommandParsesWithTheCommandTree() throws {
    let commands = try documentedCommands()
    // The README opens with the default run: if that is not found, the extraction is broken.
    #expect(commands.contains { $0.file == "README.md" && $0.arguments == ["--landscape", "rastrigin"] },
            "the README's default run was not among the extracted commands")
    for command in commands {
        do {
            _ = try Bench.parseAsRoot(command.arguments)
        } catch {
            Issue.record("\(command) does not parse: \(Bench.message(for: error))")
        }
    }
}

@Test func extractionReadsFencedCommandLinesOnly() {
    let sample = """
        Prose with `swift run -c release bench --landscape inline` is not a command line.

        ```sh
        scripts/setup && swift run -c release bench --landscape rastrigin   # the default run
        swift run -c release bench --landscape a --format csv > summary.csv
        swift run -c release --package-path path/to/TunnelBench bench check \\
            --suite my-suite.yaml --baseline 'my baseline.csv'   # two lines
        .build/release/bench list && echo done
        cd Benchmarks && swift package benchmark
        ```
        """
    let found = DocumentedCommand.extract(from: sample, file: "sample.md")
    #expect(found.map(\.line) == [4, 5, 6, 8])
    #expect(found.map(\.arguments) == [
        ["--landscape", "rastrigin"],
        ["--landscape", "a", "--format", "csv"],
        ["check", "--suite", "my-suite.yaml", "--baseline", "my baseline.csv"],
        ["list"],
    ])
}

@Test func aMistypedFlagInADocumentedCommandFailsToParse() {
    // The check above could pass vacuously if parsing accepted anything: a flag no command has is refused.
    #expect(throws: (any Error).self) { _ = try Bench.parseAsRoot(["--landscape", "rastrigin", "--no-such-flag"]) }
    #expect(throws: (any Error).self) { _ = try Bench.parseAsRoot(["tunnel-map", "--landscape", "rastrigin"]) }
}
