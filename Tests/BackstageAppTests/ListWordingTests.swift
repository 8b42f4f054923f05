import BackstageCore
import Testing
@testable import BackstageApp

/// The console's empty lists say what the CLI's say (the CLI's words are checked in
/// ConnectionsCLITests and CommandsCLITests): both read `ListWording`.
@Suite("list wording")
struct ListWordingTests {
    @Test func emptyListsUseTheSharedWords() {
        var state = Fixtures.state(loaded: StoreSnapshot(connections: [], commands: [], teams: [Fixtures.team]))
        #expect(Render.screen(state).text.contains(ListWording.noConnections))
        _ = Fixtures.press(&state, .character("2"))
        #expect(Render.screen(state).text.contains(ListWording.noCommands))
        #expect(ListWording.noConnections == "No Outgoing OAuth Connections found")
        #expect(ListWording.noCommands == "No commands found")
    }

    @Test func noMatchUsesTheSharedWords() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("/"))
        Fixtures.type(&state, "zzz")
        #expect(Render.screen(state).text.contains(ListWording.noConnections(matching: "zzz")))
    }
}
