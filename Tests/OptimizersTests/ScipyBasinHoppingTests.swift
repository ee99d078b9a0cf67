import Landscapes
import Testing
@testable import Optimizers

/// f ≡ 0 on a box: L-BFGS-B stops at its first call (projected gradient 0), so each hop of
/// basin hopping is exactly one evaluation, at the displaced point, and every hop is accepted
/// (Δf = 0 gives weight 1). The recorded points then show the displacement schedule directly.
struct Flat: ContinuousLandscape {
    var domain: Box
    var dimension: Int { domain.dimension }
    var optimum: KnownOptimum { KnownOptimum(value: 0, status: .exact, points: [domain.lower]) }
    var gradCost: Double { 1 }
    func value(at x: [Double]) -> Double { 0 }
    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        for i in 0..<gradient.count { gradient[i] = 0 }
        return 0
    }
}

/// The largest |coordinate change| between consecutive evaluated points, per hop (hop h moves
/// from point h − 1 to point h; point 0 is the start's minimization).
private func displacements(_ points: [[Double]]) -> [Double] {
    (1..<points.count).map { h in
        zip(points[h], points[h - 1]).map { abs($0 - $1) }.max()!
    }
}

private func flatRun(_ overrides: [String: String], hops: Int, box: Box) throws -> [[Double]] {
    var all = overrides
    all["hops"] = String(hops)
    let optimizer = try makeContinuousOptimizer("basin-hopping-scipy", overrides: all)
    let landscape = Recording(base: Flat(domain: box))
    var objective = plainObjective(landscape, budget: 1e9)
    let start = [Double](repeating: 0, count: box.dimension)
    _ = run(optimizer, &objective, from: start, seed: 5)
    #expect(objective.failure == nil)
    #expect(objective.gradientEvaluations == hops + 1)
    return landscape.log.points
}

@Test func scipyBasinHoppingDisplacesByAnAbsoluteHalfUnitWhateverTheBox() throws {
    // Hops 1…49 use stepsize 0.5, in a box 2000 wide as in one 20 wide: the displacement does not
    // scale with the box (basin-hopping's does). 49 hops × 4 coordinates uniform on [−0.5, 0.5]:
    // the largest |u| exceeds 0.45 unless all 196 fall in [−0.45, 0.45], chance 0.9^196 ≈ 1e-9.
    for width in [20.0, 2000.0] {
        let box = Box(cube: -width / 2, width / 2, dimension: 4)
        let steps = displacements(try flatRun([:], hops: 49, box: box))
        #expect(steps.count == 49)
        #expect(steps.max()! <= 0.5)
        #expect(steps.max()! > 0.45)
    }
}

@Test(arguments: [(0.979, true), (0.981, false)])
func scipyBasinHoppingAdaptsTheStepAtHopFiftyFromFortyNineJudgedHops(_ target: Double, _ grows: Bool) throws {
    // scipy's AdaptiveStepsize updates before displacing hop 50, with 49 accepted hops counted over
    // 50: the rate is 0.98. A target just below it divides the step by 0.9, just above multiplies.
    let box = Box(cube: -1000, 1000, dimension: 3)
    let steps = displacements(try flatRun(["target-acceptance": String(target)], hops: 99, box: box))
    let before = steps[0..<49], after = steps[49..<99]
    #expect(before.max()! <= 0.5)
    let s = grows ? 0.5 / 0.9 : 0.5 * 0.9
    #expect(after.max()! <= s)
    // 50 hops × 3 coordinates: the largest |u|/s falls below 0.95 with chance 0.95^150 ≈ 5e-4.
    #expect(after.max()! > 0.95 * s)
    if grows { #expect(after.max()! > 0.5) }  // > 0.95·0.556 = 0.528
}

@Test func scipyBasinHoppingClampsADisplacementThatLeavesTheBox() throws {
    // A box 0.2 wide: most displacements of ±0.5 leave it. The point evaluated is the displaced
    // point clamped onto the box (what scipy's L-BFGS-B does with x0), so points on the faces occur.
    let box = Box(cube: -0.1, 0.1, dimension: 2)
    let points = try flatRun([:], hops: 40, box: box)
    for p in points { #expect(box.contains(p)) }
    #expect(points.contains { $0.contains(0.1) || $0.contains(-0.1) })
}

@Test func scipyBasinHoppingReachesTheDeepWellFromTheShallowOne() throws {
    // The tilted double well of `localSearchWithRestartsOrHopsLeavesTheShallowWell`: from the
    // shallow minimum x ≈ 0.97 a hop of ±0.5 never passes the barrier near x = 0.06, so every
    // hop returns to the same minimum (Δf = 0, accepted) and the running acceptance of 1 grows the
    // step by 1/0.9 every 50 hops: past 0.91 after 6 updates (300 hops), the box's width 4 after
    // 20. At ~10 calls a hop, 20,000 units (14,000 calls) give ~1,400 hops. L-BFGS-B then sits in
    // the deep minimum to its gtol: |V'| ≤ 1e-5 with V'' ≈ 8 there gives |ΔV| ≤ 1e-10/16.
    let optimizer = try makeContinuousOptimizer("basin-hopping-scipy")
    var objective = plainObjective(DoubleWell1D(), budget: 20_000, gradCost: 1.4)
    let (reason, _) = run(optimizer, &objective, from: [0.9698], seed: 9)
    #expect(reason == .budget)
    #expect(objective.failure == nil)
    #expect(abs(objective.bestValue - doubleWellGlobalMinimum()) < 1e-8, "best \(objective.bestValue) at \(objective.bestPoint)")
}
