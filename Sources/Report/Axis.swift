import Foundation

/// A mapping from data values to pixels along one axis, with "nice" ticks.
public struct Axis: Sendable {
    public enum Kind: Sendable { case linear, log10 }

    public var kind: Kind
    /// The data range shown (for `log10`, both ends > 0).
    public var lower: Double
    public var upper: Double
    /// The pixel range: `lower` maps to `start`, `upper` to `end` (end < start for a y axis).
    public var start: Double
    public var end: Double

    /// An axis covering `values` (non-finite values ignored; for `log10`, values ≤ 0 too), padded to
    /// nice ticks. An empty or constant input gets a unit-wide (or one-decade) range around it.
    public init(kind: Kind = .linear, covering values: [Double], start: Double, end: Double,
                includeZero: Bool = false, fixed: ClosedRange<Double>? = nil) {
        self.kind = kind
        self.start = start
        self.end = end
        if let fixed {
            lower = fixed.lowerBound
            upper = fixed.upperBound
            return
        }
        var usable = values.filter { $0.isFinite && (kind == .linear || $0 > 0) }
        if includeZero && kind == .linear { usable.append(0) }
        guard var lo = usable.min(), var hi = usable.max() else {
            (lower, upper) = kind == .linear ? (0, 1) : (1, 10)
            return
        }
        switch kind {
        case .linear:
            if lo == hi { lo -= lo == 0 ? 0.5 : abs(lo) * 0.5; hi += hi == 0 ? 0.5 : abs(hi) * 0.5 }
            let step = Axis.niceStep((hi - lo) / 5)
            lower = (lo / step).rounded(.down) * step
            upper = (hi / step).rounded(.up) * step
        case .log10:
            lower = pow(10, log10(lo).rounded(.down))
            upper = pow(10, log10(hi).rounded(.up))
            if lower == upper { upper = lower * 10 }
        }
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0 && raw.isFinite else { return 1 }
        let magnitude = pow(10, log10(raw).rounded(.down))
        for m in [1.0, 2, 5, 10] where m * magnitude >= raw * (1 - 1e-12) { return m * magnitude }
        return 10 * magnitude
    }

    /// Pixel position of `value`, clamped to the axis (values ≤ 0 on a log axis go to its start).
    public func position(_ value: Double) -> Double {
        let t: Double
        switch kind {
        case .linear:
            t = (value - lower) / (upper - lower)
        case .log10:
            t = value > 0 ? (log10(value) - log10(lower)) / (log10(upper) - log10(lower)) : 0
        }
        return start + (end - start) * min(max(t.isFinite ? t : 0, 0), 1)
    }

    /// Tick values: 3 to about 7 nice steps on a linear axis; each power of ten on a log axis
    /// (every other one beyond 7 decades).
    public var ticks: [Double] {
        switch kind {
        case .linear:
            let step = Axis.niceStep((upper - lower) / 5)
            let first = (lower / step).rounded(.up)
            let last = (upper / step).rounded(.down)
            guard last >= first else { return [lower, upper] }
            return stride(from: first, through: last, by: 1).map { $0 * step }
        case .log10:
            let a = Int(log10(lower).rounded()), b = Int(log10(upper).rounded())
            let every = b - a > 7 ? 2 : 1
            return stride(from: a, through: b, by: every).map { pow(10, Double($0)) }
        }
    }

    /// Tick text: plain for linear ticks; on a log axis 1, 10, 100, 1000, then 10⁴, 10⁵, … (the
    /// page's ×10ᵏ style).
    public static func label(_ v: Double, kind: Kind) -> String {
        if kind == .log10 {
            let e = Int(log10(v).rounded())
            if e >= 0 && e <= 3 { return String(Int(pow(10, Double(e)))) }
            return "10" + NumberFormat.superscript(e)
        }
        if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
        if abs(v) >= 1e-3 && abs(v) < 1e6 {
            var text = String(format: "%.3f", v)
            while text.hasSuffix("0") { text.removeLast() }
            return text
        }
        return String(format: "%.1e", v)
    }
}
