/// What the terminal's locale says it can show, read from the environment the way the C library
/// reads it: the first of `LC_ALL`, `LC_CTYPE`, `LANG` that is set and not empty names the locale.
public enum TerminalLocale {
    /// True when that locale's charset is UTF-8 (`en_US.UTF-8`, `C.utf8`). `C`, `POSIX`, no
    /// locale at all, or another charset (`de_DE.ISO-8859-1`, `ja_JP.eucJP`, a bare `en_US`) is
    /// not: the console then writes ASCII only. The name decides, not whether this host has the
    /// locale installed: over SSH the admin's `LANG` describes their terminal, not this host.
    public static func isUTF8(environment: [String: String]) -> Bool {
        let name = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? "C"
        // The charset sits between "." and an optional "@modifier".
        guard let dot = name.firstIndex(of: ".") else { return false }
        let charset = name[name.index(after: dot)...].prefix { $0 != "@" }.lowercased()
        return charset == "utf-8" || charset == "utf8"
    }
}
