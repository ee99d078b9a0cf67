import Foundation
import Testing
@testable import Harness
@testable import Report

/// Each optimizer keeps one colour and dash, distinct from every other series on the page.
@Suite struct SeriesStyleTests {
    @Test func atLeastSixteenSlotsAndEverySlotIsADistinctColourAndDash() {
        #expect(Palette.slotCount >= 16)
        let pairs = (0..<Palette.slotCount).map { "\(SeriesStyle(slot: $0).color) \(SeriesStyle(slot: $0).dash ?? "solid")" }
        #expect(Set(pairs).count == Palette.slotCount)
    }

    /// Every registry name and five suite labels on one page: 20-odd series, no two alike.
    @Test func registryAndSuiteLabelsOnOnePageAllDiffer() {
        let labels = Palette.registry + ["sa-hot", "sa-cold", "pt-8", "adam-lr-0.1", "gd-small-step"]
        #expect(labels.count >= 16)
        let styles = Palette.styles(for: labels)
        #expect(Set(labels.map { styles[$0]!.slot }).count == labels.count)
    }

    /// A registry name's slot is its place in the registry, whatever else is on the page; a
    /// suite label's is the same on two pages where no other label competes for it.
    @Test func theSameNameGetsTheSameStyleOnDifferentPages() throws {
        let registry = Palette.registry
        let sa = try #require(registry.firstIndex(of: "sa"))
        let first = Palette.styles(for: ["sa", "gd", "sa-hot"])
        let second = Palette.styles(for: ["random-search", "sa-hot", "sa", "pt"])
        #expect(first["sa"]?.slot == sa)
        #expect(second["sa"]?.slot == sa)
        #expect(first["sa-hot"] == second["sa-hot"])
        #expect(first["sa-hot"]!.slot >= registry.count)
    }

    /// Labels whose hashes land on the same slot get different ones: 39 labels fill the 39 slots
    /// after a one-name registry (pigeonhole: the hashes alone would collide), none on the
    /// registry's slot.
    @Test func labelsWhoseHashesCollideGetDistinctFreeSlots() {
        let registry = ["a"]
        #expect(Palette.slotCount == 40)
        let labels = (0..<39).map { "label-\($0)" }
        let styles = Palette.styles(for: labels, registry: registry)
        #expect(Set(labels.map { styles[$0]!.slot }).count == 39)
        #expect(!labels.contains { styles[$0]!.slot == 0 })
    }

    /// On a report of two runs (different optimizer sets, `sa` at another place in each), every
    /// curve of `sa` in every section is drawn with one stroke and one dash.
    @Test func anOptimizerIsDrawnAlikeInEverySectionOfTwoRuns() throws {
        let first = try ReportFixture.folder(landscapes: ["six-hump-camel", "double-well"], optimizers: ["gd", "sa"])
        let second = try ReportFixture.folder(landscapes: ["six-hump-camel"], optimizers: ["sa", "random-search"])
        let html = try ReportPage.html(runs: [RunFolder(path: first), RunFolder(path: second)])
        let strokes = ReportFixture.curveStyles(in: html, label: "sa")
        #expect(strokes.count == 6)  // the escape and success panels of three sections
        #expect(Set(strokes).count == 1)
        let gd = Set(ReportFixture.curveStyles(in: html, label: "gd"))
        #expect(gd.count == 1 && gd != Set(strokes))
    }
}

enum ReportFixture {
    /// A real run folder: `landscapes` × those of `optimizers` of their kind, 3 trials, budget
    /// 200, one traced trial.
    static func folder(landscapes: [String], optimizers: [String], trials: Int = 3) throws -> String {
        let dir = NSTemporaryDirectory() + "tunnelbench-report-\(UUID().uuidString)"
        let resolved = try landscapes.map {
            try ResolvedLandscape(LandscapeSpec(name: $0, family: $0), overrides: SpecOverrides(trials: trials, budget: 200))
        }
        let entries = try resolved.map { landscape in
            try optimizers.map { try OptimizerEntry(name: $0) }.filter { $0.kind == landscape.kind }
        }
        var plan = RunPlan(landscapes: resolved, optimizersPerLandscape: entries, masterSeed: 1, threads: 2)
        plan.traceTrials = 1
        let records = try BenchmarkRun.execute(plan)
        try RunOutput.prepare(dir)
        try RunOutput.write(dir, records: records, metadata: RunMetadata(plan: plan, arguments: [], startedAt: Date(), gitCommit: nil))
        return dir
    }

    /// "stroke dasharray" of every runtime curve of `label` (the polylines titled "label: …").
    static func curveStyles(in html: String, label: String) -> [String] {
        html.components(separatedBy: "<polyline").dropFirst().compactMap { element -> String? in
            let end = element.range(of: "</polyline>").map { element[..<$0.lowerBound] } ?? element[...]
            guard end.contains("<title>\(label): ") else { return nil }
            func attribute(_ name: String) -> String {
                guard let start = end.range(of: " \(name)=\"") else { return "none" }
                return String(end[start.upperBound...].prefix { $0 != "\"" })
            }
            return attribute("stroke") + " " + attribute("stroke-dasharray")
        }
    }
}
