import Foundation
import Testing

/// The `Objective` keeps its landscape module-internal (its `@inlinable` methods need it), so the
/// compiler alone would let an optimizer in this module evaluate the landscape without being
/// charged. This check reads every optimizer's source and requires that none names the
/// objective's landscape: every value and gradient an optimizer sees goes through `Objective`.
@Test func noOptimizerSourceReachesTheLandscapeBehindTheObjective() throws {
    let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Optimizers")
    let files = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { $0.hasSuffix(".swift") }
    #expect(files.count > 20, "found only \(files) in \(sources.path)")
    let pattern = try NSRegularExpression(pattern: #"\.landscape\b"#)
    for file in files where file != "Objective.swift" {
        let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
        let hits = pattern.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
        #expect(hits == 0, "\(file) names `.landscape` \(hits) time(s): optimizers see the landscape only through the Objective")
    }
}
