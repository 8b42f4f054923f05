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
