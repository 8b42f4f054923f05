/// What a piece of text *is*; a theme decides how it looks. Widgets only ever name roles.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    /// Ordinary text on the terminal's background.
    case normal
    /// Secondary text: help under fields, details, dates.
    case muted
    /// The header line (product, store, team).
    case header
    /// The selected tab / the tab bar behind the others.
    case tabActive, tabInactive
    /// The highlighted row of a list.
    case selection
    /// Names, titles and links worth the eye.
    case accent
    /// Good news (validated, linked), bad news (errors), and warnings (overlaps, near misses).
    case success, error, warning
    /// The live banner under the Request URL.
    case bannerLinked, bannerUnlinked
    /// The key-hint bar at the bottom: the keys, and their labels.
    case hintKey, hintLabel
    /// Dialogs and the help overlay.
    case dialog, dialogTitle, border
    /// A focused input field, and its cursor position.
    case input, inputFocused

    /// The role's index in `allCases`, which is its one-byte tag (cases in declaration order):
    /// tables by role index arrays instead of hashing the raw string (PlainCellTests checks it).
    @inline(__always)
    public var tag: Int { Int(unsafeBitCast(self, to: UInt8.self)) }
}

/// A colour as a theme gives it (24-bit), before the backend fits it to the terminal.
public struct RGB: Sendable, Hashable, Codable {
    public let red: UInt8
    public let green: UInt8
    public let blue: UInt8

    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }
}

/// How one role looks: colours (nil = the terminal's default) and the attributes that carry
/// meaning when there is no colour at all (monochrome, NO_COLOR).
public struct Style: Sendable, Hashable {
    public var foreground: RGB?
    public var background: RGB?
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool
    /// Underlined only where the colours are too few to show this role's own background (8
    /// colours, monochrome): an empty input field stays visible there.
    public var underlineWithFewColors: Bool

    public init(foreground: RGB? = nil, background: RGB? = nil, bold: Bool = false, reverse: Bool = false, underline: Bool = false,
                underlineWithFewColors: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.underlineWithFewColors = underlineWithFewColors
    }
}
