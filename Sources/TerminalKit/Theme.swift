import Foundation

/// The Mattermost theme colours the console uses, by Mattermost's own key names, already laid
/// over their backgrounds (an `rgba(...)` value is composited, so every colour here is opaque).
public struct ThemePalette: Sendable, Hashable {
    public var sidebarBg: RGB
    public var sidebarText: RGB
    public var sidebarTextHoverBg: RGB
    public var sidebarTextActiveBorder: RGB
    public var sidebarTextActiveColor: RGB
    public var sidebarHeaderBg: RGB
    public var sidebarHeaderTextColor: RGB
    public var sidebarTeamBarBg: RGB
    public var onlineIndicator: RGB
    public var awayIndicator: RGB
    public var dndIndicator: RGB
    public var centerChannelBg: RGB
    public var centerChannelColor: RGB
    public var linkColor: RGB
    public var buttonBg: RGB
    public var buttonColor: RGB
    public var errorTextColor: RGB
    public var mentionHighlightBg: RGB

    /// Keys a theme file must have: every colour above except the two Mattermost itself derives
    /// when they are absent (`sidebarTeamBarBg` from `sidebarHeaderBg`, as Mattermost's
    /// `setThemeDefaults` does; `errorTextColor` falls back to `dndIndicator`).
    public static let requiredKeys = [
        "sidebarBg", "sidebarText", "sidebarTextHoverBg", "sidebarTextActiveBorder", "sidebarTextActiveColor",
        "sidebarHeaderBg", "sidebarHeaderTextColor", "onlineIndicator", "awayIndicator", "dndIndicator",
        "centerChannelBg", "centerChannelColor", "linkColor", "buttonBg", "buttonColor", "mentionHighlightBg",
    ]
    /// Keys read when present.
    public static let optionalKeys = ["sidebarTeamBarBg", "errorTextColor"]
}

/// A theme: a name and the look of every role. Build one from Mattermost theme JSON with
/// `Theme.load(path:)` / `Theme.load(json:source:)`, or take a built-in from `ThemeCatalog`.
///
/// Each role's `Style` has colours (24-bit; the backend fits them to the terminal with
/// `ColorDepth`) and attributes. `bold` and `underline` apply at every colour depth; `reverse` is
/// the monochrome stand-in for a coloured background and applies only in monochrome
/// (see `Theme.resolved(_:depth:)`).
public struct Theme: Sendable, Hashable {
    /// "Denim", ..., the file's `type`, or the file name for a custom theme.
    public var name: String
    public private(set) var palette: ThemePalette
    /// True: roles drawn on the main area (normal, muted, accent, success, error, warning, the
    /// banners, dialog, border) leave the background to the terminal (`background == nil`).
    public private(set) var useTerminalBackground: Bool
    /// Every role's style, derived from `palette`. Settable for a caller that wants to adjust a
    /// role; `usingTerminalBackground(_:)` derives afresh from the palette.
    public var styles: [Role: Style]

    public init(name: String, palette: ThemePalette, useTerminalBackground: Bool = false) {
        self.name = name
        self.palette = palette
        self.useTerminalBackground = useTerminalBackground
        self.styles = Theme.styles(for: palette, useTerminalBackground: useTerminalBackground)
    }

    /// How `role` looks. Every role has a style.
    public func style(_ role: Role) -> Style {
        styles[role] ?? Style()
    }

    /// The same theme, drawing (or not) on the terminal's own background.
    public func usingTerminalBackground(_ on: Bool) -> Theme {
        Theme(name: name, palette: palette, useTerminalBackground: on)
    }

    // MARK: - Loading

    /// Reads a Mattermost theme JSON file. Errors name `path` as given.
    public static func load(path: String) throws(ThemeError) -> Theme {
        let expanded: String
        if path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty {
            expanded = home + path.dropFirst()
        } else {
            expanded = path
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory) else {
            throw .unreadable(source: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .unreadable(source: path, reason: "it is a directory") }
        guard let data = FileManager.default.contents(atPath: expanded) else {
            throw .unreadable(source: path, reason: "permission denied or not a regular file")
        }
        return try load(json: data, source: path, fallbackName: stem(of: expanded))
    }

    /// Parses Mattermost theme JSON (the text Mattermost's "Custom Theme" settings let you copy).
    /// `source` names the file in error messages. Unknown keys are ignored.
    public static func load(json: Data, source: String) throws(ThemeError) -> Theme {
        try load(json: json, source: source, fallbackName: stem(of: source))
    }

    /// The same, from text.
    public static func load(json: String, source: String) throws(ThemeError) -> Theme {
        try load(json: Data(json.utf8), source: source, fallbackName: stem(of: source))
    }

    /// "themes/our-team.json" -> "our-team".
    static func stem(of path: String) -> String {
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return stem.isEmpty ? path : stem
    }

    static func load(json: Data, source: String, fallbackName: String) throws(ThemeError) -> Theme {
        let root: ThemeJSONValue
        do {
            root = try ThemeJSONParser.parse([UInt8](json))
        } catch {
            throw .invalidJSON(source: source, detail: error.description)
        }
        guard case .object(let members) = root else { throw ThemeError.notAThemeObject(source: source) }
        return try load(members: members, source: source, fallbackName: fallbackName)
    }

    /// A theme file's keys and values, parsed (the built-in themes start here: no text to parse).
    static func load(members: [String: ThemeJSONValue], source: String, fallbackName: String) throws(ThemeError) -> Theme {
        func raw(_ key: String, required: Bool) throws(ThemeError) -> ThemeColorValue? {
            guard let value = members[key], value != .null else {
                if required { throw .missingKey(source: source, key: key) }
                return nil
            }
            guard case .string(let text) = value, let color = ThemeColorValue.parse(text) else {
                throw .invalidColor(source: source, key: key, value: value.snippet)
            }
            return color
        }
        // Check in Mattermost's key order so the first problem reported is the first in the file's
        // usual layout.
        var colors: [String: ThemeColorValue] = [:]
        for key in ThemeCatalog.mattermostKeyOrder where ThemePalette.requiredKeys.contains(key) || ThemePalette.optionalKeys.contains(key) {
            if let color = try raw(key, required: ThemePalette.requiredKeys.contains(key)) { colors[key] = color }
        }

        // Translucent colours are seen over the area they sit on: sidebar colours over the sidebar,
        // everything else over the center channel. The two base backgrounds are taken as opaque.
        let sidebarBg = colors["sidebarBg"]!.rgb
        let centerBg = colors["centerChannelBg"]!.rgb
        func sidebar(_ key: String) -> RGB { colors[key]!.over(sidebarBg) }
        func center(_ key: String) -> RGB { colors[key]!.over(centerBg) }
        let headerBg = sidebar("sidebarHeaderBg")
        let palette = ThemePalette(
            sidebarBg: sidebarBg,
            sidebarText: sidebar("sidebarText"),
            sidebarTextHoverBg: sidebar("sidebarTextHoverBg"),
            sidebarTextActiveBorder: sidebar("sidebarTextActiveBorder"),
            sidebarTextActiveColor: sidebar("sidebarTextActiveColor"),
            sidebarHeaderBg: headerBg,
            sidebarHeaderTextColor: colors["sidebarHeaderTextColor"]!.over(headerBg),
            sidebarTeamBarBg: colors["sidebarTeamBarBg"].map { $0.over(sidebarBg) } ?? headerBg.blended(toward: .black, by: 0.2),
            onlineIndicator: center("onlineIndicator"),
            awayIndicator: center("awayIndicator"),
            dndIndicator: center("dndIndicator"),
            centerChannelBg: centerBg,
            centerChannelColor: center("centerChannelColor"),
            linkColor: center("linkColor"),
            buttonBg: center("buttonBg"),
            buttonColor: colors["buttonColor"]!.over(center("buttonBg")),
            errorTextColor: colors["errorTextColor"].map { $0.over(centerBg) } ?? center("dndIndicator"),
            mentionHighlightBg: center("mentionHighlightBg")
        )

        var useTerminalBackground = false
        if let value = members["useTerminalBackground"], value != .null {
            guard case .bool(let on) = value else {
                throw .invalidValue(source: source, key: "useTerminalBackground", value: value.snippet, expected: "true or false")
            }
            useTerminalBackground = on
        }

        var name = fallbackName
        if case .string(let type) = members["type"] ?? .null {
            let trimmed = type.themeTrimmed()
            if !trimmed.isEmpty && trimmed.lowercased() != "custom" && trimmed.unicodeScalars.allSatisfy({ $0.value >= 0x20 && !(0x7f...0x9f).contains($0.value) }) {
                name = String(trimmed.prefix(40))
            }
        }
        return Theme(name: name, palette: palette, useTerminalBackground: useTerminalBackground)
    }

    // MARK: - Roles

    /// Contrast ratios the mapping guarantees (WCAG: 4.5 for body text, 3 for secondary text and
    /// borders). A colour that falls short is pushed lighter or darker, keeping its hue.
    static let textContrast = 4.5
    static let secondaryContrast = 3.0

    /// Maps Mattermost's colours onto the console's roles. The console's main area is
    /// Mattermost's center channel; its bars borrow the sidebar's colours, its selection and
    /// dialog titles the button's.
    static func styles(for p: ThemePalette, useTerminalBackground: Bool) -> [Role: Style] {
        let bg = p.centerChannelBg
        let mainBg: RGB? = useTerminalBackground ? nil : bg
        func text(_ fg: RGB, on back: RGB, minimum: Double = textContrast) -> RGB { fg.readable(on: back, minimum: minimum) }

        // Mattermost draws secondary text as centerChannelColor at 64% opacity.
        let muted = text(p.centerChannelColor.blended(toward: bg, by: 0.36), on: bg, minimum: secondaryContrast)
        let inputBg = bg.blended(toward: p.centerChannelColor, by: 0.08)
        let success = text(p.onlineIndicator, on: bg)

        var styles: [Role: Style] = [:]
        styles[.normal] = Style(foreground: text(p.centerChannelColor, on: bg), background: mainBg)
        styles[.muted] = Style(foreground: muted, background: mainBg)
        styles[.header] = Style(foreground: text(p.sidebarHeaderTextColor, on: p.sidebarHeaderBg), background: p.sidebarHeaderBg,
                                bold: true, reverse: true)
        // The hover colour is close to the bar's in most themes: bold and underline mark the tab too.
        styles[.tabActive] = Style(foreground: text(p.sidebarTextActiveColor, on: p.sidebarTextHoverBg), background: p.sidebarTextHoverBg,
                                   bold: true, reverse: true, underline: true)
        styles[.tabInactive] = Style(foreground: text(p.sidebarText, on: p.sidebarBg), background: p.sidebarBg)
        styles[.selection] = Style(foreground: text(p.buttonColor, on: p.buttonBg), background: p.buttonBg, reverse: true)
        styles[.accent] = Style(foreground: text(p.linkColor, on: bg), background: mainBg, bold: true)
        styles[.success] = Style(foreground: success, background: mainBg)
        styles[.error] = Style(foreground: text(p.errorTextColor, on: bg), background: mainBg, bold: true, underline: true)
        styles[.warning] = Style(foreground: text(p.awayIndicator, on: bg), background: mainBg, underline: true)
        styles[.bannerLinked] = Style(foreground: success, background: mainBg, bold: true)
        styles[.bannerUnlinked] = Style(foreground: muted, background: mainBg)
        styles[.hintKey] = Style(foreground: text(p.sidebarTextActiveColor, on: p.sidebarTeamBarBg), background: p.sidebarTeamBarBg,
                                 bold: true, reverse: true)
        styles[.hintLabel] = Style(foreground: text(p.sidebarText, on: p.sidebarTeamBarBg), background: p.sidebarTeamBarBg)
        styles[.dialog] = Style(foreground: text(p.centerChannelColor, on: bg), background: mainBg)
        styles[.dialogTitle] = Style(foreground: text(p.buttonColor, on: p.buttonBg), background: p.buttonBg, bold: true, reverse: true)
        styles[.border] = Style(foreground: text(p.sidebarTextActiveBorder, on: bg, minimum: secondaryContrast), background: mainBg)
        // An input's faint background is lost in 8 colours and monochrome: underline marks it there.
        // The focused one is reversed in monochrome, where its highlight colour is gone.
        styles[.input] = Style(foreground: text(p.centerChannelColor, on: inputBg), background: inputBg, underlineWithFewColors: true)
        styles[.inputFocused] = Style(foreground: text(p.centerChannelColor, on: p.mentionHighlightBg), background: p.mentionHighlightBg,
                                      reverse: true, underline: true)
        return styles
    }
}
