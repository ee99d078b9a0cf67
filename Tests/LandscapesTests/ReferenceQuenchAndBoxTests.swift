import Testing
import Landscapes

@Suite struct ReferenceQuenchTests {
    @Test func quenchStopsAtSmallProjectedGradient() {
        let landscape = Rastrigin(dimension: 3)
        var rng = Xoshiro256(seed: 11)
        let quench = ReferenceQuench()
        for _ in 0..<10 {
            let result = quench.run(landscape, from: landscape.domain.uniformPoint(using: &rng))
            #expect(result.converged)
            #expect(result.gradientNorm <= quench.gradientTolerance)
            var gradient = [Double](repeating: 0, count: 3)
            _ = landscape.valueAndGradient(at: result.point, gradient: &gradient)
            #expect(ReferenceQuench.projectedGradientNorm(x: result.point, gradient: gradient, box: landscape.domain)
                    <= quench.gradientTolerance)
            #expect(landscape.domain.contains(result.point))
        }
    }

    /// In a 1-D double well (wells at ±1, barrier top at b), every start right of the barrier
    /// ends in the shallow well at +1, including starts just past the barrier and at the far
    /// face, where the gradient is steep: capped steps follow the flow, they do not leap.
    @Test(arguments: [0.1, 0.5])
    func quenchFromShallowBasinStaysInShallowBasin(asymmetry: Double) {
        let well = DoubleWell(dimension: 1, height: 1, width: 1, asymmetry: asymmetry)
        let b = well.barrierPosition
        for start in [b + 1e-3, b + 0.05, 0.5 * (b + 1), 1.0, 1.5, 2.0] {
            let result = ReferenceQuench().run(well, from: [start])
            #expect(result.converged)
            // |∇f| ≤ 1e-5 at curvature V''(1) = 2c(1 − b) ≥ 0.1 (α ≤ 0.5): within 1e-4 of the well.
            #expect(abs(result.point[0] - 1) <= 1e-4, "from \(start) the quench ended at \(result.point[0])")
        }
        for start in [b - 0.05, -1.5, -2.0] {
            #expect(abs(ReferenceQuench().run(well, from: [start]).point[0] + 1) <= 1e-4)
        }
    }
}

@Suite struct BoxTests {
    @Test func reflectIsIdentityInsideTheBox() {
        let box = Box(lower: [-1, 0, 2], upper: [1, 5, 2.5])
        var rng = Xoshiro256(seed: 3)
        for _ in 0..<100 {
            let x = box.uniformPoint(using: &rng)
            var y = x
            box.reflect(&y)
            #expect(y == x)
        }
        var faces = [box.lower, box.upper]
        box.reflect(&faces[0])
        box.reflect(&faces[1])
        #expect(faces[0] == box.lower && faces[1] == box.upper)
    }

    @Test func reflectKeepsPointsInTheBoxAndMirrorsAtTheWalls() {
        let box = Box(lower: [-1, 0], upper: [1, 5])
        var rng = Xoshiro256(seed: 4)
        for _ in 0..<1000 {
            var x: [Double] = [-50 + 100 * rng.nextUnit(), -1e6 + 2e6 * rng.nextUnit()]
            box.reflect(&x)
            #expect(box.contains(x), "\(x) outside the box")
        }
        // Mirror images: 0.25 past a wall lands 0.25 inside it; a full period (2·width) is identity.
        var x = [1.25, -0.25]
        box.reflect(&x)
        #expect(x == [0.75, 0.25])
        var y: [Double] = [0.5 + 4, 2 + 10]
        box.reflect(&y)
        #expect(abs(y[0] - 0.5) <= 1e-15 && abs(y[1] - 2) <= 1e-15)
    }
}
