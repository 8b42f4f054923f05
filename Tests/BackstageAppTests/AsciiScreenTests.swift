import Foundation
import BackstageCore
import Testing
@testable import BackstageApp
@testable import TerminalKit

/// Without a UTF-8 locale (LANG=C) the console writes ASCII: no border, mark, ellipsis, arrow,
/// dash or quote of its own may reach the grid as anything else. Only the admins' data (the
/// fixtures' Japanese names) stays as it is; the painter shows it as "?".
@Suite("ASCII screens")
struct AsciiScreenTests {
    /// Every non-ASCII character of the fixtures' data: the only ones allowed on an ASCII grid.
    static let userData = Set(String(describing: Fixtures.snapshot).filter { !$0.isASCII })

    /// Every layer of `KeyTablesTests.layers()`, and the screens with glyphs of their own: loading,
    /// a validation in flight (spinner), a validated form (check), masked stored secrets, a
    /// scrolled help ("more" arrow), a command with a description (dash), a server whose OAuth
    /// connections are off (menu path), the too-small notice and the setup page.
    static func screens(width: Int, height: Int) -> [(String, AppState)] {
        func sized(_ state: AppState) -> AppState {
            var state = state
            _ = Reducer.reduce(&state, .input(.resize(width: width, height: height)))
            return state
        }
        var screens = KeyTablesTests.layers().map { ($0.0, sized($0.1)) }
        screens.append(("loading", Fixtures.state(width: width, height: height, loaded: nil)))
        var validating = Fixtures.state(width: width, height: height)
        _ = Fixtures.press(&validating, .character("v"))
        validating.spinnerFrame = 1
        screens.append(("validating", validating))
        var validated = sized(FormTests.filledConnectionForm())
        _ = Fixtures.press(&validated, .control("t"))
        _ = Reducer.reduce(&validated, .validationFinished(generation: 1, .success("token_type Bearer, expires_in 3600 s")))
        screens.append(("validated form", validated))
        var stored = Fixtures.state(width: width, height: height)
        _ = Fixtures.press(&stored, .character("e"))
        screens.append(("stored secret", stored))
        var help = Fixtures.state(width: width, height: height)
        _ = Fixtures.press(&help, .character("?"), .character("j"))
        screens.append(("help scrolled", help))
        var commands = Fixtures.snapshot.commands
        commands[0].description = "Weather by city"
        var described = Fixtures.state(width: width, height: height,
                                       loaded: StoreSnapshot(connections: Fixtures.snapshot.connections, commands: commands, teams: [Fixtures.team]))
        _ = Fixtures.press(&described, .character("2"))
        screens.append(("command with description", described))
        var server = ServerModeConsoleTests.serverState(width: width, height: height)
        _ = Reducer.reduce(&server, .loaded(StoreSnapshot(connections: [], commands: Fixtures.snapshot.commands, teams: [Fixtures.team],
                                                           problems: [.connections: ServerModeConsoleTests.offProblem])))
        screens.append(("server with OAuth off", server))
        var setUp = Fixtures.state(width: width, height: height)
        _ = Fixtures.press(&setUp, .character("a"))
        _ = Reducer.reduce(&setUp, .connectionSaved(Fixtures.snapshot.connections[0]))
        screens.append(("setup successful", setUp))
        screens.append(("too small", Fixtures.state(width: 50, height: 12)))
        return screens
    }

    /// Glyphs these screens show in Unicode: each must find its ASCII form.
    static let unicodeGlyphs: Set<Character> = ["·", "…", "─", "│", "┌", "┘", "✓", "✗", "•", "↑", "↓", "—", "›", "“", "⠙"]

    @Test("every screen and layer is ASCII but for the admins' data", arguments: ScreenSnapshotTests.sizes)
    func everyScreenIsASCII(width: Int, height: Int) {
        var shownInUnicode = Set<Character>()
        for (name, base) in Self.screens(width: width, height: height) {
            var state = base
            state.glyphs = .ascii
            let screen = Render.screen(state)
            let foreign = Set(screen.cells.map(\.grapheme).filter { !$0.isASCII && !Self.userData.contains($0) })
            #expect(foreign.isEmpty, "\(name) at \(width)x\(height) writes \(foreign.sorted()) in ASCII:\n\(screen.text)")
            var unicode = base
            unicode.glyphs = .unicode
            shownInUnicode.formUnion(Render.screen(unicode).cells.map(\.grapheme).filter { !$0.isASCII && !Self.userData.contains($0) })
        }
        // The same screens in Unicode do show these glyphs: the check above has work to do.
        #expect(Self.unicodeGlyphs.subtracting(shownInUnicode).isEmpty, "not shown: \(Self.unicodeGlyphs.subtracting(shownInUnicode).sorted())")
    }

    @Test("the connections list, a form with stored secrets and a busy status in ASCII")
    func asciiSnapshots() {
        var list = Fixtures.state(width: 60, height: 16)
        list.glyphs = .ascii
        _ = Fixtures.press(&list, .character("v"))
        list.spinnerFrame = 1
        Snapshot.expect(list, named: "ascii-connections-validating-60x16")
        var stored = Fixtures.state()
        stored.glyphs = .ascii
        _ = Fixtures.press(&stored, .down, .character("e"))
        Snapshot.expect(stored, named: "ascii-connection-form-edit-stored-secret")
    }
}

/// The empty connection form's attributes without colour, one character a cell: `#` reverse and
/// underline, `R` reverse, `B` bold, `U` bold and underline, `_` underline, `.` plain.
@Suite("Monochrome attributes")
struct MonochromeAttributeTests {
    static func attributes(_ state: AppState, depth: ColorDepth) throws -> [String] {
        let styles = try #require(ThemeCatalog.builtIn(named: ThemeCatalog.names[0])).resolvedStyles(depth: depth)
        let screen = Render.screen(state)
        return (0..<screen.height).map { y in
            String((0..<screen.width).map { x -> Character in
                let style = styles[screen[x, y].role] ?? ResolvedStyle()
                switch (style.reverse, style.underline, style.bold) {
                case (true, true, _): return "#"
                case (true, false, _): return "R"
                case (false, true, true): return "U"
                case (false, true, false): return "_"
                case (false, false, true): return "B"
                case (false, false, false): return "."
                }
            })
        }
    }

    @Test("every field of an empty form is seen: the focused one reversed, the others underlined")
    func emptyForm() throws {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("a"))
        let rows = try Self.attributes(state, depth: .monochrome)
        let text = Render.screen(state).text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func fieldRow(_ label: String) -> String {
            guard let index = text.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == label }) else { return "" }
            return rows[index + 1]
        }
        let field = 2..<98 // the form's fields span the width, less a margin of two
        #expect(Array(fieldRow("Name"))[field].allSatisfy { $0 == "#" }, "focused: \(fieldRow("Name"))")
        for label in ["Client ID", "Client Secret", "OAuth Token URL"] {
            #expect(Array(fieldRow(label))[field].allSatisfy { $0 == "_" }, "\(label): \(fieldRow(label))")
        }
        let snapshot = rows.joined(separator: "\n") + "\n"
        let file = Snapshot.folder.appendingPathComponent("monochrome-attributes-connection-form.txt")
        if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" || !FileManager.default.fileExists(atPath: file.path) {
            try snapshot.write(to: file, atomically: true, encoding: .utf8)
            if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] != "1" { Issue.record("recorded a new snapshot \(file.lastPathComponent); check it and run again") }
            return
        }
        #expect(snapshot == (try String(contentsOf: file, encoding: .utf8)), "attributes differ from their golden:\n\(snapshot)")
    }
}
