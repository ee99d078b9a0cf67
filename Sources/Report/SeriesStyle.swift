import Foundation
import Optimizers

/// How one series (an optimizer's label) is drawn: a colour, a dash pattern for its lines and the
/// matching hatch for its bars, so that two series differ in more than hue.
public struct SeriesStyle: Sendable, Hashable {
    /// The slot in `Palette.slotCount` the style comes from.
    public var slot: Int

    public init(slot: Int) { self.slot = slot }

    public var color: String { Palette.colors[slot % Palette.colors.count] }
    /// `nil` for a solid line.
    public var dash: String? { Palette.dashes[(slot / Palette.colors.count) % Palette.dashes.count] }
}

/// Colours and dash patterns for series, and the sequential map for heat maps.
public enum Palette {
    /// Okabe & Ito's colours without yellow (too light on white), then Tol's wine, olive and teal:
    /// ten hues that stay apart for the common forms of colour blindness and in grey.
    public static let colors = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000",
                                "#882255", "#999933", "#44AA99"]
    /// Solid first, then three patterns a reader can tell apart at 2 px.
    public static let dashes: [String?] = [nil, "7 3", "2 2.5", "9 3 2 3"]
    /// Distinct (colour, dash) pairs: slot k has colour k mod 10 and dash ⌊k / 10⌋.
    public static var slotCount: Int { colors.count * dashes.count }

    /// Optimizer names with fixed slots, in a fixed order: the registry's.
    public static var registry: [String] { OptimizerCatalog.names }

    /// Styles for the labels of one page. A label of `registry` gets slot = its position there,
    /// whatever else is on the page; any other label (a suite's `sa-hot`) gets a slot from a
    /// hash of its name among those after the registry's, moving on to the next free one when a
    /// label earlier in sorted order took it. The same label gets the same style on every section
    /// of a page, and in every run where no other label competes for its slot.
    public static func styles(for labels: some Sequence<String>, registry: [String] = Palette.registry) -> [String: SeriesStyle] {
        var styles = [String: SeriesStyle]()
        var taken = Set<Int>()
        for (slot, name) in registry.enumerated() where slot < slotCount {
            styles[name] = SeriesStyle(slot: slot)
        }
        for label in Set(labels) where styles[label] != nil { taken.insert(styles[label]!.slot) }
        let first = min(registry.count, slotCount - 1)
        let free = slotCount - first
        for label in Set(labels).filter({ styles[$0] == nil }).sorted() {
            var slot = first + Int(stableHash(label) % UInt64(free))
            for _ in 0..<free where taken.contains(slot) { slot = first + (slot - first + 1) % free }
            taken.insert(slot)
            styles[label] = SeriesStyle(slot: slot)
        }
        return styles
    }

    /// FNV-1a over the UTF-8 bytes: the same on every platform and in every process (Swift's
    /// `hashValue` is seeded per process).
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// Viridis (van der Walt & Smith), a perceptually uniform sequential map readable in grey and by
    /// colour-blind readers, as 9 anchors interpolated linearly; t ∈ [0, 1].
    public static func viridis(_ t: Double) -> (UInt8, UInt8, UInt8) {
        let anchors: [(Double, Double, Double)] = [
            (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
            (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37)]
        let u = min(max(t.isFinite ? t : 0, 0), 1) * Double(anchors.count - 1)
        let i = min(Int(u), anchors.count - 2)
        let f = u - Double(i)
        let a = anchors[i], b = anchors[i + 1]
        func mix(_ p: Double, _ q: Double) -> UInt8 { UInt8((p + (q - p) * f).rounded()) }
        return (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }
}
