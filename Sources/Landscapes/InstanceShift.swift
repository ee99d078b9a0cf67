/// COCO-style instances: instance 0 is the textbook function; instance i > 0 translates it by a
/// seeded vector s, so every global minimizer x* moves to x* + s, drawn so that all of them land
/// uniformly inside the central 80% of the box. No method then profits from an optimum at the
/// centre or on a symmetry axis of the box.
public enum InstanceShift {
    public static func draw(_ request: InstanceRequest, minimizers: [[Double]], domain: Box) -> [Double] {
        let d = domain.dimension
        guard request.instance != 0 else { return Array(repeating: 0, count: d) }
        var rng = Xoshiro256(seed: request.seed)
        var shift = [Double](repeating: 0, count: d)
        for i in 0..<d {
            let margin = 0.1 * (domain.upper[i] - domain.lower[i])
            let lo = domain.lower[i] + margin, hi = domain.upper[i] - margin
            // s must keep every minimizer's coordinate i inside [lo, hi].
            let minX = minimizers.map { $0[i] }.min() ?? 0
            let maxX = minimizers.map { $0[i] }.max() ?? 0
            let sLo = lo - minX, sHi = hi - maxX
            shift[i] = sLo < sHi ? sLo + (sHi - sLo) * rng.nextUnit() : 0.5 * (sLo + sHi)
        }
        return shift
    }
}
