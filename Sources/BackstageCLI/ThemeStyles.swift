import TerminalCurses
import TerminalKit

/// A theme (built-in name or Mattermost theme JSON) fitted to what this terminal can show.
enum ThemeStyles {
    static func styles(for nameOrPath: String, colorCount: Int, environment: [String: String]) -> ([Role: ResolvedStyle], String?) {
        let depth = ColorDepth.detect(environment: environment, colorCount: colorCount, noColor: colorCount == 0)
        let (theme, warning) = ThemeCatalog.resolve(nameOrPath: nameOrPath)
        return (theme.resolvedStyles(depth: depth), warning)
    }
}
