import Foundation

/// A small SVG writer: elements are appended as text, attributes escaped, numbers printed with
/// two decimals (enough for screen coordinates, and stable across runs).
public struct SVG {
    public let width: Double
    public let height: Double
    private var body: [String] = []
    private var definitions: [String] = []

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

    /// A closed polygon.
    public mutating func polygon(_ points: [(Double, Double)], fill: String, opacity: Double = 1, stroke: String? = nil) {
        guard points.count >= 3 else { return }
        let text = points.map { "\(SVG.number($0.0)),\(SVG.number($0.1))" }.joined(separator: " ")
        var attrs = [("points", text), ("fill", fill)]
        if let stroke { attrs.append(("stroke", stroke)) }
        if opacity < 1 { attrs.append(("fill-opacity", SVG.number(opacity))) }
        element("polygon", attrs)
    }

    /// A hatch pattern `id` (for `fill="url(#id)"`): `color` with white strokes, `kind` 1 diagonal
    /// lines, 2 dots, 3 cross-hatch; 0 is no pattern (use the colour itself).
    public mutating func hatch(id: String, color: String, kind: Int) {
        let marks: String
        switch kind {
        case 1: marks = "<path d=\"M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2\" stroke=\"white\" stroke-width=\"1.6\"/>"
        case 2: marks = "<circle cx=\"3\" cy=\"3\" r=\"1.3\" fill=\"white\"/>"
        default: marks = "<path d=\"M0,0 l6,6 M6,0 l-6,6\" stroke=\"white\" stroke-width=\"1.2\"/>"
        }
        definitions.append("<pattern id=\"\(SVG.escape(id))\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
                           + "<rect width=\"6\" height=\"6\" fill=\"\(SVG.escape(color))\"/>\(marks)</pattern>")
    }

    /// An image defined once (`id`) and placed with `use(_:x:y:)`: one copy of a heat map's
    /// pixels for every panel that shows it.
    public mutating func defineImage(id: String, width: Double, height: Double, dataURI: String) {
        definitions.append("<image id=\"\(SVG.escape(id))\"" + SVG.attributes([
            ("width", SVG.number(width)), ("height", SVG.number(height)), ("preserveAspectRatio", "none"),
            ("href", dataURI), ("style", "image-rendering: pixelated")]) + "/>")
    }

    public mutating func use(_ id: String, x: Double, y: Double) {
        element("use", [("href", "#" + id), ("x", SVG.number(x)), ("y", SVG.number(y))])
    }

    /// A width no browser's sans-serif text of `size` px exceeds: per character 0.95 em for wide
    /// capitals and m/w, 0.4 em for narrow marks, 0.62 em otherwise (Arial and DejaVu Sans, the
    /// widest common fallback, measure at most about 0.6 em for lowercase letters and digits).
    public static func textWidth(_ text: String, size: Double, bold: Bool = false) -> Double {
        var ems = 0.0
        for c in text {
            if "MWmw@%".contains(c) || (c.isUppercase && c.isLetter) {
                ems += 0.95
            } else if "ilj.,;:'|!()[] ".contains(c) {
                ems += 0.4
            } else {
                ems += 0.62
            }
        }
        return ems * size * (bold ? 1.1 : 1)
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
            + "font-family=\"sans-serif\">\n"
            + (definitions.isEmpty ? "" : "<defs>\n" + definitions.joined(separator: "\n") + "\n</defs>\n")
            + body.joined(separator: "\n") + "\n</svg>"
    }
}
