import BackstageCore
import Foundation
import Testing
@testable import BackstageApp
@testable import TerminalKit

/// The focus stack: what opens over what, who gets keys, and what the status row keeps saying.
@Suite("Focus stack")
struct FocusStackTests {
    @Test func helpAndLogOpenOverAFormAndCloseBackToIt() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("a"))
        Fixtures.type(&state, "Pay")
        _ = Fixtures.press(&state, .function(1))
        #expect(state.layers.count == 2 && state.overlay == .help)
        // The help starts with the form's keys, not the list's.
        #expect(HelpLayer.keymaps(state).first?.title == Keymaps.connectionForm.title)
        #expect(!HelpLayer.keymaps(state).contains { $0.title == Keymaps.list.title })
        _ = Fixtures.press(&state, .character("q")) // closes the help; does not reach the form
        #expect(state.overlay == nil)
        guard case .connection(let editor)? = state.editor else { Issue.record("the form closed"); return }
        #expect(editor.form.text("name") == "Pay")
        _ = Fixtures.press(&state, .function(2), .function(2))
        #expect(state.layers.count == 1)
    }

    /// A form's questions are layers of their own over the form: the form below keeps its edits,
    /// the help over a question starts with the question's keys, and answering pops only it.
    @Test func aFormsQuestionIsALayerOverTheForm() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("a"))
        Fixtures.type(&state, "Pay")
        _ = Fixtures.press(&state, .escape)
        #expect(state.layers.count == 2 && state.layers.last == .overlay(.formDialog(.discard)))
        #expect(Render.screen(state).text.contains("Discard unsaved changes?"))
        Snapshot.expectStyled(state, named: "styled-discard-over-form")
        _ = Fixtures.press(&state, .function(1))
        #expect(HelpLayer.keymaps(state).first?.title == Keymaps.dialog.title)
        #expect(HelpLayer.keymaps(state).dropFirst().first?.title == Keymaps.connectionForm.title)
        _ = Fixtures.press(&state, .escape) // closes the help only
        #expect(state.formDialog == .discard)
        // Ctrl-C over the question asks the quit question instead (one question at a time).
        _ = Fixtures.press(&state, .control("c"))
        #expect(state.layers.count == 2 && state.formDialog == .quit)
        _ = Fixtures.press(&state, .character("n")) // keep editing
        #expect(state.layers.count == 1 && state.formDialog == nil && !state.quit)
        guard case .connection(let editor)? = state.editor else { Issue.record("the form closed"); return }
        #expect(editor.form.text("name") == "Pay")
        #expect(!Render.screen(state).text.contains("Discard unsaved changes"))
    }

    @Test func aResultArrivingOverTheHelpOpensOverIt() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("2"), .character("r"), .enter, .character("?"))
        #expect(state.running == "deploy")
        _ = Reducer.reduce(&state, .testFired([StatusLine(text: "HTTP 200 OK", role: .success)], ok: true))
        guard case .runResult? = state.overlay else { Issue.record("no result on top"); return }
        _ = Fixtures.press(&state, .escape)
        #expect(state.overlay == .help)
    }

    @Test func workInFlightStaysOnTheStatusRowWhateverOpensAndCloses() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("2"), .character("r"), .enter)
        let running = "Running /deploy... (Esc cancels)"
        #expect(Render.screen(state).text.contains(running))
        _ = Fixtures.press(&state, .character("?"), .escape, .character("t"))
        let screen = Render.screen(state).text
        #expect(screen.contains(running))
        #expect(screen.contains("Theme: ")) // the newer message is shown beside it
        #expect(screen.contains("running"), "the command's row shows it is running")
        _ = Reducer.reduce(&state, .testFired([], ok: true))
        _ = Fixtures.press(&state, .escape)
        #expect(!Render.screen(state).text.contains(running))
    }

    @Test func theMessageLogKeepsEveryMessageWholeNewestFirst() {
        var state = Fixtures.state(width: 60, height: 16)
        state.now = Date(timeIntervalSince1970: 1_800_000_000)
        let long = "Connection not validated (Payroll IdP): the token endpoint at idp.example.com answered 401 Unauthorized: invalid_client, the client secret is wrong"
        _ = Reducer.reduce(&state, .failed(long))
        state.now = Date(timeIntervalSince1970: 1_800_000_060)
        _ = Fixtures.press(&state, .character("t"))
        // The status row keeps one line and points to the whole text.
        _ = Reducer.reduce(&state, .failed(long))
        let statusRow = Render.screen(state).text.split(separator: "\n", omittingEmptySubsequences: false)[14]
        #expect(statusRow.contains("(F2: whole message)"))
        _ = Fixtures.press(&state, .character("L"))
        #expect(state.overlay == .messageLog)
        let lines = MessageLogLayer.lines(state, width: 50).map(\.0)
        #expect(lines.first?.contains("Connection not validated") == true)
        let text = lines.map { $0.dropFirst(10).trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(text.contains("the client secret is wrong"), "the whole text is kept: \(text)")
        #expect(lines.contains { $0.contains("Theme: ") })
        #expect(state.messages.count == 3)
    }

    @Test func escClearsAKeptSearch() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("/"))
        Fixtures.type(&state, "broad")
        _ = Fixtures.press(&state, .enter)
        #expect(state.list.visible.count == 1)
        _ = Fixtures.press(&state, .escape)
        #expect(state.list.filter.isEmpty && state.list.visible.count == 3)
        #expect(state.selectedConnection?.name == "Broad", "the selection stays on the row")
        _ = Fixtures.press(&state, .escape)
        #expect(state.status?.text.contains("nothing to stop or clear") == true)
    }

    @Test func searchFindsEveryFieldTheListShows() {
        func found(_ tab: Character, _ needle: String) -> [String] {
            var state = Fixtures.state()
            _ = Fixtures.press(&state, .character(tab), .character("/"))
            Fixtures.type(&state, needle)
            return state.tab == .connections ? state.list.visible.map { state.connections[$0].name } : state.list.visible.map { state.commands[$0].trigger }
        }
        #expect(found("1", "client-conn").count == 3) // the client ID
        #expect(found("1", "payroll.example.jp/hook") == ["給与システム"]) // an audience
        #expect(found("1", "idp.example.com").count == 3) // the token URL's host
        #expect(found("2", "ci.example.com") == ["deploy"]) // the Request URL
        #expect(found("2", "weather idp") == ["weather"]) // the linked connection (forecast's case differs)
        #expect(found("2", "給与明細") == ["payslip"]) // the title
    }

    @Test func theSelectionFollowsASavedItem() {
        var state = Fixtures.state()
        #expect(state.selectedConnection?.name == "Broad")
        _ = Fixtures.press(&state, .character("a"))
        var created = Fixtures.connection("Zeta", id: "conn9zeta00000000000000000", audiences: ["https://zeta.example.com/"])
        created.createAt = 1_796_000_000_000
        _ = Reducer.reduce(&state, .connectionSaved(created))
        _ = Fixtures.press(&state, .enter) // Done on "Setup Successful"
        _ = Reducer.reduce(&state, .loaded(StoreSnapshot(connections: Fixtures.snapshot.connections + [created], commands: Fixtures.snapshot.commands, teams: [Fixtures.team])))
        #expect(state.selectedConnection?.name == "Zeta")
        _ = Fixtures.press(&state, .character("2"), .character("e"))
        guard case .command(let editor)? = state.editor, var command = editor.original else { Issue.record("no command form"); return }
        command.trigger = "zzz"
        _ = Reducer.reduce(&state, .commandSaved(command, created: false))
        var commands = Fixtures.snapshot.commands
        commands[commands.firstIndex { $0.id == command.id }!] = command
        _ = Reducer.reduce(&state, .loaded(StoreSnapshot(connections: Fixtures.snapshot.connections, commands: commands, teams: [Fixtures.team])))
        #expect(state.selectedCommand?.trigger == "zzz")
    }
}

/// Store and server text is made safe once, where it enters the state.
@Suite("Text at the boundary")
struct BoundaryTextTests {
    static let hostile = "\u{1b}]0;PWNED-TITLE\u{7}Evil\u{1b}[2J\u{1b}[H\u{1b}[31;1m IdP\u{9b}0m"

    static func allText(_ state: AppState) -> String {
        var parts = state.connections.flatMap { [$0.name, $0.clientId, $0.oauthTokenURL] + $0.audiences + [$0.lastValidation?.message ?? ""] }
        parts += state.commands.flatMap { [$0.trigger, $0.displayName, $0.description, $0.url, $0.token] }
        parts += state.teamNames.values
        parts += state.messages.map(\.text)
        return parts.joined(separator: "|")
    }

    @Test func nothingWithAControlCharacterEntersTheState() throws {
        var connection = Fixtures.connection(Self.hostile, id: "conn1weather00000000000000", audiences: ["https://x.example.com/" + Self.hostile], validated: false)
        connection.lastValidation = ValidationRecord(at: 1, ok: false, message: "401: " + Self.hostile)
        var command = Fixtures.command("evil", url: "https://x.example.com/", title: Self.hostile)
        command.description = Self.hostile
        var state = Fixtures.state(loaded: StoreSnapshot(connections: [connection], commands: [command], teams: [Team(id: Fixtures.team.id, name: Self.hostile)]))
        _ = Reducer.reduce(&state, .failed("server says " + Self.hostile))
        _ = Reducer.reduce(&state, .testFired([StatusLine(text: Self.hostile, role: .normal)], ok: false))
        let text = Self.allText(state)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) }, "\(text.debugDescription)")
        #expect(state.connections[0].name == "Evil IdP")
        #expect(!text.contains("PWNED") && !text.contains("[31"), "whole sequences go, not only their ESC")
        // The edit form opens on the clean text: no residue in the field.
        _ = Fixtures.press(&state, .character("e"))
        guard case .connection(let editor)? = state.editor else { Issue.record("no form"); return }
        #expect(editor.form.text("name") == "Evil IdP")
    }

    /// A server's webhooks reach the state (they count in "Used by"), their text made safe.
    @Test func aServersWebhooksCountAndTheirTextIsClean() {
        let hook = OutgoingWebhook(id: "hook1", teamId: Fixtures.team.id, displayName: Self.hostile,
                                   callbackURLs: ["https://weather.example.com/hook"])
        var state = Fixtures.state(loaded: StoreSnapshot(connections: Fixtures.snapshot.connections, commands: [], teams: [Fixtures.team],
                                                         webhooks: .listed([hook])))
        #expect(state.webhooks.isChecked)
        _ = Fixtures.press(&state, .down) // Weather IdP
        let usage = state.linkage?.usageLine(for: "conn1weather00000000000000") ?? ""
        #expect(usage.contains("1 outgoing webhook"), "\(usage)")
        #expect(!usage.unicodeScalars.contains { $0.value < 0x20 } && !usage.contains("PWNED"), "\(usage.debugDescription)")
        #expect(!Render.screen(state).text.contains("webhooks not checked"))
    }

    @Test func namesInMessagesFromEffectsAreCleanToo() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("v"))
        _ = Reducer.reduce(&state, .secretNeeded(connectionId: "conn3broad0000000000000000", name: Self.hostile, needsPassword: false, purpose: .validate(generation: state.listValidation?.generation ?? 0)))
        guard case .secretPrompt(let prompt)? = state.overlay else { Issue.record("no prompt"); return }
        #expect(prompt.connectionName == "Evil IdP")
        _ = Reducer.reduce(&state, .teamsLoaded(.failure(ValidationError(Self.hostile))))
        #expect(state.status?.text == "Cannot list the teams: Evil IdP")
    }
}
