/// Seed derivation shared by every module: FNV-1a (64-bit) over the UTF-8 bytes of the parts,
/// separated by a unit-separator byte, mixed with the master seed by one SplitMix64 step.
///
/// Deliberately not Swift's `Hasher`, which is randomly seeded per process: a seed derived here is
/// the same in every process, on every machine and for every thread count.
public enum Seed {
    public static func derive(_ master: UInt64, _ parts: String...) -> UInt64 {
        derive(master, parts)
    }

    public static func derive(_ master: UInt64, _ parts: [String]) -> UInt64 {
        var mix = SplitMix64(seed: master ^ fnv1a(parts))
        return mix.next()
    }

    /// 64-bit FNV-1a (offset basis 0xcbf29ce484222325, prime 0x100000001b3) over the parts' UTF-8
    /// bytes with the byte 0x1F between consecutive parts.
    public static func fnv1a(_ parts: [String]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for (index, part) in parts.enumerated() {
            if index > 0 { hash = (hash ^ 0x1F) &* 0x0000_0100_0000_01B3 }
            for byte in part.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        }
        return hash
    }
}
