import BackstageCore
import Testing
@testable import BackstageApp
@testable import TerminalKit

@Suite("Console reducer")
struct ReducerTests {
    @Test func listsAreSortedAndTheFirstRowIsSelected() {
        let state = Fixtures.state()
        #expect(state.connections.map(\.name) == ["Broad", "Weather IdP", "給与システム"])
        #expect(state.commands.map(\.trigger) == ["deploy", "forecast", "payslip", "weather"])
        #expect(state.selectedConnection?.name == "Broad")
        #expect(!state.loading)
    }

    @Test func movingStaysInsideTheList() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .down, .character("j"))
        #expect(state.selectedConnection?.name == "給与システム")
        _ = Fixtures.press(&state, .down, .down)
        #expect(state.selectedConnection?.name == "給与システム")
        _ = Fixtures.press(&state, .character("g"))
        #expect(state.selectedConnection?.name == "Broad")
        _ = Fixtures.press(&state, .end)
        #expect(state.list.selected == 2)
        _ = Fixtures.press(&state, .up, .character("k"), .up)
        #expect(state.list.selected == 0)
    }

    @Test func aHundredThousandRowsScrollByPagesAndKeepTheSelectionInView() {
        let many = (0..<100_000).map { Fixtures.connection(String(format: "conn %06d", $0), id: String(format: "c%025d", $0), audiences: ["https://x\($0).example.com/"]) }
        var state = Fixtures.state(loaded: StoreSnapshot(connections: many, commands: [], teams: []))
        _ = Fixtures.press(&state, .pageDown, .pageDown)
        #expect(state.list.selected == 2 * (state.listHeight - 1))
        _ = Fixtures.press(&state, .character("G"))
        #expect(state.list.selected == 99_999)
        #expect(state.list.offset == 100_000 - state.listHeight)
        #expect(Render.screen(state).text.contains("conn 099999"))
    }

    @Test func tabsSwitchAndReloadFromTheStore() {
        var state = Fixtures.state()
        #expect(Fixtures.press(&state, .tab) == [.load])
        #expect(state.tab == .commands)
        #expect(Fixtures.press(&state, .character("1")) == [.load])
        #expect(state.tab == .connections)
        _ = Fixtures.press(&state, .character("2"))
        #expect(state.tab == .commands)
        _ = Fixtures.press(&state, .backTab)
        #expect(state.tab == .connections)
    }

    @Test func theFilterNarrowsAsYouTypeEnterKeepsItEscClearsIt() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("/"))
        #expect(state.filtering)
        Fixtures.type(&state, "WEA")
        #expect(state.list.visible.count == 1)
        #expect(state.selectedConnection?.name == "Weather IdP")
        _ = Fixtures.press(&state, .backspace)
        #expect(state.list.filter == "WE")
        _ = Fixtures.press(&state, .enter)
        #expect(!state.filtering && state.list.filter == "WE")
        // Keys act on the list again; the filter stays.
        _ = Fixtures.press(&state, .character("q"))
        #expect(state.quit)
        state.quit = false
        _ = Fixtures.press(&state, .character("/"), .escape)
        #expect(state.list.filter.isEmpty && state.list.visible.count == 3)
        #expect(state.selectedConnection?.name == "Weather IdP") // the selection survives clearing
        // Each tab keeps its own filter; a paste goes in whole.
        _ = Fixtures.press(&state, .character("/"))
        _ = Reducer.reduce(&state, .input(.paste("給与")))
        #expect(state.list.visible.count == 1)
        _ = Fixtures.press(&state, .enter, .character("2"))
        #expect(state.list.filter.isEmpty && state.list.visible.count == 4)
        _ = Fixtures.press(&state, .character("/"))
        Fixtures.type(&state, "明細")
        #expect(state.selectedCommand?.trigger == "payslip") // commands match titles too
    }

    @Test func deleteAsksFirstAndOnlyYesDeletes() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .down)
        #expect(Fixtures.press(&state, .character("d")).isEmpty)
        // The dialog lists what the delete changes: /weather loses its connection (/forecast's case differs).
        let target = DeleteTarget(tab: .connections, id: "conn1weather00000000000000", name: "Weather IdP",
                                  impact: ["/weather: \"Weather IdP\" → not linked"])
        #expect(state.overlay == .confirmDelete(target))
        #expect(Fixtures.press(&state, .character("x")).isEmpty)
        #expect(Fixtures.press(&state, .character("n")).isEmpty)
        #expect(state.overlay == nil)
        _ = Fixtures.press(&state, .character("d"))
        #expect(Fixtures.press(&state, .character("y")) == [.delete(target)])
        #expect(Reducer.reduce(&state, .deleted(target)) == [.load])
        #expect(state.status?.text == "Deleted Weather IdP")
        _ = Fixtures.press(&state, .character("d"), .escape)
        #expect(state.overlay == nil)
    }

    @Test func tooSmallKeepsEverythingForWhenItGrowsAgain() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("2"), .down)
        _ = Reducer.reduce(&state, .input(.resize(width: 50, height: 12)))
        #expect(state.isTooSmall)
        #expect(Fixtures.press(&state, .down, .character("d")).isEmpty) // nothing happens behind the notice
        _ = Reducer.reduce(&state, .input(.resize(width: 100, height: 30)))
        #expect(state.tab == .commands && state.selectedCommand?.trigger == "forecast" && state.overlay == nil)
    }

    @Test func themeMouseQuitAndFailures() {
        var state = Fixtures.state()
        #expect(Fixtures.press(&state, .character("t")) == [.applyTheme("Sapphire")])
        #expect(Fixtures.press(&state, .character("t"), .character("t"), .character("t"), .character("t")).last == .applyTheme("Denim"))
        #expect(Fixtures.press(&state, .character("m")) == [.setMouse(true)])
        #expect(Fixtures.press(&state, .control("r")) == [.load])
        _ = Reducer.reduce(&state, .failed("database is locked \u{1B}[31m"))
        #expect(state.status == StatusLine(text: "database is locked ", role: .error))
        _ = Fixtures.press(&state, .character("?"))
        _ = Fixtures.press(&state, .control("c"))
        #expect(state.quit)
    }

    /// Every text of an item that a screen shows enters the state without escape sequences or
    /// control characters, whatever the store or the server held.
    @Test func loadedTextEntersTheStateClean() {
        let dirty = "red\u{1B}[31m\u{7}\ttext\u{9B}2J"
        var command = Fixtures.command("c", url: dirty, title: dirty)
        command.token = dirty
        command.trigger = dirty
        command.username = dirty
        command.iconURL = dirty
        command.autoCompleteDesc = dirty
        command.autoCompleteHint = dirty
        command.description = dirty
        var connection = Fixtures.connection(dirty, id: "conn1dirty000000000000000", audiences: [dirty, "https://a.example.com/*"], validated: false)
        connection.clientId = dirty
        connection.oauthTokenURL = dirty
        connection.credentialsUsername = dirty
        connection.lastValidation = ValidationRecord(at: 1, ok: false, message: dirty)
        var state = Fixtures.state(loaded: StoreSnapshot(connections: [connection], commands: [command], teams: [Team(id: Fixtures.team.id, name: dirty)]))
        _ = Reducer.reduce(&state, .tick)
        let clean = "red text"
        let shown = state.commands[0]
        #expect([shown.token, shown.trigger, shown.username, shown.iconURL, shown.autoCompleteDesc, shown.autoCompleteHint,
                 shown.displayName, shown.description, shown.url].allSatisfy { $0 == clean })
        let loaded = state.connections[0]
        #expect([loaded.name, loaded.clientId, loaded.oauthTokenURL, loaded.audiences[0], loaded.credentialsUsername, loaded.lastValidation?.message]
                    .allSatisfy { $0 == clean })
        #expect(state.teamNames.values.allSatisfy { $0 == clean })
    }

    @Test func mouseClicksSwitchTabsAndPickRows() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .input(.mouse(MouseEvent(kind: .press, x: 40, y: Layout.tabRow))))
        #expect(state.tab == .commands)
        _ = Reducer.reduce(&state, .input(.mouse(MouseEvent(kind: .press, x: 10, y: Layout.listTop + 2))))
        #expect(state.selectedCommand?.trigger == "payslip")
        _ = Reducer.reduce(&state, .input(.mouse(MouseEvent(kind: .wheelDown, x: 10, y: 10))))
        #expect(state.selectedCommand?.trigger == "weather")
        _ = Reducer.reduce(&state, .input(.mouse(MouseEvent(kind: .press, x: 2, y: Layout.tabRow))))
        #expect(state.tab == .connections)
    }

    @Test func theHintBarAndTheHelpComeFromTheKeymap() {
        let state = Fixtures.state()
        let screen = Render.screen(state).text
        for item in Keymaps.list.barItems { #expect(screen.contains("\(item.keys) \(item.label)")) }
        let help = HelpLayer.lines(state).map(\.0).joined(separator: "\n")
        for binding in Keymaps.list.bindings { #expect(help.contains(binding.help), "\(binding.help) missing from help") }
    }
}

@Suite("Filter narrowing")
struct FilterNarrowingTests {
    @Test func typingNarrowsTheLastResultAndGivesTheSameRowsAsAFullSearch() {
        let many = (0..<5_000).map { Fixtures.connection(String(format: "conn %04d %@", $0, $0 % 3 == 0 ? "alpha" : "beta"), id: String(format: "c%025d", $0), audiences: ["https://x\($0).example.com/"]) }
        var state = Fixtures.state(loaded: StoreSnapshot(connections: many, commands: [], teams: []))
        _ = Fixtures.press(&state, .character("/"))
        Fixtures.type(&state, "conn 1")
        let narrowed = state.list.visible
        Fixtures.type(&state, "2")
        let expected = state.connections.indices.filter { state.connections[$0].name.lowercased().contains("conn 12") }
        #expect(state.list.visible == expected)
        #expect(narrowed.count > state.list.visible.count)
        _ = Fixtures.press(&state, .backspace) // erasing widens again from all rows
        #expect(state.list.visible == narrowed)
    }
}
