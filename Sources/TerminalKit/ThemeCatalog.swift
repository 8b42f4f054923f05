/// Mattermost's five themes, built in, and the way from `--theme NAME|PATH` to a theme.
public enum ThemeCatalog {
    /// The built-in theme names, in the order `t` cycles them; the first is the default.
    public static let names = ["Denim", "Sapphire", "Quartz", "Indigo", "Onyx"]

    /// Mattermost's theme keys in the order Mattermost lists them (its `THEMES` constant).
    public static let mattermostKeyOrder = [
        "type", "sidebarBg", "sidebarText", "sidebarUnreadText", "sidebarTextHoverBg", "sidebarTextActiveBorder",
        "sidebarTextActiveColor", "sidebarHeaderBg", "sidebarHeaderTextColor", "sidebarTeamBarBg", "onlineIndicator",
        "awayIndicator", "dndIndicator", "mentionBg", "mentionBj", "mentionColor", "centerChannelBg", "centerChannelColor",
        "newMessageSeparator", "linkColor", "buttonBg", "buttonColor", "errorTextColor", "mentionHighlightBg",
        "mentionHighlightLink", "codeTheme",
    ]

    /// The five built-in themes.
    public static var builtIns: [Theme] { names.indices.map(builtIn(at:)) }

    /// Each built-in theme parsed once, when first asked for: a start needs one (issue 18).
    private static let parsed = Locked<[Int: Theme]>([:])

    static func builtIn(at index: Int) -> Theme {
        parsed.withLock { parsed in
            if let theme = parsed[index] { return theme }
            // From the table itself: building the file's text to parse it again cost a start ~1 ms.
            let file = ThemeBuiltins.members(at: index)
            let theme: Theme
            do {
                let source = "themes/" + file.name
                theme = try Theme.load(members: file.members, source: source, fallbackName: Theme.stem(of: source))
            } catch {
                preconditionFailure("built-in theme \(error)")
            }
            parsed[index] = theme
            return theme
        }
    }

    /// Denim.
    public static var defaultTheme: Theme { builtIn(at: 0) }

    /// The built-in theme called `name` (any case), if there is one.
    public static func builtIn(named name: String) -> Theme? {
        let wanted = name.themeTrimmed().lowercased()
        return names.firstIndex { $0.lowercased() == wanted }.map(builtIn(at:))
    }

    /// The theme for `--theme NAME|PATH`: a built-in name (any case) or the path of a Mattermost
    /// theme JSON file. When the file cannot be used, Denim and the reason (one line naming the
    /// file and the key) to show the user. An empty argument means Denim, without a warning.
    public static func resolve(nameOrPath: String) -> (theme: Theme, warning: String?) {
        switch load(nameOrPath: nameOrPath) {
        case .success(let theme): return (theme, nil)
        case .failure(let error): return (defaultTheme, error.description)
        }
    }

    /// The same, keeping the typed error.
    public static func load(nameOrPath: String) -> Result<Theme, ThemeError> {
        let argument = nameOrPath.themeTrimmed()
        if argument.isEmpty { return .success(defaultTheme) }
        if let theme = builtIn(named: argument) { return .success(theme) }
        do {
            return .success(try Theme.load(path: argument))
        } catch {
            // A bare word that names no file is more likely a mistyped theme name than a path.
            if case .unreadable(_, "no such file") = error, !argument.contains("/"), !argument.lowercased().hasSuffix(".json") {
                return .failure(.unknownTheme(name: argument))
            }
            return .failure(error)
        }
    }

    /// The built-in name after `name` in the cycle Denim → Sapphire → Quartz → Indigo → Onyx → Denim.
    /// Anything else (a custom theme's name or path) is followed by Denim.
    public static func next(after name: String) -> String {
        let wanted = name.themeTrimmed().lowercased()
        guard let index = names.firstIndex(where: { $0.lowercased() == wanted }) else { return names[0] }
        return names[(index + 1) % names.count]
    }

    /// The built-in theme after `theme` in the same cycle, keeping its `useTerminalBackground`.
    public static func next(after theme: Theme) -> Theme {
        let following = builtIn(named: next(after: theme.name)) ?? defaultTheme
        return following.useTerminalBackground == theme.useTerminalBackground
            ? following : following.usingTerminalBackground(theme.useTerminalBackground)
    }
}
