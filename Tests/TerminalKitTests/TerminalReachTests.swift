import Testing
@testable import TerminalKit

/// What each locale, TERM and colour depth gets: ASCII without UTF-8, an xterm-256color stand-in
/// for a modern terminal this host has no terminfo for, input fields that show without colour.
@Suite("Terminal reach")
struct TerminalReachTests {
    @Test("the locale's charset decides, as LC_ALL > LC_CTYPE > LANG", arguments: [
        (["LANG": "en_US.UTF-8"], true),
        (["LANG": "C.utf8"], true),
        (["LANG": "sr_RS.UTF-8@latin"], true),
        (["LC_CTYPE": "de_DE.utf8", "LANG": "C"], true),
        (["LC_ALL": "", "LANG": "en_GB.UTF-8"], true),           // empty: the next one decides
        (["LANG": "C"], false),
        (["LANG": "POSIX"], false),
        (["LC_ALL": "C", "LANG": "en_US.UTF-8"], false),         // LC_ALL wins
        (["LC_CTYPE": "POSIX", "LANG": "en_US.UTF-8"], false),
        (["LANG": "de_DE.ISO-8859-1"], false),
        (["LANG": "ja_JP.eucJP"], false),
        (["LANG": "en_US"], false),                               // no charset: glibc's is Latin-1
        (["LANG": "de_DE@euro"], false),
        ([:], false),                                             // nothing set: the C locale
    ])
    func locale(environment: [String: String], utf8: Bool) {
        #expect(TerminalLocale.isUTF8(environment: environment) == utf8, "\(environment)")
    }

    @Test("a modern terminal's TERM falls back to xterm-256color, any other unknown one does not")
    func terminalTypeFallback() {
        for term in ["xterm-kitty", "XTERM-KITTY", "xterm-ghostty", "xterm-direct", "alacritty", "alacritty-direct", "wezterm",
                     "foot", "foot-extra", "ghostty", "kitty"] {
            #expect(TerminalTypeFallback.substitute(for: term) == "xterm-256color", "\(term)")
        }
        for term in ["no-such-terminal", "vt52x", "xterm", "xtermish", "screen-weird", "my-foot", "dumb", ""] {
            #expect(TerminalTypeFallback.substitute(for: term) == nil, "\(term)")
        }
        #expect(TerminalTypeFallback.note(for: "xterm-kitty") == "TERM=xterm-kitty has no terminfo entry on this host: drawing as xterm-256color")
    }

    @Test("in ASCII, typographic characters are written as one-column stand-ins; names keep their letters")
    func asciiStandIns() {
        let text = "a · b — c › “d” ‘e’ ↑↓←→ ✓✗ ••• x\u{00A0}y"
        var ascii = Buffer(width: 40, height: 1, glyphs: .ascii)
        let used = ascii.write(text, x: 0, y: 0, role: .normal)
        #expect(ascii.text == "a - b - c > \"d\" 'e' ^v<> +x *** x y")
        #expect(used == DisplayWidth.of(text), "the layout keeps its widths")
        var unicode = Buffer(width: 40, height: 1)
        unicode.write(text, x: 0, y: 0, role: .normal)
        #expect(unicode.text == text)
        // Letters have no stand-in: they stay for the painter, which shows "?".
        var name = Buffer(width: 20, height: 1, glyphs: .ascii)
        name.write("給与 Café", x: 0, y: 0, role: .normal)
        #expect(name.text == "給与 Café")
        // Every stand-in is one ASCII column, like what it replaces.
        for (character, standIn) in Glyphs.asciiStandIns {
            #expect(standIn.isASCII && DisplayWidth.of(standIn) == 1 && DisplayWidth.of(character) == 1, "\(character)")
        }
        #expect(Glyphs.unicode.standIn(for: "—") == nil)
        var filled = Buffer(width: 3, height: 1, glyphs: .ascii)
        filled.fill(filled.bounds, role: .border, with: "─")
        #expect(filled.text == "---")
    }

    @Test("cut text ends in \"...\" in ASCII, \"…\" in Unicode")
    func ellipsis() {
        #expect(DisplayWidth.truncated("a very long name", to: 8, ellipsis: "...") == "a ver...")
        #expect(DisplayWidth.truncated("a very long name", to: 8) == "a very …")
        #expect(DisplayWidth.truncated("abcdef", to: 2, ellipsis: "...") == "ab")
        #expect(DisplayWidth.truncated("給与システム", to: 7, ellipsis: "...") == "給与...")
        var buffer = Buffer(width: 10, height: 1, glyphs: .ascii)
        buffer.write("a very long name", in: Rect(x: 1, y: 0, width: 8, height: 1), role: .accent)
        #expect(buffer.text == " a ver...")
        var box = Buffer(width: 12, height: 3, glyphs: .ascii)
        Widgets.box(box.bounds, title: "A long title", glyphs: .ascii, into: &box)
        #expect(box.text == "+- A l... -+\n|          |\n+----------+")
    }

    @Test("without colour or with 8, every input field is marked; the focused one stands out", arguments: ThemeCatalog.names)
    func inputFieldsWithoutColour(name: String) throws {
        let theme = try #require(ThemeCatalog.builtIn(named: name))
        let mono = theme.resolvedStyles(depth: .monochrome)
        #expect(mono[.input]! != ResolvedStyle(), "an empty unfocused field would be invisible")
        #expect(mono[.input]!.underline && !mono[.input]!.reverse)
        #expect(mono[.inputFocused]!.reverse && mono[.inputFocused]!.underline)
        #expect(mono[.input] != mono[.inputFocused])
        // In 8 colours the field's faint background becomes the screen's own: underline marks it.
        let eight = theme.resolvedStyles(depth: .palette8)
        #expect(eight[.input]!.underline && eight[.inputFocused]!.underline)
        #expect(eight[.input] != eight[.inputFocused])
        // With more colours the field's own background shows it: the look there is unchanged.
        for depth in [ColorDepth.palette256, .trueColor] {
            let styles = theme.resolvedStyles(depth: depth)
            #expect(!styles[.input]!.underline && styles[.input]!.background != nil, "\(depth)")
            #expect(!styles[.inputFocused]!.reverse, "reverse is for monochrome only")
        }
    }
}
