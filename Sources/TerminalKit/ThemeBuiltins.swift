// The console carries its five built-in themes without looking for files at run time. The
// table holds each key of themes/*.json in the files' order, with its value in each theme; the
// JSON text built from it is byte for byte the file's (ThemeCatalogTests checks it). Change a
// value here and in the theme's file.

enum ThemeBuiltins {
    /// (file name in themes/, JSON text), in the order `t` cycles them.
    static let files: [(name: String, json: String)] = names.indices.map(file(at:))

    /// One theme's file name and text.
    static func file(at index: Int) -> (name: String, json: String) { ("\(names[index]).json", json(column: index)) }

    /// One theme's file name and its keys and values, as parsing its text gives them.
    static func members(at index: Int) -> (name: String, members: [String: ThemeJSONValue]) {
        ("\(names[index]).json", Dictionary(uniqueKeysWithValues: values.map { ($0.key, ThemeJSONValue.string($0.value[index])) }))
    }

    static let denim = json(column: 0)
    static let onyx = json(column: 4)

    private static let names = ["denim", "sapphire", "quartz", "indigo", "onyx"]

    private static let values: KeyValuePairs<String, [String]> = [
        //                           denim      sapphire    quartz     indigo            onyx
        "type":                    ["Denim",   "Sapphire", "Quartz",  "Indigo",         "Onyx"],
        "sidebarBg":               ["#1e325c", "#1543a3",  "#f4f4f6", "#151e32",        "#202228"],
        "sidebarText":             ["#ffffff", "#ffffff",  "#1f2228", "#ffffff",        "#ffffff"],
        "sidebarUnreadText":       ["#ffffff", "#ffffff",  "#1f2228", "#ffffff",        "#ffffff"],
        "sidebarTextHoverBg":      ["#28427b", "#2a58ba",  "#e8eaed", "#222c3f",        "#25262a"],
        "sidebarTextActiveBorder": ["#5d89ea", "#57b5f0",  "#32a4ec", "#4a7ce8",        "#4a7ce8"],
        "sidebarTextActiveColor":  ["#ffffff", "#ffffff",  "#1f2228", "#ffffff",        "#ffffff"],
        "sidebarHeaderBg":         ["#192a4d", "#123b91",  "#ebecef", "#182339",        "#24272d"],
        "sidebarHeaderTextColor":  ["#ffffff", "#ffffff",  "#1f2228", "#ffffff",        "#ffffff"],
        "sidebarTeamBarBg":        ["#162545", "#123582",  "#e5e7eb", "#1c2740",        "#292c33"],
        "onlineIndicator":         ["#3db887", "#3db887",  "#3db887", "#3db887",        "#3db887"],
        "awayIndicator":           ["#ffbc1f", "#ffbc1f",  "#f5ab07", "#f5ab00",        "#f5ab00"],
        "dndIndicator":            ["#d24b4e", "#d24b4e",  "#d24b4e", "#d24b4e",        "#d24b4e"],
        "mentionBg":               ["#ffffff", "#ffffff",  "#1c58d9", "#4a7ce8",        "#4b7ce7"],
        "mentionBj":               ["#ffffff", "#ffffff",  "#1c58d9", "#4a7ce8",        "#4b7ce7"],
        "mentionColor":            ["#1e325c", "#174ab5",  "#ffffff", "#ffffff",        "#ffffff"],
        "centerChannelBg":         ["#ffffff", "#ffffff",  "#ffffff", "#111827",        "#191b1f"],
        "centerChannelColor":      ["#3f4350", "#3f4350",  "#3f4350", "#dddfe4",        "#e3e4e8"],
        "newMessageSeparator":     ["#cc8f00", "#15b7b7",  "#15b7b7", "#81a3ef",        "#1adbdb"],
        "linkColor":               ["#386fe5", "#1c58d9",  "#1c58d9", "#5d89ea",        "#5d89ea"],
        "buttonBg":                ["#1c58d9", "#1c58d9",  "#1c58d9", "#4a7ce8",        "#4a7ce8"],
        "buttonColor":             ["#ffffff", "#ffffff",  "#ffffff", "#ffffff",        "#ffffff"],
        "errorTextColor":          ["#d24b4e", "#d24b4e",  "#d24b4e", "#d24b4e",        "#da6c6e"],
        "mentionHighlightBg":      ["#ffd470", "#7ff0f0",  "#7ff0f0", "#133a91",        "#0d6e6e"],
        "mentionHighlightLink":    ["#1b1d22", "#0d6e6e",  "#0d6e6e", "#a4f4f4",        "#a4f4f4"],
        "codeTheme":               ["github",  "github",   "github",  "solarized-dark", "monokai"],
    ]

    /// A theme file's text: one key a line, two-space indent, a final newline.
    private static func json(column: Int) -> String {
        "{\n" + values.map { "  \"\($0.key)\": \"\($0.value[column])\"" }.concatenated(separator: ",\n") + "\n}\n"
    }
}
