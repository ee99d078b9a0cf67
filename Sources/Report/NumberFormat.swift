import Foundation

/// The one number format of the report pages: every measured quantity with three significant
/// digits (plain between 0.01 and 1000, m.mm×10ᵏ outside), rates and the ends of their intervals
/// with three decimals, counts as whole numbers, a minus sign (−) rather than a hyphen, ∞ for a
/// cost that never comes and — for a value that does not exist.
public enum NumberFormat {
    /// A measured quantity (an evaluation count averaged or estimated, a gap, a speed).
    public static func real(_ v: Double?) -> String {
        guard let v, !v.isNaN else { return "—" }
        if v.isInfinite { return v > 0 ? "∞" : "−∞" }
        if v == 0 { return "0" }
        let sign = v < 0 ? "−" : ""
        // Round to three significant digits first, so that 999.6 becomes 1.00×10³, not "1000".
        var exponent = Int(log10(abs(v)).rounded(.down))
        var mantissa = (abs(v) / pow(10, Double(exponent)) * 100).rounded() / 100
        if mantissa >= 10 { mantissa /= 10; exponent += 1 }
        if mantissa < 1 { mantissa *= 10; exponent -= 1 }
        if exponent >= -2 && exponent <= 2 {
            return sign + String(format: "%.\(max(0, 2 - exponent))f", mantissa * pow(10, Double(exponent)))
        }
        return sign + String(format: "%.2f", mantissa) + "×10" + superscript(exponent)
    }

    /// A rate in [0, 1].
    public static func rate(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "—" }
        return String(format: "%.3f", v)
    }

    /// A rate with its interval: "0.850 [0.621, 0.968]".
    public static func rate(_ v: Double?, low: Double?, high: Double?) -> String {
        guard v != nil else { return "—" }
        guard let low, let high else { return rate(v) }
        return "\(rate(v)) [\(rate(low)), \(rate(high))]"
    }

    /// A quantity with its interval: "2.55×10⁵ [2.25×10⁵, 2.73×10⁵]".
    public static func real(_ v: Double?, low: Double?, high: Double?) -> String {
        guard let v, !v.isNaN else { return "—" }
        guard let low, let high, !low.isNaN || !high.isNaN else { return real(v) }
        return "\(real(v)) [\(real(low)), \(real(high))]"
    }

    /// A count or a budget: whole numbers exactly, anything else as `real`.
    public static func count(_ v: Double?) -> String {
        guard let v else { return "—" }
        if v.isFinite && v == v.rounded() && abs(v) < 1e15 { return (v < 0 ? "−" : "") + String(Int(abs(v))) }
        return real(v)
    }

    /// A setting the run was given (a tolerance, a parameter): exactly, as the shortest decimal
    /// that reads back as the same number, with ×10ᵏ instead of e-notation: 1×10⁻⁶, 0.08, 2000.
    public static func setting(_ v: Double) -> String {
        guard v.isFinite else { return real(v) }
        let text = "\(v)"
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return (text.hasSuffix(".0") ? String(text.dropLast(2)) : text).replacingOccurrences(of: "-", with: "−")
        }
        var mantissa = String(text[..<e])
        if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
        let exponent = Int(text[text.index(after: e)...]) ?? 0
        return mantissa.replacingOccurrences(of: "-", with: "−") + "×10" + superscript(exponent)
    }

    static func superscript(_ n: Int) -> String {
        let digits = Array("⁰¹²³⁴⁵⁶⁷⁸⁹")
        return (n < 0 ? "⁻" : "") + String(abs(n)).map { digits[Int(String($0))!] }.map(String.init).joined()
    }
}
