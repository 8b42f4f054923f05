/// Why a theme could not be used. Each description is one line naming the file (as the user gave
/// it) and, where there is one, the key: what went wrong and where.
public enum ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read (missing, a directory, no permission...).
    case unreadable(source: String, reason: String)
    /// The bytes are not JSON; `detail` says where (line, column) and what.
    case invalidJSON(source: String, detail: String)
    /// Valid JSON, but not an object of theme keys (an array, a string...).
    case notAThemeObject(source: String)
    /// A key the console needs is absent (or null).
    case missingKey(source: String, key: String)
    /// A key's value is not a colour in a form we read. `value` is a short, printable snippet.
    case invalidColor(source: String, key: String, value: String)
    /// A key's value has the wrong type (e.g. `useTerminalBackground` that is not true/false).
    case invalidValue(source: String, key: String, value: String, expected: String)
    /// `--theme NAME` that is neither a built-in theme nor an existing file.
    case unknownTheme(name: String)

    public var description: String {
        switch self {
        case .unreadable(let source, let reason):
            return "\(source): cannot read the theme file (\(reason))"
        case .invalidJSON(let source, let detail):
            return "\(source): not valid JSON (\(detail))"
        case .notAThemeObject(let source):
            return "\(source): not a Mattermost theme (expected a JSON object such as {\"sidebarBg\": \"#1e325c\", ...})"
        case .missingKey(let source, let key):
            return "\(source): missing key \"\(key)\""
        case .invalidColor(let source, let key, let value):
            return "\(source): key \"\(key)\": \(value) is not a colour (#rgb, #rrggbb or rgb(...))"
        case .invalidValue(let source, let key, let value, let expected):
            return "\(source): key \"\(key)\": \(value) is not \(expected)"
        case .unknownTheme(let name):
            let names = ThemeCatalog.names.map { $0.lowercased() }.concatenated(separator: ", ")
            return "unknown theme \"\(name)\": use one of \(names), or the path of a Mattermost theme .json file"
        }
    }
}
