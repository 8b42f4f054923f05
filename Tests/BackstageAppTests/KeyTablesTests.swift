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
        add("message log", .character("L"))
        add("health") { state in
            _ = Reducer.reduce(&state, .healthChecked(HealthReport(findings: [], webhooksNote: nil, linkageIsPrediction: false), generation: state.loadGeneration))
            _ = Reducer.reduce(&state, .input(.key(.character("h"))))
        }
        add("help over a form", .character("a"), .function(1))
        add("log over a form", .character("2"), .character("a"), .function(2))
        add("connection created", .character("a")) { _ = Reducer.reduce(&$0, .connectionSaved(Fixtures.snapshot.connections[0])) }
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
        let known = HelpLayer.allKeymaps.flatMap(\.barItems).map { "\($0.keys) \($0.label)" }
        var reached = Set<String>()
        for (name, state) in Self.layers() {
            let items = Render.hintItems(state)
            #expect(!items.isEmpty, "\(name) shows no keys")
            for item in items { #expect(known.contains("\(item.keys) \(item.label)"), "\(name): \(item) is in no table") }
            let bar = Render.screen(state).text.split(separator: "\n").last.map(String.init) ?? ""
            for item in items.prefix(3) { #expect(bar.contains("\(item.keys) \(item.label)"), "\(name): the bar lacks \(item)") }
            // F1 over this layer lists every key of the tables in reach, the global ones too.
            var helped = state
            if helped.overlay == .help { _ = Fixtures.press(&helped, .function(1)) } // F1 closes it, F1 again opens it
            _ = Fixtures.press(&helped, .function(1))
            #expect(helped.overlay == .help, "\(name): F1 opens no help")
            let help = Set(HelpLayer.lines(helped).map(\.0))
            let inReach = HelpLayer.keymaps(state)
            #expect(inReach.contains { $0.title == Keymaps.global.title }, "\(name): the global keys are not in its help")
            for keymap in inReach {
                reached.insert(keymap.title)
                #expect(help.contains(keymap.title), "\(name): \(keymap.title) is not in the help")
                for line in keymap.lines { #expect(help.contains(line), "\(name): \(keymap.title): \(line) is not in the help") }
            }
            // The help shows what is reachable, not every table: the top layer's own table first.
            if let top = items.first, state.overlay != .help {
                #expect(HelpLayer.keymaps(state)[0].barItems.contains { $0.keys == top.keys && $0.label == top.label }, "\(name): its help starts elsewhere")
            }
        }
        for keymap in HelpLayer.allKeymaps { #expect(reached.contains(keymap.title), "\(keymap.title) is reached by no layer the test walks") }
    }

    @Test func theHelpIsLaidOutOnceAndScrollsWithoutReflowing() {
        var state = Fixtures.state()
        state.width = 100
        state.height = 16
        _ = Fixtures.press(&state, .character("?"))
        let rows = HelpLayer.rows(state, columnWidth: HelpLayer.columnWidth(state))
        #expect(rows.allSatisfy { $0.count == 2 })
        let first = Render.screen(state).text.split(separator: "\n").map(String.init)
        _ = Fixtures.press(&state, .character("j"))
        let scrolled = Render.screen(state).text.split(separator: "\n").map(String.init)
        // One row up: the second line of the box is now the first; nothing moved sideways.
        #expect(first[3] == scrolled[2])
        // Long help texts wrap under their text, never cut.
        let everyWord = Set(HelpLayer.lines(state).flatMap { $0.0.split(separator: " ").map(String.init) })
        let shownWords = Set(rows.flatMap { $0.flatMap { $0.0.split(separator: " ").map(String.init) } })
        #expect(everyWord.isSubset(of: shownWords))
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
            case .connection(let editor)?: dirty = editor.form.dirty && base.formDialog != .quit // a second Ctrl-C quits
            case .command(let editor)?: dirty = editor.form.dirty && base.formDialog != .quit
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
