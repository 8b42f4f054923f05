/// A `TERM` this host has no terminfo entry for. Modern terminals bring their own entry, which the
/// hosts an admin reaches over SSH often lack (`xterm-kitty` on a server); they all speak xterm's
/// language, so `xterm-256color` draws them well. Any other unknown name is refused: guessing
/// could send sequences a real old terminal misreads.
public enum TerminalTypeFallback {
    public static let substitute = "xterm-256color"

    /// Families known to be xterm-compatible, by the start of their terminfo names.
    static let modernFamilies = ["xterm-", "kitty", "alacritty", "wezterm", "foot", "ghostty"]

    /// `substitute` when `term` names a modern xterm-compatible terminal, else nil.
    public static func substitute(for term: String) -> String? {
        let name = term.lowercased()
        return modernFamilies.contains { name.hasPrefix($0) } ? substitute : nil
    }

    /// The note shown once the console runs on the substitute.
    public static func note(for term: String) -> String {
        "TERM=\(term) has no terminfo entry on this host: drawing as \(substitute)"
    }
}
