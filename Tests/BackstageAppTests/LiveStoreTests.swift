import BackstageCore
import Testing
@testable import BackstageApp
@testable import TerminalKit

/// Changes made elsewhere reach the console: the lists keep their place, an open form's banner
/// follows, and a form whose item changed or went away says so before the save asks.
@Suite("Live store")
struct LiveStoreTests {
    static func adding(_ connections: [OutgoingOAuthConnection] = [], commands: [SlashCommand] = [], to base: StoreSnapshot = Fixtures.snapshot,
                       changing change: (inout [OutgoingOAuthConnection], inout [SlashCommand]) -> Void = { _, _ in }) -> StoreSnapshot {
        var allConnections = base.connections + connections
        var allCommands = base.commands + commands
        change(&allConnections, &allCommands)
        return StoreSnapshot(connections: allConnections, commands: allCommands, teams: base.teams)
    }

    static let cliConnection = Fixtures.connection("Payroll from the CLI", id: "conn4cli000000000000000000", audiences: ["https://cli.example.org/hook"],
                                                   createAt: 1_795_000_100_000)

    @Test func aRefreshKeepsTheSelectedRowAndTheFilter() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("/"))
        Fixtures.type(&state, "weather")
        _ = Fixtures.press(&state, .enter)
        #expect(state.list.visible.count == 1 && state.selectedConnection?.name == "Weather IdP")
        let selected = state.selectedConnection?.id
        // The CLI adds "Weather Backup" (sorted before Weather IdP, and matching) and "Alpha" (not matching).
        let backup = Fixtures.connection("Weather Backup", id: "conn4backup000000000000000", audiences: ["https://backup.example.org/"])
        let alpha = Fixtures.connection("Alpha", id: "conn5alpha0000000000000000", audiences: ["https://alpha.example.org/"])
        let effects = Reducer.reduce(&state, .storeRefreshed(Self.adding([backup, alpha])))
        #expect(effects.allSatisfy { if case .checkHealth = $0 { return true } else { return false } }, "only the health check runs again")
        #expect(state.list.filter == "weather")
        #expect(state.list.visible.map { state.connections[$0].name } == ["Weather Backup", "Weather IdP"])
        #expect(state.list.selected == 1 && state.selectedConnection?.id == selected) // the same item, one row down
        let screen = Render.screen(state).text
        #expect(screen.contains("Weather Backup") && !screen.contains("Alpha"))
        #expect(screen.contains("(2 of 5 match \"weather\")"))
    }

    @Test func aRefreshThatFindsNothingNewChangesNothing() {
        var state = Fixtures.state()
        let generation = state.loadGeneration
        // The server lists in its own order; the console sorts: still the same.
        let shuffled = StoreSnapshot(connections: Fixtures.snapshot.connections.reversed(), commands: Fixtures.snapshot.commands.reversed(),
                                     teams: Fixtures.snapshot.teams)
        #expect(Reducer.reduce(&state, .storeRefreshed(shuffled)).isEmpty)
        #expect(state.loadGeneration == generation)
        // A validation recorded elsewhere is a change, even though update_at stays.
        let validated = Self.adding { connections, _ in connections[2].lastValidation = ValidationRecord(at: 1_795_000_200_000, ok: true, message: "ok") }
        _ = Reducer.reduce(&state, .storeRefreshed(validated))
        #expect(state.loadGeneration == generation + 1)
    }

    @Test func aRefreshThatCannotReadAListKeepsItsRowsAndSaysSo() {
        var state = Fixtures.state()
        let unreachable = ListProblem.from(MattermostError.server(status: 503, message: "Service Unavailable", detail: nil), tab: .connections)
        let failed = StoreSnapshot(connections: [], commands: Fixtures.snapshot.commands, teams: Fixtures.snapshot.teams, problems: [.connections: unreachable])
        #expect(Reducer.reduce(&state, .storeRefreshed(failed)).isEmpty)
        #expect(state.connections.count == 3 && state.problems.isEmpty)
        #expect(state.status?.text.hasPrefix("Could not refresh the connections: \(unreachable.text)") == true)
        #expect(state.status?.role == .warning)
        // The next good refresh clears the warning.
        _ = Reducer.reduce(&state, .storeRefreshed(Self.adding([Self.cliConnection])))
        #expect(state.status == nil && state.connections.count == 4)
        // F5 shows the failure itself, as before.
        #expect(Fixtures.press(&state, .function(5)) == [.load])
        _ = Reducer.reduce(&state, .loaded(failed))
        #expect(state.problems[.connections] == unreachable)
    }

    @Test func anOpenConnectionFormIsToldItsItemChangedOrWentAway() throws {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .down, .character("e")) // Weather IdP
        let opened = try #require(FormTests.connectionEditor(state)?.original)
        FormTests.typeInto(&state, " (mine)")
        #expect(FormTests.connectionEditor(state)?.form.heading == nil)

        // Someone renames it and moves its audience (20:33 UTC).
        let theirs = Self.adding { connections, _ in
            connections[0].name = "Weather (theirs)"
            connections[0].audiences = ["https://weather.example.com/v2/*"]
            connections[0].updateAt = 1_795_033_980_000
        }
        _ = Reducer.reduce(&state, .storeRefreshed(theirs))
        let note = "Changed elsewhere at 20:33 UTC since you opened it (Name, Audience URLs (One Per Line)); saving will ask what to keep"
        #expect(FormTests.connectionEditor(state)?.form.heading == FormState.Note(text: note, role: .warning))
        #expect(Render.screen(state).text.contains("Changed elsewhere at 20:33 UTC since you opened it"))
        // The typed edits stay, and the save is still based on the version opened: the dialog asks.
        #expect(FormTests.connectionEditor(state)?.draft.name == "Weather IdP (mine)")
        let save = Fixtures.press(&state, .control("s"))
        guard case .saveConnection(_, let basedOn, _)? = save.first else { Issue.record("no save: \(save)"); return }
        #expect(basedOn == opened.updateAt)

        // While the save runs a refresh says nothing (the answer may be our own save).
        _ = Reducer.reduce(&state, .storeRefreshed(Self.adding { connections, _ in connections.removeFirst() }))
        #expect(FormTests.connectionEditor(state)?.form.heading?.text == note)
        _ = Reducer.reduce(&state, .saveFailed([], message: "the disk is full"))

        // Deleted elsewhere.
        _ = Reducer.reduce(&state, .storeRefreshed(Self.adding { connections, _ in connections.removeAll { $0.id == opened.id } }))
        #expect(FormTests.connectionEditor(state)?.form.heading == FormState.Note(text: "Deleted elsewhere since you opened it; saving will ask what to keep", role: .warning))

        // Back as opened (a restore): nothing to say.
        _ = Reducer.reduce(&state, .storeRefreshed(Fixtures.snapshot))
        #expect(FormTests.connectionEditor(state)?.form.heading == nil)
    }

    /// The note sits between the title and the fields, wrapped; the focused field stays in view.
    @Test(arguments: [(100, 30), (60, 16)]) func theNoteAboveTheForm(width: Int, height: Int) {
        var state = Fixtures.state(width: width, height: height)
        _ = Fixtures.press(&state, .down, .character("e"))
        _ = Fixtures.press(&state, .tab, .tab, .tab, .tab, .tab) // Audience URLs
        _ = Reducer.reduce(&state, .storeRefreshed(Self.adding { connections, _ in
            connections[0].clientId = "rotated-by-the-cli"
            connections[0].updateAt = 1_795_033_980_000
        }))
        Snapshot.expect(state, named: "connection-form-changed-elsewhere-\(width)x\(height)")
    }

    @Test func anOpenCommandFormIsToldToo() throws {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("2"))
        _ = Reducer.reduce(&state, .loaded(Fixtures.snapshot))
        _ = Fixtures.press(&state, .character("e"))
        let opened = try #require(FormTests.commandEditor(state)?.original)
        let changed = Self.adding { _, commands in
            let index = commands.firstIndex { $0.id == opened.id }!
            commands[index].url = "https://ci.example.com/moved"
            commands[index].updateAt += 60_000
        }
        _ = Reducer.reduce(&state, .storeRefreshed(changed))
        let heading = try #require(FormTests.commandEditor(state)?.form.heading)
        #expect(heading.text.hasPrefix("Changed elsewhere at ") && heading.text.hasSuffix(" since you opened it (Request URL); saving will ask what to keep"))

        // A list that could not be read proves nothing: the note stays as it was.
        let forbidden = ListProblem.from(MattermostError.forbidden(.manageCommands(team: "main"), serverMessage: nil), tab: .commands)
        _ = Reducer.reduce(&state, .loaded(StoreSnapshot(connections: Fixtures.snapshot.connections, commands: [], teams: [Fixtures.team],
                                                          problems: [.commands: forbidden])))
        #expect(FormTests.commandEditor(state)?.form.heading == heading)
    }

    @Test func anOpenCommandFormsBannerFollowsANewConnection() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("2"), .character("a"))
        guard case .command(var editor)? = state.editor else { Issue.record("no form"); return }
        editor.form.focus("url")
        state.editor = .command(editor)
        Fixtures.type(&state, "https://cli.example.org/hook")
        #expect(FormTests.commandEditor(state)?.form.notes["url"]?.first?.text == "Not linked to an OAuth connection")
        _ = Reducer.reduce(&state, .storeRefreshed(Self.adding([Self.cliConnection])))
        #expect(FormTests.commandEditor(state)?.form.notes["url"]?.first?.text
            == "Connected to \"Payroll from the CLI\" (audience https://cli.example.org/hook)")
        #expect(FormTests.commandEditor(state)?.form.text("url") == "https://cli.example.org/hook")
        #expect(FormTests.commandEditor(state)?.form.heading == nil) // a new command has nothing to compare
    }

    @Test func f5InAFormReloadsOnceAndKeepsTheEdits() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("a"))
        FormTests.typeInto(&state, "Half typed")
        #expect(Fixtures.press(&state, .function(5)) == [.load])
        #expect(state.status?.text == "Reloading the store; your edits stay...")
        #expect(Fixtures.press(&state, .function(5)).isEmpty) // one reload at a time
        _ = Reducer.reduce(&state, .loaded(Self.adding([Self.cliConnection])))
        #expect(state.status?.text == "Reloaded the store; your edits stay")
        #expect(FormTests.connectionEditor(state)?.draft.name == "Half typed")
        #expect(state.connections.count == 4)
        #expect(Fixtures.press(&state, .function(5)) == [.load])
    }

    @Test func f5InAListReloadsOnceAtATime() {
        var state = Fixtures.state()
        #expect(Fixtures.press(&state, .function(5)) == [.load])
        #expect(Fixtures.press(&state, .function(5), .control("r")).isEmpty)
        _ = Reducer.reduce(&state, .loaded(Fixtures.snapshot))
        #expect(Fixtures.press(&state, .control("r")) == [.load])
    }

    @Test func theBackoffDoublesUpToItsCeiling() {
        let live = LiveRefresh(reloadEvery: .seconds(15), longestPause: .seconds(120))
        #expect((0...5).map { live.pause(every: .seconds(15), failures: $0) } == [15, 30, 60, 120, 120, 120].map { Duration.seconds($0) })
        #expect(live.pause(every: .seconds(1), failures: 3) == .seconds(8))
        // An interval longer than the ceiling is never shortened by failures.
        #expect(live.pause(every: .seconds(300), failures: 2) == .seconds(300))
        #expect(live.pause(every: .seconds(1), failures: 10_000) == .seconds(120))
    }
}
