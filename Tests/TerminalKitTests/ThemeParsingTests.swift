import Foundation
import Testing
@testable import TerminalKit

/// A complete theme as JSON text, with `changes` applied (nil removes a key).
private func themeJSON(_ changes: [String: String?] = [:], base: String = ThemeBuiltins.denim) -> String {
    var lines: [String] = []
    var seen = Set<String>()
    for line in base.split(separator: "\n").map(String.init) {
        guard let keyStart = line.firstIndex(of: "\""), line.hasPrefix("  ") else { lines.append(line); continue }
        let rest = line[line.index(after: keyStart)...]
        let key = String(rest[..<rest.firstIndex(of: "\"")!])
        seen.insert(key)
        if let change = changes[key] {
            if let value = change { lines.append("  \"\(key)\": \(value),") }
        } else {
            lines.append(line.hasSuffix(",") ? line : line + ",")
        }
    }
    for (key, value) in changes where !seen.contains(key) {
        if let value { lines.insert("  \"\(key)\": \(value),", at: lines.count - 1) }
    }
    // The last member must not end with a comma.
    let closing = lines.lastIndex(of: "}")!
    if lines[closing - 1].hasSuffix(",") { lines[closing - 1].removeLast() }
    return lines.joined(separator: "\n") + "\n"
}

private func loadError(_ json: String, source: String = "themes/x.json") -> ThemeError? {
    do {
        _ = try Theme.load(json: json, source: source)
        return nil
    } catch {
        return error
    }
}

@Suite("Theme parsing")
struct ThemeParsingTests {
    @Test("each built-in theme parses with Mattermost's colours", arguments: ThemeCatalog.names)
    func builtInParses(name: String) throws {
        let file = try #require(ThemeBuiltins.files.first { $0.name == name.lowercased() + ".json" })
        let theme = try Theme.load(json: file.json, source: "themes/" + file.name)
        #expect(theme.name == name)
        #expect(!theme.useTerminalBackground)
        for role in Role.allCases {
            #expect(theme.styles[role] != nil, "\(name) has no style for \(role)")
            #expect(theme.style(role).foreground != nil, "\(name).\(role) has no foreground")
        }
    }

    @Test("Denim's palette is Mattermost's Denim")
    func denimPalette() throws {
        let p = ThemeCatalog.defaultTheme.palette
        #expect(ThemeCatalog.defaultTheme.name == "Denim")
        #expect(p.sidebarBg == RGB(0x1e, 0x32, 0x5c))
        #expect(p.sidebarTeamBarBg == RGB(0x16, 0x25, 0x45))
        #expect(p.centerChannelBg == RGB(0xff, 0xff, 0xff))
        #expect(p.centerChannelColor == RGB(0x3f, 0x43, 0x50))
        #expect(p.buttonBg == RGB(0x1c, 0x58, 0xd9))
        #expect(p.errorTextColor == RGB(0xd2, 0x4b, 0x4e))
        #expect(ThemeCatalog.defaultTheme.style(.normal).foreground == RGB(0x3f, 0x43, 0x50))
        #expect(ThemeCatalog.defaultTheme.style(.normal).background == RGB(0xff, 0xff, 0xff))
        #expect(ThemeCatalog.defaultTheme.style(.selection).background == RGB(0x1c, 0x58, 0xd9))
    }

    @Test("colour forms: #rgb, #rrggbb, rgb(), rgba()")
    func colourForms() throws {
        #expect(ThemeColorValue.parse("#abc") == ThemeColorValue(rgb: RGB(0xaa, 0xbb, 0xcc), alpha: 1))
        #expect(ThemeColorValue.parse("#AbCdEf") == ThemeColorValue(rgb: RGB(0xab, 0xcd, 0xef), alpha: 1))
        #expect(ThemeColorValue.parse(" #1e325c ") == ThemeColorValue(rgb: RGB(0x1e, 0x32, 0x5c), alpha: 1))
        #expect(ThemeColorValue.parse("rgb(1, 2, 3)") == ThemeColorValue(rgb: RGB(1, 2, 3), alpha: 1))
        #expect(ThemeColorValue.parse("RGB(255,128,0)") == ThemeColorValue(rgb: RGB(255, 128, 0), alpha: 1))
        #expect(ThemeColorValue.parse("rgba(255, 255, 255, 0.16)") == ThemeColorValue(rgb: RGB(255, 255, 255), alpha: 0.16))
        #expect(ThemeColorValue.parse("rgba(0,0,0,50%)") == ThemeColorValue(rgb: RGB(0, 0, 0), alpha: 0.5))
        #expect(ThemeColorValue.parse("rgba(10, 20, 30)") == ThemeColorValue(rgb: RGB(10, 20, 30), alpha: 1))
        for bad in ["#12345", "#ggg", "#", "", "red", "1e325c", "rgb(256, 0, 0)", "rgb(1, 2)", "rgb(1,2,3,4,5)",
                    "rgb(-1, 0, 0)", "rgba(0, 0, 0, 2)", "rgb(1, 2, 3", "rgb(a, b, c)", "#1e325c00"] {
            #expect(ThemeColorValue.parse(bad) == nil, "\(bad) should not parse")
        }
    }

    @Test("rgba() colours are laid over the area they sit on")
    func rgbaComposited() throws {
        let json = themeJSON([
            "sidebarBg": "\"#000000\"",
            "sidebarTextHoverBg": "\"rgba(255, 255, 255, 0.5)\"",
            "centerChannelBg": "\"#ffffff\"",
            "linkColor": "\"rgba(0, 0, 0, 0.25)\"",
        ])
        let theme = try Theme.load(json: json, source: "custom.json")
        #expect(theme.palette.sidebarTextHoverBg == RGB(128, 128, 128))
        #expect(theme.palette.linkColor == RGB(191, 191, 191))
    }

    @Test("bad colour: the message names the file, the key and the value")
    func badColour() {
        let error = loadError(themeJSON(["sidebarBg": "\"#12345\""]))
        #expect(error == .invalidColor(source: "themes/x.json", key: "sidebarBg", value: "\"#12345\""))
        #expect(error?.description == ##"themes/x.json: key "sidebarBg": "#12345" is not a colour (#rgb, #rrggbb or rgb(...))"##)

        let number = loadError(themeJSON(["buttonBg": "12"]))
        #expect(number?.description == #"themes/x.json: key "buttonBg": 12 is not a colour (#rgb, #rrggbb or rgb(...))"#)
    }

    @Test("a key with escaped control characters is named without them (found by fuzz-themes)")
    func keyInASyntaxErrorIsSanitised() {
        let error = loadError(#"{"sideba\u001b[31m\u0085r" ; "x": 1}"#)
        let text = error?.description ?? ""
        #expect(text.hasPrefix("themes/x.json: not valid JSON (line 1, column"), "\(text)")
        #expect(text.contains(#"after the key "sideba?[31m?r""#), "\(text)")
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }

    @Test("a colour value with control characters is shown without them")
    func badColourIsSanitised() {
        let error = loadError(themeJSON(["linkColor": #""\u001b[31mred""#]))
        let text = error?.description ?? ""
        #expect(text.contains("key \"linkColor\""))
        #expect(!text.unicodeScalars.contains { $0.value == 0x1b })
    }

    @Test("missing key: the message names the file and the key")
    func missingKey() {
        let error = loadError(themeJSON(["centerChannelBg": nil]))
        #expect(error == .missingKey(source: "themes/x.json", key: "centerChannelBg"))
        #expect(error?.description == #"themes/x.json: missing key "centerChannelBg""#)
        #expect(loadError(themeJSON(["buttonColor": "null"]))?.description == #"themes/x.json: missing key "buttonColor""#)
    }

    @Test("every mapped key but the two Mattermost derives is required", arguments: ThemePalette.requiredKeys)
    func requiredKey(key: String) {
        #expect(loadError(themeJSON([key: nil])) == .missingKey(source: "themes/x.json", key: key))
    }

    @Test("sidebarTeamBarBg and errorTextColor fall back as Mattermost does")
    func optionalKeys() throws {
        let theme = try Theme.load(json: themeJSON(["sidebarTeamBarBg": nil, "errorTextColor": nil]), source: "old.json")
        // Mattermost: blendColors(sidebarHeaderBg, '#000000', 0.2); Denim's header is #192a4d.
        #expect(theme.palette.sidebarTeamBarBg == RGB(0x19, 0x2a, 0x4d).blended(toward: RGB(0, 0, 0), by: 0.2))
        #expect(theme.palette.errorTextColor == theme.palette.dndIndicator)
    }

    @Test("bad JSON: the message names the file and where the mistake is")
    func badJSON() {
        let trailing = loadError("{\n  \"sidebarBg\": \"#1e325c\",\n}\n")
        #expect(trailing?.description == "themes/x.json: not valid JSON (line 3, column 1: trailing ',' before '}')")

        let typo = loadError("{\n  \"sidebarBg\": \"#1e325c\"\n  \"sidebarText\": \"#ffffff\"\n}")
        #expect(typo?.description == "themes/x.json: not valid JSON (line 3, column 3: unexpected '\"', expected ',' or '}')")

        let truncated = loadError("{\"sidebarBg\": \"#1e3")
        #expect(truncated?.description == "themes/x.json: not valid JSON (line 1, column 20: unexpected end of file inside a string)")

        #expect(loadError("")?.description == "themes/x.json: not valid JSON (line 1, column 1: the file is empty)")
        #expect(loadError("{\"a\": tru}")?.description.hasPrefix("themes/x.json: not valid JSON (line 1, column 7:") == true)
        #expect(loadError("{} {}")?.description.hasPrefix("themes/x.json: not valid JSON (line 1, column 4:") == true)
    }

    @Test("JSON that is not an object of theme keys")
    func notAnObject() {
        #expect(loadError("[1, 2]") == .notAThemeObject(source: "themes/x.json"))
        #expect(loadError("\"#1e325c\"")?.description.hasPrefix("themes/x.json: not a Mattermost theme") == true)
    }

    @Test("unknown keys and unused Mattermost keys are ignored")
    func unknownKeysIgnored() throws {
        let json = themeJSON(["somethingNew": "{\"nested\": [1, 2.5e3, true, null]}", "codeTheme": "42", "mentionColor": "\"nope\""])
        let theme = try Theme.load(json: json, source: "x.json")
        #expect(theme.palette == ThemeCatalog.defaultTheme.palette)
    }

    @Test("the JSON reader handles escapes and a byte order mark")
    func jsonDetails() throws {
        let value = try ThemeJSONParser.parse(Array("\u{FEFF}{\"a\": \"x\\u00e9\\n\\\"\\ud83d\\ude00\", \"b\": [-1.5E+2, false]}".utf8))
        #expect(value == .object(["a": .string("xé\n\"😀"), "b": .array([.number("-1.5E+2"), .bool(false)])]))
        #expect(throws: ThemeJSONSyntaxError.self) { try ThemeJSONParser.parse(Array("{\"a\": \"\\x\"}".utf8)) }
        #expect(throws: ThemeJSONSyntaxError.self) { try ThemeJSONParser.parse(Array("{\"a\": 01}".utf8)) }
        #expect(throws: ThemeJSONSyntaxError.self) { try ThemeJSONParser.parse(Array("{'a': 1}".utf8)) }
        #expect(throws: ThemeJSONSyntaxError.self) { try ThemeJSONParser.parse(Array(String(repeating: "[", count: 100).utf8)) }
    }

    @Test("the name comes from type, or from the file name for a custom theme")
    func names() throws {
        #expect(try Theme.load(json: themeJSON(["type": "\"Our Team\""]), source: "a/b.json").name == "Our Team")
        #expect(try Theme.load(json: themeJSON(["type": "\"custom\""]), source: "themes/our-team.json").name == "our-team")
        #expect(try Theme.load(json: themeJSON(["type": nil]), source: "our-team.json").name == "our-team")
    }

    @Test("useTerminalBackground: main-area roles leave the background to the terminal")
    func terminalBackground() throws {
        let theme = try Theme.load(json: themeJSON(["useTerminalBackground": "true"]), source: "x.json")
        #expect(theme.useTerminalBackground)
        for role: Role in [.normal, .muted, .accent, .success, .error, .warning, .bannerLinked, .bannerUnlinked, .dialog, .border] {
            #expect(theme.style(role).background == nil, "\(role)")
            #expect(theme.style(role).foreground != nil, "\(role)")
        }
        for role: Role in [.header, .tabActive, .tabInactive, .selection, .hintKey, .hintLabel, .dialogTitle, .input, .inputFocused] {
            #expect(theme.style(role).background != nil, "\(role)")
        }
        #expect(ThemeCatalog.defaultTheme.usingTerminalBackground(true).style(.normal).background == nil)
        #expect(ThemeCatalog.defaultTheme.usingTerminalBackground(true).usingTerminalBackground(false) == ThemeCatalog.defaultTheme)

        let bad = loadError(themeJSON(["useTerminalBackground": "\"yes\""]))
        #expect(bad?.description == #"themes/x.json: key "useTerminalBackground": "yes" is not true or false"#)
    }

    @Test("load(path:) reads a file and names it in errors")
    func loadPath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("theme-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let good = directory.appendingPathComponent("ours.json")
        try Data(themeJSON(["type": "\"custom\""]).utf8).write(to: good)
        #expect(try Theme.load(path: good.path).name == "ours")

        let bad = directory.appendingPathComponent("bad.json")
        try Data(themeJSON(["awayIndicator": "\"orange\""]).utf8).write(to: bad)
        #expect(throws: ThemeError.invalidColor(source: bad.path, key: "awayIndicator", value: "\"orange\"")) { try Theme.load(path: bad.path) }

        let missing = directory.appendingPathComponent("nope.json").path
        #expect(throws: ThemeError.unreadable(source: missing, reason: "no such file")) { try Theme.load(path: missing) }
        #expect(throws: ThemeError.unreadable(source: directory.path, reason: "it is a directory")) { try Theme.load(path: directory.path) }
    }
}
