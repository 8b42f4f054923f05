/// Text that came from a server or a store may hold escape sequences. Before it reaches a
/// terminal, C0 and C1 control characters (ESC among them) and DEL are removed; tabs and
/// newlines become spaces so one value stays on one line.
public enum TerminalText {
    public static func sanitized(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: output.append(" ")
            case 0x00...0x1F, 0x7F, 0x80...0x9F: continue
            case 0x202A...0x202E, 0x2066...0x2069: continue // bidi overrides would reorder the line
            // Invisible joiners, marks and selectors, and skin tones: terminals (and ncurses, one
            // spacing character per cell) disagree on the width of what they join (tmux: ❤️ 1
            // column, 👍🏽 4, a ZWJ family 2 or 6), so the columns after them would shift.
            case 0x200B...0x200F, 0x2060...0x2064, 0xFEFF, 0x061C, 0x180E, 0xFE00...0xFE0F, 0x1F3FB...0x1F3FF, 0xE0000...0xE007F: continue
            default: output.append(scalar)
            }
        }
        return String(output)
    }

    /// Like `sanitized` but keeps line breaks, for multi-line bodies.
    public static func sanitizedKeepingLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { sanitized(String($0)) }
            .joined(separator: "\n")
    }
}
