/// Colour arithmetic for themes: parsing Mattermost's colour strings, blending, and the WCAG
/// luminance/contrast measures used to keep every role readable.

import Foundation

extension RGB {
    /// `#rrggbb`, lower case (as Mattermost writes colours).
    public var hex: String {
        let digits = Array("0123456789abcdef")
        var text = "#"
        for value in [red, green, blue] {
            text.append(digits[Int(value >> 4)])
            text.append(digits[Int(value & 0x0f)])
        }
        return text
    }

    /// This colour moved `fraction` (0...1) of the way toward `other`, per channel, rounded.
    public func blended(toward other: RGB, by fraction: Double) -> RGB {
        let f = min(max(fraction, 0), 1)
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8((Double(a) + (Double(b) - Double(a)) * f).rounded())
        }
        return RGB(mix(red, other.red), mix(green, other.green), mix(blue, other.blue))
    }

    /// WCAG 2 relative luminance, 0 (black) ... 1 (white).
    public var relativeLuminance: Double {
        func linear(_ channel: UInt8) -> Double {
            let c = Double(channel) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// WCAG 2 contrast ratio with `other`: 1 (same) ... 21 (black on white).
    public func contrastRatio(with other: RGB) -> Double {
        let a = relativeLuminance, b = other.relativeLuminance
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    /// This colour as text on `background`, pushed further from it (lighter text lighter, darker
    /// text darker, keeping its hue) until the contrast ratio reaches `minimum`, or as far as it goes.
    /// A colour that already reaches `minimum` comes back unchanged.
    public func readable(on background: RGB, minimum: Double) -> RGB {
        if contrastRatio(with: background) >= minimum { return self }
        let target = relativeLuminance >= background.relativeLuminance ? RGB(255, 255, 255) : RGB(0, 0, 0)
        var step = 1
        while step <= 20 {
            let candidate = blended(toward: target, by: Double(step) / 20)
            if candidate.contrastRatio(with: background) >= minimum { return candidate }
            step += 1
        }
        return target
    }

    static let black = RGB(0, 0, 0)
    static let white = RGB(255, 255, 255)
}

/// A colour as written in a theme file, before it is laid over its background.
struct ThemeColorValue: Sendable, Hashable {
    var rgb: RGB
    /// 0...1; 1 unless the file said `rgba(...)`.
    var alpha: Double

    /// The colour as seen over `background` (alpha compositing).
    func over(_ background: RGB) -> RGB {
        alpha >= 1 ? rgb : background.blended(toward: rgb, by: alpha)
    }

    /// Parses `#rgb`, `#rrggbb`, `rgb(r, g, b)` and `rgba(r, g, b, a)` (case and spaces are free;
    /// channels 0...255, alpha 0...1 or a percentage). nil when it is none of these.
    static func parse(_ raw: String) -> ThemeColorValue? {
        let text = raw.themeTrimmed().lowercased()
        if text.hasPrefix("#") { return parseHex(text.dropFirst()) }
        for (prefix, count) in [("rgba(", 4), ("rgb(", 3)] where text.hasPrefix(prefix) && text.hasSuffix(")") {
            let inner = text.dropFirst(prefix.count).dropLast()
            let parts = inner.split(separator: ",", omittingEmptySubsequences: false).map { String($0).themeTrimmed() }
            // CSS allows rgb() with an alpha and rgba() without one; Mattermost writes both forms.
            guard parts.count == count || parts.count == (count == 4 ? 3 : 4) else { return nil }
            var channels: [UInt8] = []
            for part in parts.prefix(3) {
                guard let value = Double(themeDecimal: part), value >= 0, value <= 255 else { return nil }
                channels.append(UInt8(value.rounded()))
            }
            var alpha = 1.0
            if parts.count == 4 {
                let part = parts[3]
                if part.hasSuffix("%") {
                    guard let percent = Double(themeDecimal: String(part.dropLast())), percent >= 0, percent <= 100 else { return nil }
                    alpha = percent / 100
                } else {
                    guard let value = Double(themeDecimal: part), value >= 0, value <= 1 else { return nil }
                    alpha = value
                }
            }
            return ThemeColorValue(rgb: RGB(channels[0], channels[1], channels[2]), alpha: alpha)
        }
        return nil
    }

    private static func parseHex(_ digits: Substring) -> ThemeColorValue? {
        let values = digits.map { $0.hexDigitValue }
        guard !values.contains(where: { $0 == nil }) else { return nil }
        let v = values.map { UInt8($0!) }
        switch v.count {
        case 3: return ThemeColorValue(rgb: RGB(v[0] * 17, v[1] * 17, v[2] * 17), alpha: 1)
        case 6: return ThemeColorValue(rgb: RGB(v[0] << 4 | v[1], v[2] << 4 | v[3], v[4] << 4 | v[5]), alpha: 1)
        default: return nil
        }
    }
}

extension Double {
    /// A plain decimal number (`12`, `0.5`, `.5`, `255.0`): no signs, exponents, inf or nan.
    init?(themeDecimal text: String) {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              text.filter({ $0 == "." }).count <= 1, text != "." else { return nil }
        self.init(text)
    }
}

extension String {
    func themeTrimmed() -> String {
        // A plain ASCII character at both ends: nothing to trim (the built-in themes' every line).
        if let first = utf8.first, let last = utf8.last, Self.isPlainASCII(first), Self.isPlainASCII(last) { return self }
        return themeTrimmedByCharacters()
    }

    private static func isPlainASCII(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F
    }

    func themeTrimmedByCharacters() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
