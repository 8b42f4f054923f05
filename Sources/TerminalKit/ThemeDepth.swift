/// Fitting a theme to what the terminal can show: 24-bit colour, the xterm 256-colour palette,
/// the 8 basic ANSI colours, or no colour at all (bold, reverse and underline carry the meaning).

/// How many colours the terminal shows, most to least.
public enum ColorDepth: String, Sendable, Hashable, CaseIterable {
    /// 24-bit colour (`COLORTERM=truecolor` or `24bit`).
    case trueColor
    /// The xterm 256-colour palette.
    case palette256
    /// The 8 basic ANSI colours (0 black ... 7 white).
    case palette8
    /// No colour: attributes only (`NO_COLOR`, `--no-color`, or a terminal without colours).
    case monochrome

    /// The depth for this terminal.
    /// - `noColor` (`--no-color`), or `NO_COLOR` set to anything non-empty: monochrome.
    /// - `colorCount` below 8 (what curses reports; 0 when the terminal has no colours): monochrome.
    /// - `COLORTERM` `truecolor` or `24bit`, or `colorCount` >= 2^24 (a direct-colour terminfo
    ///   such as `xterm-direct`, where colour numbers are packed RGB): trueColor.
    /// - `colorCount` >= 256: palette256; >= 8: palette8.
    public static func detect(environment: [String: String], colorCount: Int, noColor: Bool = false) -> ColorDepth {
        if noColor || !(environment["NO_COLOR"] ?? "").isEmpty { return .monochrome }
        if colorCount < 8 { return .monochrome }
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" || colorCount >= 1 << 24 { return .trueColor }
        if colorCount >= 256 { return .palette256 }
        return .palette8
    }

    /// `style` at this depth. Colour depths keep the colours (fitted to the palette) with bold and
    /// underline; `reverse` is only for monochrome, where it stands in for a coloured background;
    /// `underlineWithFewColors` adds underline in monochrome and the 8 colours.
    /// In the palettes a foreground never lands on its own background's colour.
    public func resolve(_ style: Style) -> ResolvedStyle {
        switch self {
        case .monochrome:
            return ResolvedStyle(bold: style.bold, reverse: style.reverse, underline: style.underline || style.underlineWithFewColors)
        case .trueColor:
            return ResolvedStyle(foreground: style.foreground.map(TerminalColor.rgb), background: style.background.map(TerminalColor.rgb),
                                 bold: style.bold, underline: style.underline)
        case .palette256:
            let background = style.background.map(TerminalPalette.nearestXterm256)
            var foreground = style.foreground.map(TerminalPalette.nearestXterm256)
            if let fg = foreground, let bg = background, fg == bg {
                let bgColor = TerminalPalette.xterm256RGB(bg)
                foreground = RGB.black.contrastRatio(with: bgColor) >= RGB.white.contrastRatio(with: bgColor) ? 16 : 231
            }
            return ResolvedStyle(foreground: foreground.map(TerminalColor.indexed), background: background.map(TerminalColor.indexed),
                                 bold: style.bold, underline: style.underline)
        case .palette8:
            let background = style.background.map(TerminalPalette.nearestANSI8)
            let foreground = style.foreground.map { fg in
                background.map { TerminalPalette.nearestANSI8(fg, readableOn: $0) } ?? TerminalPalette.nearestANSI8(fg)
            }
            return ResolvedStyle(foreground: foreground.map(TerminalColor.indexed), background: background.map(TerminalColor.indexed),
                                 bold: style.bold, underline: style.underline || style.underlineWithFewColors)
        }
    }
}

/// A colour as the backend sets it.
public enum TerminalColor: Sendable, Hashable {
    /// 24-bit.
    case rgb(RGB)
    /// A palette index: 0...7 in palette8, 0...255 in palette256.
    case indexed(UInt8)
}

/// A role's look at one colour depth: the colours and attributes the painter sets.
/// nil colours mean the terminal's default.
public struct ResolvedStyle: Sendable, Hashable {
    public var foreground: TerminalColor?
    public var background: TerminalColor?
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(foreground: TerminalColor? = nil, background: TerminalColor? = nil, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
    }
}

extension Theme {
    /// How `role` looks at `depth`.
    public func resolved(_ role: Role, depth: ColorDepth) -> ResolvedStyle {
        depth.resolve(style(role))
    }

    /// Every role at `depth`.
    public func resolvedStyles(depth: ColorDepth) -> [Role: ResolvedStyle] {
        var result: [Role: ResolvedStyle] = [:]
        for role in Role.allCases { result[role] = resolved(role, depth: depth) }
        return result
    }
}

/// The terminal palettes and the standard nearest-colour searches.
public enum TerminalPalette {
    /// The levels of each channel in xterm's 6x6x6 colour cube (indices 16...231).
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The 8 basic ANSI colours as xterm draws them (0 black, 1 red, 2 green, 3 yellow, 4 blue,
    /// 5 magenta, 6 cyan, 7 white).
    public static let ansi8: [RGB] = [
        RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0),
        RGB(0, 0, 238), RGB(205, 0, 205), RGB(0, 205, 205), RGB(229, 229, 229),
    ]

    /// The 16 system colours (0...15) as xterm draws them.
    static let system16: [RGB] = ansi8 + [
        RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0),
        RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
    ]

    /// The RGB of an xterm-256 index: the 16 system colours, the 6x6x6 cube, the 24-step gray ramp.
    public static func xterm256RGB(_ index: UInt8) -> RGB {
        let i = Int(index)
        if i < 16 { return system16[i] }
        if i < 232 {
            let c = i - 16
            return RGB(UInt8(cubeLevels[c / 36]), UInt8(cubeLevels[(c / 6) % 6]), UInt8(cubeLevels[c % 6]))
        }
        let gray = UInt8(8 + 10 * (i - 232))
        return RGB(gray, gray, gray)
    }

    /// The nearest xterm-256 colour (16...255): the nearest point of the 6x6x6 cube and the nearest
    /// step of the gray ramp, whichever is closer by squared RGB distance (the standard search, as
    /// tmux and others do it). The 16 system colours are left out: terminals redefine them.
    public static func nearestXterm256(_ rgb: RGB) -> UInt8 {
        let r = Int(rgb.red), g = Int(rgb.green), b = Int(rgb.blue)
        func nearestLevel(_ v: Int) -> Int {
            var best = 0
            for i in 1..<cubeLevels.count where abs(cubeLevels[i] - v) < abs(cubeLevels[best] - v) { best = i }
            return best
        }
        let qr = nearestLevel(r), qg = nearestLevel(g), qb = nearestLevel(b)
        let cubeIndex = 16 + 36 * qr + 6 * qg + qb
        let cubeDistance = square(cubeLevels[qr] - r) + square(cubeLevels[qg] - g) + square(cubeLevels[qb] - b)

        let average = Double(r + g + b) / 3
        let step = min(max(Int(((average - 8) / 10).rounded()), 0), 23)
        let gray = 8 + 10 * step
        let grayDistance = square(gray - r) + square(gray - g) + square(gray - b)
        return UInt8(grayDistance < cubeDistance ? 232 + step : cubeIndex)
    }

    /// The nearest of the 8 basic ANSI colours (0...7) by squared RGB distance. The 8 colours are
    /// all bright and saturated, so a clearly coloured input (chroma at least a quarter of its
    /// brightest channel) is first stretched to full saturation: its hue decides, not its
    /// brightness (a muted red is red, not magenta; a mid blue is blue, not cyan). Grays and
    /// near-grays become black or white, whichever is nearer (a mid gray is not yellow).
    public static func nearestANSI8(_ rgb: RGB) -> UInt8 {
        let channels = [Int(rgb.red), Int(rgb.green), Int(rgb.blue)]
        let high = channels.max()!, low = channels.min()!
        guard high > 0, Double(high - low) / Double(high) >= 0.25 else { return nearest(rgb, among: [0, 7]) }
        let stretched = channels.map { UInt8((Double($0 - low) / Double(high - low) * Double(high)).rounded()) }
        return nearest(RGB(stretched[0], stretched[1], stretched[2]), among: Array(0..<8))
    }

    /// `nearestANSI8(rgb)` as text on basic colour `background`: when that is the background
    /// itself or hard to read on it (contrast below 2:1 with xterm's colours), black or white,
    /// whichever reads better. Text never vanishes into its background.
    public static func nearestANSI8(_ rgb: RGB, readableOn background: UInt8) -> UInt8 {
        let back = ansi8[Int(background) & 7]
        let candidate = nearestANSI8(rgb)
        if candidate != background && ansi8[Int(candidate)].contrastRatio(with: back) >= 2 { return candidate }
        return RGB.black.contrastRatio(with: back) >= ansi8[7].contrastRatio(with: back) ? 0 : 7
    }

    private static func nearest(_ rgb: RGB, among indices: [Int]) -> UInt8 {
        var best = indices[0], bestDistance = Int.max
        for i in indices {
            let c = ansi8[i]
            let d = square(Int(c.red) - Int(rgb.red)) + square(Int(c.green) - Int(rgb.green)) + square(Int(c.blue) - Int(rgb.blue))
            if d < bestDistance { best = i; bestDistance = d }
        }
        return UInt8(best)
    }

    private static func square(_ x: Int) -> Int { x * x }
}
