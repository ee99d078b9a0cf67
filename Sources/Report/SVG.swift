import Foundation

/// A small SVG writer: elements are appended as text, attributes escaped, numbers printed with
/// two decimals (enough for screen coordinates, and stable across runs).
public struct SVG {
    public let width: Double
    public let height: Double
    private var body: [String] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// `&`, `<`, `>`, `"` and `'` escaped for text and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }

    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let rounded = (v * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.2f", rounded)
    }

    static func attributes(_ attrs: [(String, String)]) -> String {
        attrs.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                              stroke: String? = nil, title: String? = nil) {
        var attrs = [("x", SVG.number(x)), ("y", SVG.number(y)), ("width", SVG.number(max(0, width))),
                     ("height", SVG.number(max(0, height))), ("fill", fill)]
        if let stroke { attrs.append(("stroke", stroke)) }
        element("rect", attrs, title: title)
    }

    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
                              width: Double = 1, dash: String? = nil) {
        var attrs = [("x1", SVG.number(x1)), ("y1", SVG.number(y1)), ("x2", SVG.number(x2)), ("y2", SVG.number(y2)),
                     ("stroke", stroke), ("stroke-width", SVG.number(width))]
        if let dash { attrs.append(("stroke-dasharray", dash)) }
        element("line", attrs)
    }

    public mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5,
                                  dash: String? = nil, opacity: Double = 1, title: String? = nil) {
        guard !points.isEmpty else { return }
        let text = points.map { "\(SVG.number($0.0)),\(SVG.number($0.1))" }.joined(separator: " ")
        var attrs = [("points", text), ("fill", "none"), ("stroke", stroke), ("stroke-width", SVG.number(width)),
                     ("stroke-linejoin", "round")]
        if let dash { attrs.append(("stroke-dasharray", dash)) }
        if opacity < 1 { attrs.append(("opacity", SVG.number(opacity))) }
        element("polyline", attrs, title: title)
    }

    public mutating func circle(cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil,
                                opacity: Double = 1, title: String? = nil) {
        var attrs = [("cx", SVG.number(cx)), ("cy", SVG.number(cy)), ("r", SVG.number(r)), ("fill", fill)]
        if let stroke { attrs.append(("stroke", stroke)) }
        if opacity < 1 { attrs.append(("opacity", SVG.number(opacity))) }
        element("circle", attrs, title: title)
    }

    public enum Anchor: String { case start, middle, end }

    public mutating func text(_ text: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 12,
                              weight: String? = nil, rotate: Double? = nil, fill: String = "#222") {
        var attrs = [("x", SVG.number(x)), ("y", SVG.number(y)), ("font-size", SVG.number(size)),
                     ("text-anchor", anchor.rawValue), ("fill", fill)]
        if let weight { attrs.append(("font-weight", weight)) }
        if let rotate { attrs.append(("transform", "rotate(\(SVG.number(rotate)) \(SVG.number(x)) \(SVG.number(y)))")) }
        body.append("<text\(SVG.attributes(attrs))>\(SVG.escape(text))</text>")
    }

    /// An embedded raster image (a `data:` URI), for heat maps.
    public mutating func image(x: Double, y: Double, width: Double, height: Double, dataURI: String) {
        element("image", [("x", SVG.number(x)), ("y", SVG.number(y)), ("width", SVG.number(width)),
                          ("height", SVG.number(height)), ("preserveAspectRatio", "none"), ("href", dataURI),
                          ("style", "image-rendering: pixelated")])
    }

    private mutating func element(_ name: String, _ attrs: [(String, String)], title: String? = nil) {
        if let title {
            body.append("<\(name)\(SVG.attributes(attrs))><title>\(SVG.escape(title))</title></\(name)>")
        } else {
            body.append("<\(name)\(SVG.attributes(attrs))/>")
        }
    }

    /// The document, with a `role="img"` and an accessible label.
    public func render(label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(SVG.number(width)) \(SVG.number(height))\" "
            + "width=\"\(SVG.number(width))\" height=\"\(SVG.number(height))\" role=\"img\" aria-label=\"\(SVG.escape(label))\" "
            + "font-family=\"sans-serif\">\n" + body.joined(separator: "\n") + "\n</svg>"
    }
}

/// Colours distinguishable with the common forms of colour blindness (Okabe & Ito 2008), in the
/// order optimizers are assigned them, with a dash pattern per series as a second cue.
public enum Palette {
    public static let series = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442"]
    /// Five dash patterns against eight colours: five and eight share no factor, so no two of the
    /// first 40 series get the same colour and dash.
    public static let dashes: [String?] = [nil, "6 3", "2 2", "8 3 2 3", "1 3"]

    public static func color(_ index: Int) -> String { series[index % series.count] }
    public static func dash(_ index: Int) -> String? { dashes[index % dashes.count] }

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
