// Mirrors themes/*.json byte for byte (ThemeCatalogTests checks it), so the console carries its
// five built-in themes without looking for files at run time. Edit a theme in themes/ and copy
// the file's text here between the delimiters (each ends with the file's final newline).

enum ThemeBuiltins {
    /// (file name in themes/, JSON text), in the order `t` cycles them.
    static let files: [(name: String, json: String)] = [
        ("denim.json", denim),
        ("sapphire.json", sapphire),
        ("quartz.json", quartz),
        ("indigo.json", indigo),
        ("onyx.json", onyx),
    ]

    static let denim = #"""
{
  "type": "Denim",
  "sidebarBg": "#1e325c",
  "sidebarText": "#ffffff",
  "sidebarUnreadText": "#ffffff",
  "sidebarTextHoverBg": "#28427b",
  "sidebarTextActiveBorder": "#5d89ea",
  "sidebarTextActiveColor": "#ffffff",
  "sidebarHeaderBg": "#192a4d",
  "sidebarHeaderTextColor": "#ffffff",
  "sidebarTeamBarBg": "#162545",
  "onlineIndicator": "#3db887",
  "awayIndicator": "#ffbc1f",
  "dndIndicator": "#d24b4e",
  "mentionBg": "#ffffff",
  "mentionBj": "#ffffff",
  "mentionColor": "#1e325c",
  "centerChannelBg": "#ffffff",
  "centerChannelColor": "#3f4350",
  "newMessageSeparator": "#cc8f00",
  "linkColor": "#386fe5",
  "buttonBg": "#1c58d9",
  "buttonColor": "#ffffff",
  "errorTextColor": "#d24b4e",
  "mentionHighlightBg": "#ffd470",
  "mentionHighlightLink": "#1b1d22",
  "codeTheme": "github"
}

"""#

    static let sapphire = #"""
{
  "type": "Sapphire",
  "sidebarBg": "#1543a3",
  "sidebarText": "#ffffff",
  "sidebarUnreadText": "#ffffff",
  "sidebarTextHoverBg": "#2a58ba",
  "sidebarTextActiveBorder": "#57b5f0",
  "sidebarTextActiveColor": "#ffffff",
  "sidebarHeaderBg": "#123b91",
  "sidebarHeaderTextColor": "#ffffff",
  "sidebarTeamBarBg": "#123582",
  "onlineIndicator": "#3db887",
  "awayIndicator": "#ffbc1f",
  "dndIndicator": "#d24b4e",
  "mentionBg": "#ffffff",
  "mentionBj": "#ffffff",
  "mentionColor": "#174ab5",
  "centerChannelBg": "#ffffff",
  "centerChannelColor": "#3f4350",
  "newMessageSeparator": "#15b7b7",
  "linkColor": "#1c58d9",
  "buttonBg": "#1c58d9",
  "buttonColor": "#ffffff",
  "errorTextColor": "#d24b4e",
  "mentionHighlightBg": "#7ff0f0",
  "mentionHighlightLink": "#0d6e6e",
  "codeTheme": "github"
}

"""#

    static let quartz = #"""
{
  "type": "Quartz",
  "sidebarBg": "#f4f4f6",
  "sidebarText": "#1f2228",
  "sidebarUnreadText": "#1f2228",
  "sidebarTextHoverBg": "#e8eaed",
  "sidebarTextActiveBorder": "#32a4ec",
  "sidebarTextActiveColor": "#1f2228",
  "sidebarHeaderBg": "#ebecef",
  "sidebarHeaderTextColor": "#1f2228",
  "sidebarTeamBarBg": "#e5e7eb",
  "onlineIndicator": "#3db887",
  "awayIndicator": "#f5ab07",
  "dndIndicator": "#d24b4e",
  "mentionBg": "#1c58d9",
  "mentionBj": "#1c58d9",
  "mentionColor": "#ffffff",
  "centerChannelBg": "#ffffff",
  "centerChannelColor": "#3f4350",
  "newMessageSeparator": "#15b7b7",
  "linkColor": "#1c58d9",
  "buttonBg": "#1c58d9",
  "buttonColor": "#ffffff",
  "errorTextColor": "#d24b4e",
  "mentionHighlightBg": "#7ff0f0",
  "mentionHighlightLink": "#0d6e6e",
  "codeTheme": "github"
}

"""#

    static let indigo = #"""
{
  "type": "Indigo",
  "sidebarBg": "#151e32",
  "sidebarText": "#ffffff",
  "sidebarUnreadText": "#ffffff",
  "sidebarTextHoverBg": "#222c3f",
  "sidebarTextActiveBorder": "#4a7ce8",
  "sidebarTextActiveColor": "#ffffff",
  "sidebarHeaderBg": "#182339",
  "sidebarHeaderTextColor": "#ffffff",
  "sidebarTeamBarBg": "#1c2740",
  "onlineIndicator": "#3db887",
  "awayIndicator": "#f5ab00",
  "dndIndicator": "#d24b4e",
  "mentionBg": "#4a7ce8",
  "mentionBj": "#4a7ce8",
  "mentionColor": "#ffffff",
  "centerChannelBg": "#111827",
  "centerChannelColor": "#dddfe4",
  "newMessageSeparator": "#81a3ef",
  "linkColor": "#5d89ea",
  "buttonBg": "#4a7ce8",
  "buttonColor": "#ffffff",
  "errorTextColor": "#d24b4e",
  "mentionHighlightBg": "#133a91",
  "mentionHighlightLink": "#a4f4f4",
  "codeTheme": "solarized-dark"
}

"""#

    static let onyx = #"""
{
  "type": "Onyx",
  "sidebarBg": "#202228",
  "sidebarText": "#ffffff",
  "sidebarUnreadText": "#ffffff",
  "sidebarTextHoverBg": "#25262a",
  "sidebarTextActiveBorder": "#4a7ce8",
  "sidebarTextActiveColor": "#ffffff",
  "sidebarHeaderBg": "#24272d",
  "sidebarHeaderTextColor": "#ffffff",
  "sidebarTeamBarBg": "#292c33",
  "onlineIndicator": "#3db887",
  "awayIndicator": "#f5ab00",
  "dndIndicator": "#d24b4e",
  "mentionBg": "#4b7ce7",
  "mentionBj": "#4b7ce7",
  "mentionColor": "#ffffff",
  "centerChannelBg": "#191b1f",
  "centerChannelColor": "#e3e4e8",
  "newMessageSeparator": "#1adbdb",
  "linkColor": "#5d89ea",
  "buttonBg": "#4a7ce8",
  "buttonColor": "#ffffff",
  "errorTextColor": "#da6c6e",
  "mentionHighlightBg": "#0d6e6e",
  "mentionHighlightLink": "#a4f4f4",
  "codeTheme": "monokai"
}

"""#
}
