import BackstageCore
import Testing
@testable import BackstageApp
@testable import TerminalKit

/// Every screen as plain text at 100x30 and 60x16, CJK names included.
@Suite("Screen snapshots")
struct ScreenSnapshotTests {
    static let sizes = [(100, 30), (60, 16)]

    @Test(arguments: sizes) func connections(width: Int, height: Int) {
        var state = Fixtures.state(width: width, height: height)
        _ = Fixtures.press(&state, .down, .down) // the CJK row, with its failed validation and overlap warning
        Snapshot.expect(state, named: "connections-\(width)x\(height)")
    }

    @Test(arguments: sizes) func commands(width: Int, height: Int) {
        var state = Fixtures.state(width: width, height: height)
        _ = Fixtures.press(&state, .character("2"), .down) // forecast: a near miss on letter case
        Snapshot.expect(state, named: "commands-\(width)x\(height)")
    }

    @Test(arguments: sizes) func emptyAndNoMatch(width: Int, height: Int) {
        var empty = Fixtures.state(width: width, height: height, loaded: StoreSnapshot(connections: [], commands: [], teams: []))
        Snapshot.expect(empty, named: "empty-connections-\(width)x\(height)")
        _ = Fixtures.press(&empty, .character("2"))
        Snapshot.expect(empty, named: "empty-commands-\(width)x\(height)")
        var state = Fixtures.state(width: width, height: height)
        _ = Fixtures.press(&state, .character("/"))
        Fixtures.type(&state, "zzz")
        Snapshot.expect(state, named: "filter-no-match-\(width)x\(height)")
    }

    @Test(arguments: sizes) func overlays(width: Int, height: Int) {
        var state = Fixtures.state(width: width, height: height)
        _ = Fixtures.press(&state, .character("?"))
        Snapshot.expect(state, named: "help-\(width)x\(height)")
        _ = Fixtures.press(&state, .escape, .down, .character("d"))
        Snapshot.expect(state, named: "delete-connection-\(width)x\(height)")
        _ = Fixtures.press(&state, .escape, .character("2"), .character("d"))
        Snapshot.expect(state, named: "delete-command-\(width)x\(height)")
    }

    /// Each layer with its colour roles: a role drawn in the wrong place shows in the golden.
    @Test func layersWithTheirRoles() {
        var state = Fixtures.state(width: 80, height: 24)
        Snapshot.expectStyled(state, named: "styled-connections")
        _ = Fixtures.press(&state, .character("2"), .down)
        Snapshot.expectStyled(state, named: "styled-commands-near-miss")
        _ = Fixtures.press(&state, .character("a"))
        Fixtures.type(&state, "pay")
        Snapshot.expectStyled(state, named: "styled-command-form")
        _ = Fixtures.press(&state, .function(1))
        Snapshot.expectStyled(state, named: "styled-help-over-form")
        _ = Fixtures.press(&state, .escape, .escape, .character("y"), .character("d"))
        Snapshot.expectStyled(state, named: "styled-delete-dialog")
        _ = Fixtures.press(&state, .escape, .character("v"))
        #expect(state.status?.text.hasPrefix("v validates connections") == true, "\(String(describing: state.status)) \(state.layers)")
        _ = Fixtures.press(&state, .character("L"))
        Snapshot.expectStyled(state, named: "styled-message-log")
    }

    @Test func tooSmall() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .input(.resize(width: 50, height: 12)))
        Snapshot.expect(state, named: "too-small-50x12")
    }

    @Test func asciiBordersWithoutUTF8() {
        var state = Fixtures.state(width: 60, height: 16)
        state.glyphs = .ascii
        _ = Fixtures.press(&state, .character("d"))
        Snapshot.expect(state, named: "ascii-delete-60x16")
    }
}

@Suite("Form snapshots")
struct FormSnapshotTests {
    @Test(arguments: ScreenSnapshotTests.sizes) func connectionForm(width: Int, height: Int) {
        var state = Fixtures.state(width: width, height: height)
        _ = Fixtures.press(&state, .character("a"))
        Snapshot.expect(state, named: "connection-form-empty-\(width)x\(height)")
        _ = Fixtures.press(&state, .control("s"))
        Snapshot.expect(state, named: "connection-form-errors-\(width)x\(height)")
    }

    @Test func connectionFormStates() {
        var state = FormTests.filledConnectionForm()
        _ = Fixtures.press(&state, .control("t"))
        Snapshot.expect(state, named: "connection-form-validating")
        _ = Reducer.reduce(&state, .validationFinished(generation: 1, .failure(ValidationError("the token endpoint at idp.example.com answered 401 Unauthorized: invalid_client"))))
        Snapshot.expect(state, named: "connection-form-not-validated")
        _ = Fixtures.press(&state, .control("t"))
        _ = Reducer.reduce(&state, .validationFinished(generation: 2, .success("token_type Bearer, expires_in 3600 s")))
        Snapshot.expect(state, named: "connection-form-validated")
        var unvalidated = FormTests.filledConnectionForm()
        _ = Fixtures.press(&unvalidated, .control("s"))
        Snapshot.expect(unvalidated, named: "connection-form-save-anyway")
        var edit = Fixtures.state()
        _ = Fixtures.press(&edit, .character("e"))
        Snapshot.expect(edit, named: "connection-form-edit-stored-secret")
    }

    @Test(arguments: ScreenSnapshotTests.sizes) func conflictDialogs(width: Int, height: Int) throws {
        var (state, opened) = try ConflictTests.editedConnection()
        _ = Reducer.reduce(&state, .input(.resize(width: width, height: height)))
        _ = Reducer.reduce(&state, .connectionConflict(stored: ConflictTests.theirs(opened)))
        Snapshot.expect(state, named: "connection-form-conflict-\(width)x\(height)")
        _ = Fixtures.press(&state, .escape)
        _ = Fixtures.press(&state, .control("s"))
        _ = Reducer.reduce(&state, .connectionConflict(stored: nil))
        Snapshot.expect(state, named: "connection-form-deleted-\(width)x\(height)")
    }

    @Test func commandFormBanner() throws {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("2"), .character("a"))
        guard case .command(var editor)? = state.editor else { Issue.record("no form"); return }
        editor.form.focus("url")
        state.editor = .command(editor)
        FormTests.typeInto(&state, "https://ci.example.com/")
        Snapshot.expect(state, named: "command-form-not-linked")
        _ = Fixtures.press(&state, .control("u"))
        FormTests.typeInto(&state, "https://weather.example.com/slash")
        Snapshot.expect(state, named: "command-form-linked")
        _ = Fixtures.press(&state, .control("u"))
        FormTests.typeInto(&state, "https://weather.example.com:443/slash")
        Snapshot.expect(state, named: "command-form-near-miss")
        var small = Fixtures.state(width: 60, height: 16)
        _ = Fixtures.press(&small, .character("2"), .character("a"))
        Snapshot.expect(small, named: "command-form-60x16")
    }
}
