import Testing
@testable import TerminalKit

@Suite("Theme colour depths")
struct ThemeDepthTests {
    @Test("nearest xterm-256 colour: cube and gray ramp")
    func xterm256() {
        #expect(TerminalPalette.nearestXterm256(RGB(0xff, 0x00, 0x00)) == 196)
        #expect(TerminalPalette.nearestXterm256(RGB(0x80, 0x80, 0x80)) == 244)
        #expect(TerminalPalette.nearestXterm256(RGB(0x00, 0x00, 0x00)) == 16)
        #expect(TerminalPalette.nearestXterm256(RGB(0xff, 0xff, 0xff)) == 231)
        #expect(TerminalPalette.nearestXterm256(RGB(0x5f, 0x87, 0xaf)) == 67)  // exactly a cube colour
        #expect(TerminalPalette.nearestXterm256(RGB(0x08, 0x08, 0x08)) == 232)
        #expect(TerminalPalette.nearestXterm256(RGB(0xee, 0xee, 0xee)) == 255)
        // Denim's sidebar (30, 50, 92): the nearest cube point (0, 95, 95) is 2934 away, the gray
        // ramp's #3a3a3a (step 5) only 2004: index 232 + 5.
        #expect(TerminalPalette.nearestXterm256(RGB(0x1e, 0x32, 0x5c)) == 237)
        // Denim's button (28, 88, 217): cube (0, 95, 215) = 16 + 6 + 4 = 26.
        #expect(TerminalPalette.nearestXterm256(RGB(0x1c, 0x58, 0xd9)) == 26)
    }

    @Test("xterm-256 indices round-trip through their RGB", arguments: Array(16...255))
    func xterm256RoundTrip(index: Int) {
        #expect(TerminalPalette.nearestXterm256(TerminalPalette.xterm256RGB(UInt8(index))) == UInt8(index))
    }

    @Test("nearest of the 8 basic colours")
    func ansi8() {
        #expect(TerminalPalette.nearestANSI8(RGB(0xff, 0x00, 0x00)) == 1)
        #expect(TerminalPalette.nearestANSI8(RGB(0x00, 0xff, 0x00)) == 2)
        #expect(TerminalPalette.nearestANSI8(RGB(0xff, 0xff, 0x00)) == 3)
        #expect(TerminalPalette.nearestANSI8(RGB(0x00, 0x00, 0xff)) == 4)
        #expect(TerminalPalette.nearestANSI8(RGB(0xff, 0x00, 0xff)) == 5)
        #expect(TerminalPalette.nearestANSI8(RGB(0x00, 0xff, 0xff)) == 6)
        #expect(TerminalPalette.nearestANSI8(RGB(0xff, 0xff, 0xff)) == 7)
        #expect(TerminalPalette.nearestANSI8(RGB(0x00, 0x00, 0x00)) == 0)
        #expect(TerminalPalette.nearestANSI8(RGB(0x80, 0x80, 0x80)) == 7)
        #expect(TerminalPalette.nearestANSI8(RGB(0x3f, 0x43, 0x50)) == 0)  // Denim's text: dark gray
        // Hue decides for clear colours: Onyx's error red is red, Indigo's button blue is blue.
        #expect(TerminalPalette.nearestANSI8(RGB(0xda, 0x6c, 0x6e)) == 1)
        #expect(TerminalPalette.nearestANSI8(RGB(0x4a, 0x7c, 0xe8)) == 4)
        #expect(TerminalPalette.nearestANSI8(RGB(0xf5, 0xab, 0x00)) == 3)
        #expect(TerminalPalette.nearestANSI8(RGB(0x1e, 0x32, 0x5c)) == 0)  // dark navy stays dark
    }

    @Test("detect: NO_COLOR and --no-color win, then COLORTERM, then the colour count")
    func detect() {
        #expect(ColorDepth.detect(environment: ["NO_COLOR": "1", "COLORTERM": "truecolor"], colorCount: 256) == .monochrome)
        #expect(ColorDepth.detect(environment: ["NO_COLOR": "anything"], colorCount: 8) == .monochrome)
        #expect(ColorDepth.detect(environment: ["NO_COLOR": ""], colorCount: 256) == .palette256)
        #expect(ColorDepth.detect(environment: ["COLORTERM": "truecolor"], colorCount: 256, noColor: true) == .monochrome)
        #expect(ColorDepth.detect(environment: ["COLORTERM": "truecolor"], colorCount: 256) == .trueColor)
        #expect(ColorDepth.detect(environment: ["COLORTERM": "24bit"], colorCount: 8) == .trueColor)
        #expect(ColorDepth.detect(environment: ["COLORTERM": "TrueColor"], colorCount: 256) == .trueColor)
        #expect(ColorDepth.detect(environment: ["COLORTERM": "yes"], colorCount: 256) == .palette256)
        #expect(ColorDepth.detect(environment: [:], colorCount: 256) == .palette256)
        #expect(ColorDepth.detect(environment: [:], colorCount: 16_777_216) == .trueColor)  // xterm-direct
        #expect(ColorDepth.detect(environment: [:], colorCount: 88) == .palette8)
        #expect(ColorDepth.detect(environment: [:], colorCount: 8) == .palette8)
        #expect(ColorDepth.detect(environment: [:], colorCount: 2) == .monochrome)
        #expect(ColorDepth.detect(environment: [:], colorCount: 0) == .monochrome)
        // A terminal without colours (or --no-color passing 0) stays monochrome whatever COLORTERM says.
        #expect(ColorDepth.detect(environment: ["COLORTERM": "truecolor"], colorCount: 0) == .monochrome)
    }

    @Test("trueColor keeps the theme's colours; reverse is only for monochrome")
    func trueColor() {
        let theme = ThemeCatalog.defaultTheme
        let selection = theme.resolved(.selection, depth: .trueColor)
        #expect(selection.foreground == .rgb(theme.style(.selection).foreground!))
        #expect(selection.background == .rgb(RGB(0x1c, 0x58, 0xd9)))
        for depth in [ColorDepth.trueColor, .palette256, .palette8] {
            for role in Role.allCases {
                #expect(!theme.resolved(role, depth: depth).reverse, "\(role) at \(depth)")
            }
        }
        #expect(theme.resolved(.accent, depth: .trueColor).bold)
        #expect(theme.resolved(.error, depth: .palette256).underline)
    }

    @Test("palette256 gives cube/ramp indices and never the background's index as foreground")
    func palette256() {
        let theme = ThemeCatalog.defaultTheme
        #expect(theme.resolved(.normal, depth: .palette256).background == .indexed(231))
        #expect(theme.resolved(.selection, depth: .palette256).background == .indexed(26))
        let close = ColorDepth.palette256.resolve(Style(foreground: RGB(0x10, 0x10, 0x10), background: RGB(0x12, 0x12, 0x12)))
        #expect(close.foreground != close.background)
        #expect(close.foreground == .indexed(231))
    }

    @Test("palette8 never puts text on its own colour", arguments: ThemeCatalog.names)
    func palette8BuiltIns(name: String) throws {
        let theme = try #require(ThemeCatalog.builtIn(named: name))
        for role in Role.allCases {
            let style = theme.resolved(role, depth: .palette8)
            if case .indexed(let fg)? = style.foreground { #expect(fg < 8) } else { Issue.record("\(role): no indexed foreground") }
            if let background = style.background {
                guard case .indexed(let bg) = background else { Issue.record("\(role): not indexed"); continue }
                #expect(bg < 8)
                #expect(style.foreground != style.background, "\(name).\(role)")
            }
        }
    }

    @Test("palette8 fixes a foreground that lands on its background")
    func palette8Collisions() {
        let grays = ColorDepth.palette8.resolve(Style(foreground: RGB(0xff, 0xff, 0xff), background: RGB(0xee, 0xee, 0xee)))
        #expect(grays.foreground == .indexed(0))
        #expect(grays.background == .indexed(7))
        let darks = ColorDepth.palette8.resolve(Style(foreground: RGB(0x20, 0x20, 0x20), background: RGB(0x10, 0x10, 0x10)))
        #expect(darks.foreground == .indexed(7))
        #expect(darks.background == .indexed(0))
        // Yellow text on white is unreadable: black instead.
        let yellow = ColorDepth.palette8.resolve(Style(foreground: RGB(0xff, 0xbc, 0x1f), background: RGB(0xff, 0xff, 0xff)))
        #expect(yellow.foreground == .indexed(0))
        // Text on the terminal's own background keeps its colour.
        #expect(ColorDepth.palette8.resolve(Style(foreground: RGB(0xff, 0, 0))).foreground == .indexed(1))
        #expect(ColorDepth.palette8.resolve(Style(foreground: RGB(0xff, 0, 0))).background == nil)
    }

    @Test("monochrome: attributes only, and the roles that matter stay distinguishable", arguments: ThemeCatalog.names)
    func monochrome(name: String) throws {
        let theme = try #require(ThemeCatalog.builtIn(named: name))
        let styles = theme.resolvedStyles(depth: .monochrome)
        #expect(styles.count == Role.allCases.count)
        for (role, style) in styles {
            #expect(style.foreground == nil && style.background == nil, "\(role)")
        }
        let normal = styles[.normal]!
        #expect(normal == ResolvedStyle())
        for role: Role in [.selection, .tabActive, .header, .hintKey, .dialogTitle, .accent, .error, .warning, .bannerLinked, .inputFocused] {
            #expect(styles[role] != normal, "\(role) looks like normal text")
        }
        #expect(styles[.selection]!.reverse)
        #expect(styles[.tabActive]!.reverse && styles[.tabActive]!.bold)
        #expect(styles[.dialogTitle]!.reverse)
        #expect(styles[.header]!.reverse && styles[.header]!.bold)
        #expect(styles[.hintKey]!.reverse && styles[.hintKey]!.bold)
        #expect(styles[.accent]!.bold && styles[.bannerLinked]!.bold)
        #expect(styles[.error]!.bold && styles[.error]!.underline)
        #expect(styles[.warning]!.underline && !styles[.warning]!.bold)
        #expect(styles[.inputFocused]!.underline)
        #expect(styles[.tabActive] != styles[.tabInactive])
        #expect(styles[.error] != styles[.warning])
    }

    @Test("text stays readable in every built-in theme at trueColor", arguments: ThemeCatalog.names)
    func contrast(name: String) throws {
        let theme = try #require(ThemeCatalog.builtIn(named: name))
        let barRoles: [Role] = [.normal, .selection, .header, .tabActive, .tabInactive, .hintKey, .hintLabel,
                                .dialog, .dialogTitle, .input, .inputFocused]
        for role in barRoles {
            let style = theme.resolved(role, depth: .trueColor)
            guard case .rgb(let fg)? = style.foreground, case .rgb(let bg)? = style.background else {
                Issue.record("\(name).\(role) lacks colours"); continue
            }
            #expect(fg != bg, "\(name).\(role)")
            #expect(fg.contrastRatio(with: bg) >= 3, "\(name).\(role): \(fg.hex) on \(bg.hex)")
        }
        // Coloured text on the main area: body-text contrast (WCAG AA, 4.5), secondary text 3.
        let main = theme.palette.centerChannelBg
        for role: Role in [.normal, .accent, .success, .error, .warning, .bannerLinked, .dialog] {
            let fg = try #require(theme.style(role).foreground)
            #expect(fg.contrastRatio(with: main) >= 4.5, "\(name).\(role): \(fg.hex) on \(main.hex)")
        }
        for role: Role in [.muted, .bannerUnlinked, .border] {
            let fg = try #require(theme.style(role).foreground)
            #expect(fg.contrastRatio(with: main) >= 3, "\(name).\(role): \(fg.hex) on \(main.hex)")
        }
        // Muted is quieter than normal text, but still the theme's text colour family.
        #expect(theme.style(.muted).foreground != theme.style(.normal).foreground)
    }

    @Test("contrast helpers")
    func contrastHelpers() {
        #expect(abs(RGB(0, 0, 0).contrastRatio(with: RGB(255, 255, 255)) - 21) < 0.01)
        #expect(RGB(0x12, 0x34, 0x56).contrastRatio(with: RGB(0x12, 0x34, 0x56)) == 1)
        let good = RGB(0x3f, 0x43, 0x50)
        #expect(good.readable(on: RGB(255, 255, 255), minimum: 4.5) == good)
        let yellow = RGB(0xff, 0xbc, 0x1f).readable(on: RGB(255, 255, 255), minimum: 4.5)
        #expect(yellow.contrastRatio(with: RGB(255, 255, 255)) >= 4.5)
        #expect(yellow.red > yellow.blue)  // still a yellow-brown, not gray
        #expect(RGB(0x1c, 0x58, 0xd9).hex == "#1c58d9")
    }
}
