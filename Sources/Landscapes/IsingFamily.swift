import Foundation

/// How the couplings of a spin-glass family are drawn: ±1 (scaled) or Gaussian.
public enum IsingCouplings: String, ParameterChoice {
    case pm, gaussian
}

/// The Ising families' parameters, typed: `parameters[IsingParameters.SK.size]` is an `Int`.
public enum IsingParameters {
    public enum SK {
        public static let size = Parameter<Int>("size", default: 64, in: 2...1024, "N spins (at most 1024: N(N−1)/2 couplings)")
        public static let couplings = Parameter<IsingCouplings>("couplings", default: .pm, "pm: J = ±1/√N; gaussian: J ~ N(0,1)/√N")
    }

    public enum EA2D {
        public static let side = Parameter<Int>("side", default: 16, in: 3...512, "L: N = L² spins (L at most 512)")
        public static let couplings = Parameter<IsingCouplings>("couplings", default: .pm, "pm: J = ±1; gaussian: J ~ N(0,1)")
    }

    public enum EA3D {
        public static let side = Parameter<Int>("side", default: 6, in: 3...64, "L: N = L³ spins (L at most 64)")
        public static let couplings = EA2D.couplings
    }

    public enum Regular {
        public static let size = Parameter<Int>("size", default: 1024, in: 4...262_144, "N spins (at most 2^18; N·k at most 10^6)")
        public static let degree = Parameter<Int>("degree", default: 3, in: 1...64, "k, couplings per spin")
    }

    public enum FerroRing {
        public static let size = Parameter<Int>("size", default: 32, in: 3...262_144, "N spins (at most 2^18)")
        public static let field = Parameter<Double>("field", default: 0.1, in: 1e-6...1.999,
            "h > 0: the all −1 state lies 2Nh above the ground state")
    }

    public enum WeakStrong {
        public static let pairs = Parameter<Int>("pairs", default: 1, in: 1...10_000, "independent weak–strong pairs (16 spins each)")
    }

    public enum PlantedRegular {
        public static let size = Parameter<Int>("size", default: 256, in: 4...262_144, "N spins (N·k at most 10^6)")
        public static let degree = Parameter<Int>("degree", default: 3, in: 3...64, "k ≥ 3, neighbours per spin in the random regular graph")
        // Fewer loops fit under R than on the lattice (each about log₂ N long, and the short cycles
        // they use are shared): α = 0.1 builds at R = 3 at every N up to 2^18, 0.2 only up to
        // N = 4096 (measured; docs/experiments.md, Ising spin glasses).
        public static let loopDensity = Parameter<Double>("loop-density", default: 0.1, in: 0.01...10,
            "α: α·N loops (α·N at most 262144; at most 10^6 walks)")
    }

    public enum Planted {
        public static let side = Parameter<Int>("side", default: 8, in: 3...512, "L: N = L² spins (L at most 512)")
        public static let loopDensity = Parameter<Double>("loop-density", default: 0.5, in: 0.01...10,
            "α: α·N loops (α·N at most 262144; at most 10^6 walks)")
        public static let maxCoupling = Parameter<Double>("max-coupling", default: 3, in: 1...1000,
            "R: loops that would make some |J| > R are rejected")
    }
}

extension LandscapeFamily {
    public static let sk = LandscapeFamily(
        ising: "sk", summary: "Sherrington–Kirkpatrick: all pairs, J = ±1/√N or N(0,1)/√N, no field (PRL 35, 1792, 1975)",
        parameters: [IsingParameters.SK.size.spec, IsingParameters.SK.couplings.spec], optimumStatus: .unknown
    ) { r in
        let p = r.parameters
        return try .sherringtonKirkpatrick(size: p[IsingParameters.SK.size], gaussian: p[IsingParameters.SK.couplings] == .gaussian, seed: r.seed)
    }

    public static let ea2d = LandscapeFamily(
        ising: "ea2d", summary: "Edwards–Anderson on the periodic L×L square lattice, J = ±1 or N(0,1), no field (J. Phys. F 5, 965, 1975)",
        parameters: [IsingParameters.EA2D.side.spec, IsingParameters.EA2D.couplings.spec], optimumStatus: .unknown
    ) { r in
        let p = r.parameters
        return try .edwardsAnderson(side: p[IsingParameters.EA2D.side], dimensions: 2,
                                    gaussian: p[IsingParameters.EA2D.couplings] == .gaussian, seed: r.seed)
    }

    public static let ea3d = LandscapeFamily(
        ising: "ea3d", summary: "Edwards–Anderson on the periodic L×L×L cubic lattice, J = ±1 or N(0,1), no field",
        parameters: [IsingParameters.EA3D.side.spec, IsingParameters.EA3D.couplings.spec], optimumStatus: .unknown
    ) { r in
        let p = r.parameters
        return try .edwardsAnderson(side: p[IsingParameters.EA3D.side], dimensions: 3,
                                    gaussian: p[IsingParameters.EA3D.couplings] == .gaussian, seed: r.seed)
    }

    public static let regular = LandscapeFamily(
        ising: "regular", summary: "random k-regular graph (pairing model), J = ±1, no field",
        parameters: [IsingParameters.Regular.size.spec, IsingParameters.Regular.degree.spec], optimumStatus: .unknown
    ) { r in
        try .randomRegular(size: r.parameters[IsingParameters.Regular.size], degree: r.parameters[IsingParameters.Regular.degree], seed: r.seed)
    }

    public static let ferroRing = LandscapeFamily(
        ising: "ferro-ring", summary: "ferromagnetic ring J = 1 with field h on every spin: trap all −1, ground state all +1 (E* = −N(1+h))",
        parameters: [IsingParameters.FerroRing.size.spec, IsingParameters.FerroRing.field.spec], optimumStatus: .planted
    ) { r in
        try .ferromagneticRing(size: r.parameters[IsingParameters.FerroRing.size], field: r.parameters[IsingParameters.FerroRing.field])
    }

    public static let weakStrong = LandscapeFamily(
        ising: "weak-strong", summary: "Denchev et al. weak–strong 8-spin cluster pairs, fields +1 / −0.44 in H = −ΣJss − Σhs (PRX 6, 031015, 2016)",
        parameters: [IsingParameters.WeakStrong.pairs.spec], optimumStatus: .planted
    ) { r in
        try .weakStrong(pairs: r.parameters[IsingParameters.WeakStrong.pairs])
    }

    public static let planted = LandscapeFamily(
        ising: "planted", summary: "frustrated-loop planted instance on the periodic L×L lattice, E* known by construction (Hen et al., PRA 92, 042325, 2015)",
        parameters: [IsingParameters.Planted.side.spec, IsingParameters.Planted.loopDensity.spec, IsingParameters.Planted.maxCoupling.spec],
        optimumStatus: .planted
    ) { r in
        let p = r.parameters
        return try .plantedLoops(side: p[IsingParameters.Planted.side], loopDensity: p[IsingParameters.Planted.loopDensity],
                                 maxCoupling: p[IsingParameters.Planted.maxCoupling], seed: r.seed)
    }

    public static let plantedRegular = LandscapeFamily(
        ising: "planted-regular", summary: "frustrated-loop planted instance on a random k-regular graph, E* known by construction (Hen et al., PRA 92, 042325, 2015)",
        parameters: [IsingParameters.PlantedRegular.size.spec, IsingParameters.PlantedRegular.degree.spec,
                     IsingParameters.PlantedRegular.loopDensity.spec, IsingParameters.Planted.maxCoupling.spec],
        optimumStatus: .planted
    ) { r in
        let p = r.parameters
        return try .plantedRegular(size: p[IsingParameters.PlantedRegular.size], degree: p[IsingParameters.PlantedRegular.degree],
                                   loopDensity: p[IsingParameters.PlantedRegular.loopDensity], maxCoupling: p[IsingParameters.Planted.maxCoupling],
                                   seed: r.seed)
    }

    /// An instance read from an edge-list file (`IsingModel.parse(edgeList:)`). Text parameters:
    /// `file` (required), `ground-state` (a file of the 1-based indices of the +1 spins of a known
    /// ground state; E* is then computed from it, status `best-known`), `ground-energy` (E* as
    /// published; checked against the ground state when both are given, to 1e-9 relative).
    public static let isingFile = LandscapeFamily(
        ising: "ising-file", summary: "an instance file of 'i j J' lines (1-based; 'i i h' for fields); spec parameters file, ground-state, ground-energy",
        textParameters: ["file", "ground-state", "ground-energy"], optimumStatus: .bestKnown
    ) { r in
        guard let path = r.path("file") else { throw IsingModelError("ising-file needs the parameter 'file' (a path to an edge list)") }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw IsingModelError("\(path): cannot be read (expected an edge list of 'i j J' lines)")
        }
        var model = try IsingModel.parse(edgeList: text, source: path)
        var published: Double?
        if let e = r.text["ground-energy"] {
            guard let v = Double(e), v.isFinite else { throw IsingModelError("ground-energy is '\(e)', expected a number") }
            // No state lies below −Σ|J| − Σ|h|: a lower E* is a typing slip, and no trial could succeed.
            let floor = -model.roundingScale
            guard v >= floor - 1e-9 * max(1, abs(floor)) else {
                throw IsingModelError("ground-energy \(formatReal(v)) is below −Σ|J| − Σ|h| = \(formatReal(floor)), "
                    + "the lowest energy any state of \(path) can have")
            }
            published = v
        }
        if let statePath = r.path("ground-state") {
            guard let text = try? String(contentsOfFile: statePath, encoding: .utf8) else {
                throw IsingModelError("\(statePath): cannot be read (expected the indices of the +1 spins)")
            }
            let state = try IsingModel.parse(upSpins: text, size: model.size, source: statePath)
            let e = model.energy(state)
            if let published, abs(e - published) > 1e-9 * max(1, abs(published)) {
                throw IsingModelError("\(statePath): energy \(e) differs from ground-energy \(published)")
            }
            model.groundState = state
            model.optimum = KnownOptimum(value: e, status: .bestKnown, source: statePath)
        } else if let published {
            model.optimum = KnownOptimum(value: published, status: .bestKnown, source: "ground-energy")
        }
        return model
    }
}
