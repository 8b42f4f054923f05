import Foundation
import FuzzSupport
import TerminalKit

/// Arbitrary bytes as a Mattermost theme file: either a theme or a one-line error, never a crash,
/// and an error never carries a control character to the terminal.
@main
enum FuzzThemes {
    static func main() {
        FuzzEntry.main { bytes in
            do {
                let theme = try Theme.load(json: Data(bytes), source: "fuzz.json")
                for depth in ColorDepth.allCases { _ = theme.resolvedStyles(depth: depth) }
                _ = ThemeCatalog.next(after: theme)
            } catch {
                let line = String(describing: error)
                precondition(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
                             "a theme error carries a control character: \(line.debugDescription)")
            }
            // The same bytes as a --theme name.
            let name = String(decoding: bytes, as: UTF8.self)
            _ = ThemeCatalog.builtIn(named: name)
            _ = ThemeCatalog.next(after: name)
        }
    }
}
