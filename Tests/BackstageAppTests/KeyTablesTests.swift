import BackstageCore
import Testing
@testable import BackstageApp
@testable import TerminalKit

/// Keys are data: every hint on the bar comes from a table, every table is in the help, and a key
/// that does not apply says why.
@Suite("Key tables")
struct KeyTablesTests {
    /// Every layer the console shows, reached as a user reaches it.
    static func layers() -> [(String, AppState)] {
        var states: [(String, AppState)] = []
        func add(_ name: String, _ keys: Key..., from base: AppState = Fixtures.state(), then: (inout AppState) -> Void = { _ in }) {
            var state = base
            for key in keys { _ = Reducer.reduce(&state, .input(.key(key))) }
            then(&state)
            states.append((name, state))
        }
        add("connections list")
        add("commands list", .character("2"))
        add("search", .character("/"))
        add("help", .character("?"))
        add("delete dialog", .character("d"))
        add("run prompt", .character("2"), .character("r"))
        add("run result", .character("2"), .character("r"), .enter) { _ = Reducer.reduce(&$0, .testFired([], ok: true)) }
        add("team picker", .character("T")) { _ = Reducer.reduce(&$0, .teamsLoaded(.success([Fixtures.team]))) }
        add("secret prompt", .character("v")) {
            _ = Reducer.reduce(&$0, .secretNeeded(connectionId: "conn3broad0000000000000000", name: "Broad", needsPassword: false, purpose: .validate(generation: 1)))
        }
        add("connection form", .character("a"))
        add("command form", .character("2"), .character("a"))
        add("discard dialog", .character("a"), .character("x"), .escape)
        add("quit dialog", .character("a"), .character("x"), .control("c"))
        add("save-anyway dialog", from: FormTests.filledConnectionForm()) { _ = Reducer.reduce(&$0, .input(.key(.control("s")))) }
        add("conflict dialog", .character("e")) { state in
            guard case .connection(let editor)? = state.editor, var theirs = editor.original else { return }
            theirs.name = "Theirs"
            theirs.updateAt += 1
            _ = Reducer.reduce(&state, .input(.key(.character("x"))))
            _ = Reducer.reduce(&state, .connectionConflict(stored: theirs))
        }
        add("deleted dialog", .character("e")) { state in
            _ = Reducer.reduce(&state, .input(.key(.character("x"))))
            _ = Reducer.reduce(&state, .connectionConflict(stored: nil))
        }
        add("command created", .character("2")) { _ = Reducer.reduce(&$0, .commandSaved(Fixtures.snapshot.commands[0], created: true)) }
        return states
    }

    @Test func everyHintComesFromATableAndEveryTableIsInTheHelp() {
        let known = HelpLayer.keymaps.flatMap(\.barItems).map { "\($0.keys) \($0.label)" }
        let help = Set(HelpLayer.lines().map(\.0))
        for keymap in HelpLayer.keymaps {
            #expect(help.contains(keymap.title), "\(keymap.title) is not in the help")
            for line in keymap.lines { #expect(help.contains(line), "\(keymap.title): \(line) is not in the help") }
        }
        for (name, state) in Self.layers() {
            let items = Render.hintItems(state)
            #expect(!items.isEmpty, "\(name) shows no keys")
            for item in items { #expect(known.contains("\(item.keys) \(item.label)"), "\(name): \(item) is in no table") }
            let bar = Render.screen(state).text.split(separator: "\n").last.map(String.init) ?? ""
            for item in items.prefix(3) { #expect(bar.contains("\(item.keys) \(item.label)"), "\(name): the bar lacks \(item)") }
        }
    }

    @Test func aKeyThatDoesNotApplySaysWhy() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("2"), .character("v"))
        #expect(state.status?.text == "v validates connections; on Slash Commands, r test-fires the selected command")
        _ = Fixtures.press(&state, .character("1"), .character("r"))
        #expect(state.status?.text == "r test-fires slash commands; on Outgoing OAuth Connections, v validates the selected connection")
        var empty = Fixtures.state(loaded: StoreSnapshot(connections: [], commands: [], teams: []))
        #expect(Fixtures.press(&empty, .character("e")).isEmpty)
        #expect(empty.status?.text == "Nothing is selected: the list is empty (a adds one)")
    }

    /// Ctrl-C goes through the tables too: in a form or any of its dialogs it asks before unsaved
    /// edits are lost, then quits.
    @Test func ctrlCAsksInEveryFormLayer() {
        for (name, base) in Self.layers() where base.editor != nil {
            var state = base
            _ = Fixtures.press(&state, .control("c"))
            let dirty: Bool
            switch base.editor {
            case .connection(let editor)?: dirty = editor.form.dirty && editor.dialog != .quit // a second Ctrl-C quits
            case .command(let editor)?: dirty = editor.form.dirty && editor.dialog != .quit
            default: dirty = false
            }
            if dirty {
                #expect(!state.quit, "\(name): quit without asking")
                _ = Fixtures.press(&state, .control("c"))
            }
            #expect(state.quit, "\(name)")
        }
    }
}
