import TerminalCurses
import TerminalKit

/// Themes resolved into what this terminal can show.
enum ThemeStyles {
    static func styles(for nameOrPath: String, colorCount: Int, environment: [String: String]) -> ([Role: TerminalStyle], String?) {
        // Until themes land: the 8 basic colours, or attributes only.
        var styles: [Role: TerminalStyle] = [:]
        for role in Role.allCases { styles[role] = monochrome(role) }
        if colorCount >= 8 {
            styles[.header] = TerminalStyle(foreground: 7, background: 4, bold: true)
            styles[.tabActive] = TerminalStyle(foreground: 0, background: 6, bold: true)
            styles[.tabInactive] = TerminalStyle(foreground: 7, background: 4)
            styles[.selection] = TerminalStyle(foreground: 7, background: 4, bold: true)
            styles[.accent] = TerminalStyle(foreground: 4, bold: true)
            styles[.success] = TerminalStyle(foreground: 2)
            styles[.bannerLinked] = TerminalStyle(foreground: 2, bold: true)
            styles[.error] = TerminalStyle(foreground: 1, bold: true)
            styles[.warning] = TerminalStyle(foreground: 3)
            styles[.hintKey] = TerminalStyle(foreground: 0, background: 6, bold: true)
            styles[.hintLabel] = TerminalStyle(foreground: 7, background: 4)
            styles[.dialogTitle] = TerminalStyle(foreground: 7, background: 4, bold: true)
            styles[.border] = TerminalStyle(foreground: 6)
        }
        return (styles, nil)
    }

    static func monochrome(_ role: Role) -> TerminalStyle {
        switch role {
        case .header, .tabActive, .selection, .dialogTitle, .hintKey: return TerminalStyle(bold: true, reverse: true)
        case .accent, .bannerLinked: return TerminalStyle(bold: true)
        case .error: return TerminalStyle(bold: true, underline: true)
        case .warning, .inputFocused: return TerminalStyle(underline: true)
        default: return TerminalStyle()
        }
    }
}
