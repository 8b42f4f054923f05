import TerminalCurses
import TerminalKit

/// A theme (built-in name or Mattermost theme JSON) fitted to what this terminal can show.
enum ThemeStyles {
    static func styles(for nameOrPath: String, colorCount: Int, environment: [String: String]) -> ([Role: TerminalStyle], String?) {
        let depth = ColorDepth.detect(environment: environment, colorCount: colorCount, noColor: colorCount == 0)
        let (theme, warning) = ThemeCatalog.resolve(nameOrPath: nameOrPath)
        let direct = colorCount >= 1 << 24
        let styles = theme.resolvedStyles(depth: depth).mapValues { style in
            TerminalStyle(foreground: style.foreground.map { direct ? $0.packedRGB : Int32($0.paletteIndex) } ?? -1,
                          background: style.background.map { direct ? $0.packedRGB : Int32($0.paletteIndex) } ?? -1,
                          bold: style.bold, reverse: style.reverse, underline: style.underline)
        }
        return (styles, warning)
    }
}
