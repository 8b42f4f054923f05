import BackstageCore
import Testing
@testable import BackstageApp
@testable import TerminalKit

/// The console on servers as admins meet them: a list that could not be read says why (never an
/// empty list), the team picker, and secrets the server never returns typed once per session.
@Suite("Server mode console")
struct ServerModeConsoleTests {
    static let offProblem = ListProblem.from(MattermostError.unavailable(.oauthConnectionsOff), tab: .connections)

    static func serverState(width: Int = 100, height: Int = 30) -> AppState {
        var state = AppState(width: width, height: height, storeLabel: "https://mm.example.com", teamLabel: "ops")
        state.serverMode = true
        state.team = Fixtures.team
        return state
    }

    @Test func aListThatCannotBeReadSaysWhyInsteadOfLookingEmpty() {
        var state = Self.serverState()
        let forbidden = ListProblem.from(MattermostError.forbidden(.manageCommands(team: "ops"), serverMessage: nil), tab: .commands)
        _ = Reducer.reduce(&state, .loaded(StoreSnapshot(connections: [], commands: [Fixtures.command("deploy", url: "https://ci.example.com/d")],
                                                          teams: [Fixtures.team], problems: [.connections: Self.offProblem])))
        let connections = Render.screen(state).text
        #expect(connections.contains("Outgoing OAuth connections are not available on this server: the feature is off"))
        #expect(connections.contains("Slash commands work without it: tab 2."))
        #expect(!connections.contains("No Outgoing OAuth Connections found"))
        _ = Fixtures.press(&state, .character("2"))
        let commands = Render.screen(state).text
        #expect(commands.contains("/deploy"))
        // No connections: as in Mattermost, no linkage column text and no banner.
        #expect(!commands.contains("Not linked"))
        _ = Reducer.reduce(&state, .loaded(StoreSnapshot(connections: [], commands: [], teams: [], problems: [.commands: forbidden])))
        let denied = Render.screen(state).text
        #expect(denied.contains("manage_own_slash_commands on team ops"))
        #expect(!denied.contains("No commands found"))
    }

    /// As `backstage doctor` says "could not check" (exit 3): a list nobody could read is not "healthy".
    @Test func theHealthCheckSaysItCouldNotCheckWhenAListCannotBeRead() {
        var state = Self.serverState()
        let deploy = Fixtures.command("deploy", url: "https://ci.example.com/d")
        let asksForCheck = { (effects: [Effect]) in effects.contains { if case .checkHealth = $0 { true } else { false } } }
        let unread = Reducer.reduce(&state, .loaded(StoreSnapshot(connections: [], commands: [deploy], teams: [Fixtures.team],
                                                                  problems: [.connections: Self.offProblem])))
        #expect(!asksForCheck(unread))
        // Not even a report that arrives for this load speaks for the connections nobody could read.
        _ = Reducer.reduce(&state, .healthChecked(HealthReport(findings: [], webhooksNote: nil, linkageIsPrediction: true), generation: state.loadGeneration))
        let screen = Render.screen(state).text
        #expect(screen.contains("backstage · Integrations · not checked (h)"))
        #expect(!screen.contains("healthy"))
        _ = Fixtures.press(&state, .character("h"))
        let health = Render.screen(state).text
        #expect(health.contains("Health: not checked"))
        #expect(health.contains("Could not check: Outgoing OAuth Connections could not be read:"))
        #expect(health.contains("The check needs both lists. A system admin can turn it on in System Console"))
        #expect(!health.contains("looks wired right"))
        _ = Fixtures.press(&state, .escape)
        // Both lists read: the check runs (a small load's at once) and speaks again.
        let read = Reducer.reduce(&state, .loaded(StoreSnapshot(connections: [], commands: [deploy], teams: [Fixtures.team])))
        #expect(!asksForCheck(read) && state.health != nil)
        #expect(Render.screen(state).text.contains("backstage · Integrations · healthy"))
    }

    /// The Request URL's help points at OAuth connections only where the server offers them.
    @Test func theCommandFormMentionsOAuthConnectionsOnlyWhereTheServerOffersThem() {
        let line = "You can connect commands to outgoing OAuth connections."
        let unlicensed = ListProblem.from(MattermostError.unavailable(.oauthConnectionsUnlicensed), tab: .connections)
        let forbidden = ListProblem.from(MattermostError.forbidden(.manageConnections, serverMessage: nil), tab: .connections)
        for (problem, mentioned) in [(Self.offProblem, false), (unlicensed, false), (forbidden, true), (nil, true)] as [(ListProblem?, Bool)] {
            var state = Self.serverState()
            _ = Reducer.reduce(&state, .loaded(StoreSnapshot(connections: [], commands: [], teams: [Fixtures.team],
                                                              problems: problem.map { [.connections: $0] } ?? [:])))
            _ = Fixtures.press(&state, .character("2"), .character("a"))
            #expect(Render.screen(state).text.contains("Specify the callback URL"))
            #expect(Render.screen(state).text.contains(line) == mentioned, "\(String(describing: problem?.text))")
        }
    }

    @Test func newCommandsGoToTheTeamShownAndTPicksAnother() {
        var state = Self.serverState()
        _ = Reducer.reduce(&state, .loaded(Fixtures.snapshot))
        _ = Fixtures.press(&state, .character("2"))
        #expect(Fixtures.press(&state, .character("T")) == [.loadTeams])
        let sales = Team(id: "teamsales00000000000000000", name: "sales")
        _ = Reducer.reduce(&state, .teamsLoaded(.success([Fixtures.team, sales])))
        #expect(state.overlay == .teamPicker(teams: [Fixtures.team, sales], selected: 0)) // a server has no "every team"
        #expect(Render.screen(state).text.contains("main  (shown)"))
        #expect(Fixtures.press(&state, .down, .enter) == [.selectTeam(sales)])
        #expect(state.team == sales && state.teamLabel == "sales")
        _ = Reducer.reduce(&state, .loaded(Fixtures.snapshot)) // its commands (the fixture's are main's: filtered out)
        #expect(state.commands.isEmpty)
        _ = Fixtures.press(&state, .character("a"))
        Fixtures.type(&state, "Quota")
        guard case .command(var editor)? = state.editor else { Issue.record("no form"); return }
        editor.form.focus("trigger")
        state.editor = .command(editor)
        Fixtures.type(&state, "quota")
        _ = Fixtures.press(&state, .tab)
        Fixtures.type(&state, "https://crm.example.com/quota")
        let save = Fixtures.press(&state, .control("s"))
        guard case .saveCommand(let command, nil)? = save.first else { Issue.record("not saved: \(save)"); return }
        #expect(command.teamId == sales.id)
    }

    @Test func theLocalPickerOffersEveryTeam() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("T"))
        _ = Reducer.reduce(&state, .teamsLoaded(.success([Fixtures.team])))
        #expect(state.overlay == .teamPicker(teams: [nil, Fixtures.team], selected: 0))
        #expect(Render.screen(state).text.contains("Every team  (shown)"))
        _ = Reducer.reduce(&state, .teamsLoaded(.failure(ValidationError("the server answered 500"))))
        #expect(state.status?.text == "Cannot list the teams: the server answered 500")
    }

    /// `v` on a server that validates only with the secret sent along: the runtime says so, the
    /// console asks (masked), keeps it for the session, and a failure forgets it.
    @Test func validateAsksForTheSecretOnceAndForgetsAWrongOne() throws {
        var state = Self.serverState()
        _ = Reducer.reduce(&state, .loaded(Fixtures.snapshot))
        _ = Fixtures.press(&state, .end) // 給与システム... sorted last; "Weather IdP" before it
        _ = Fixtures.press(&state, .up)
        let id = try #require(state.selectedConnection?.id)
        #expect(state.selectedConnection?.name == "Weather IdP")
        #expect(Fixtures.press(&state, .character("v")) == [.validateSaved(id: id, generation: 1)])
        _ = Reducer.reduce(&state, .secretNeeded(connectionId: id, name: "Weather IdP", needsPassword: false, purpose: .validate(generation: 1)))
        #expect(!state.isBusy)
        Fixtures.type(&state, "s3cret-value")
        let screen = Render.screen(state).text
        #expect(screen.contains("Client Secret of \"Weather IdP\"") && !screen.contains("s3cret"))
        #expect(screen.contains("••••••••••••"))
        let credentials = ConnectionCredentials(clientSecret: Secret("s3cret-value"), password: nil)
        #expect(Fixtures.press(&state, .enter) == [.validateSaved(id: id, generation: 2, credentials: credentials)])
        #expect(state.sessionSecrets[id] == credentials)
        // The next `v` sends it without asking.
        _ = Reducer.reduce(&state, .listValidationFinished(id: id, generation: 2, .failure(ValidationError("the server answered 400"))))
        #expect(state.sessionSecrets[id] == nil) // a wrong secret is asked for again
        #expect(Fixtures.press(&state, .character("v")) == [.validateSaved(id: id, generation: 3)])
    }

    /// A test-fire in server mode: the token step needs the secret; an empty answer skips the
    /// step (said so in the result), Esc cancels the whole test-fire.
    @Test func testFireAsksForTheSecretOrSkipsTheTokenStep() {
        var state = Self.serverState()
        _ = Reducer.reduce(&state, .loaded(Fixtures.snapshot))
        let command = Fixtures.snapshot.commands[0]
        _ = Fixtures.press(&state, .character("2"))
        let weather = state.list.visible.firstIndex { state.commands[$0].id == command.id }!
        state.list.selected = weather
        _ = Fixtures.press(&state, .character("r"))
        #expect(Fixtures.press(&state, .enter) == [.testFire(commandId: command.id, text: "")])
        let purpose = SecretPurpose.testFire(commandId: command.id, trigger: "weather", text: "")
        _ = Reducer.reduce(&state, .secretNeeded(connectionId: "conn1weather00000000000000", name: "Weather IdP", needsPassword: true, purpose: purpose))
        #expect(Render.screen(state).text.contains("Empty: skip the token step."))
        #expect(Fixtures.press(&state, .enter) == [.testFire(commandId: command.id, text: "", skipToken: true)])
        #expect(state.running == "weather")
        // Asked again (a new run), the password grant asks for both secrets, in turn.
        state.running = "weather"
        _ = Reducer.reduce(&state, .secretNeeded(connectionId: "conn1weather00000000000000", name: "Weather IdP", needsPassword: true, purpose: purpose))
        Fixtures.type(&state, "client")
        #expect(Fixtures.press(&state, .enter).isEmpty)
        #expect(Render.screen(state).text.contains("Password of \"Weather IdP\""))
        Fixtures.type(&state, "pw")
        let both = ConnectionCredentials(clientSecret: Secret("client"), password: Secret("pw"))
        #expect(Fixtures.press(&state, .enter) == [.testFire(commandId: command.id, text: "", credentials: both)])
        // Esc at the prompt cancels the test-fire.
        state.running = "weather"
        _ = Reducer.reduce(&state, .secretNeeded(connectionId: "conn1weather00000000000000", name: "Weather IdP", needsPassword: false, purpose: purpose))
        #expect(Fixtures.press(&state, .escape).isEmpty)
        #expect(state.overlay == nil && state.running == nil)
    }

    @Test(arguments: ScreenSnapshotTests.sizes) func snapshots(width: Int, height: Int) {
        var state = Self.serverState(width: width, height: height)
        _ = Reducer.reduce(&state, .loaded(StoreSnapshot(connections: [], commands: Fixtures.snapshot.commands, teams: [Fixtures.team],
                                                          problems: [.connections: Self.offProblem])))
        Snapshot.expect(state, named: "server-oauth-off-\(width)x\(height)")
        _ = Fixtures.press(&state, .character("h"))
        Snapshot.expect(state, named: "server-oauth-off-health-\(width)x\(height)")
        _ = Fixtures.press(&state, .escape)
        // A new command's Request URL there: no banner, no pointer to OAuth connections.
        _ = Fixtures.press(&state, .character("2"), .character("a"), .tab, .tab, .tab)
        Snapshot.expect(state, named: "server-oauth-off-command-url-\(width)x\(height)")
        _ = Fixtures.press(&state, .escape, .character("1"))
        _ = Fixtures.press(&state, .character("T"))
        _ = Reducer.reduce(&state, .teamsLoaded(.success([Fixtures.team, Team(id: "teamsales00000000000000000", name: "sales")])))
        Snapshot.expect(state, named: "team-picker-\(width)x\(height)")
        _ = Fixtures.press(&state, .escape)
        _ = Reducer.reduce(&state, .loaded(Fixtures.snapshot))
        _ = Fixtures.press(&state, .character("v"))
        _ = Reducer.reduce(&state, .secretNeeded(connectionId: "conn1weather00000000000000", name: "Weather IdP", needsPassword: false,
                                                 purpose: .validate(generation: 1)))
        Fixtures.type(&state, "typed")
        Snapshot.expect(state, named: "secret-prompt-\(width)x\(height)")
    }
}

@Suite("Fidelity snapshots")
struct FidelitySnapshotTests {
    /// Mattermost's "Setup Successful" page after a new connection, and a form whose values
    /// Mattermost accepts but are probably mistakes (warnings under the fields).
    @Test(arguments: ScreenSnapshotTests.sizes) func confirmPageAndWarnings(width: Int, height: Int) {
        var state = Fixtures.state(width: width, height: height)
        _ = Reducer.reduce(&state, .input(.key(.character("a"))))
        _ = Reducer.reduce(&state, .connectionSaved(Fixtures.snapshot.connections[0]))
        Snapshot.expect(state, named: "connection-setup-successful-\(width)x\(height)")
        var odd = Fixtures.state(width: width, height: height)
        _ = Fixtures.press(&odd, .character("2"), .character("a"))
        guard case .command(var editor)? = odd.editor else { Issue.record("no form"); return }
        editor.form.focus("url")
        odd.editor = .command(editor)
        Fixtures.type(&odd, "https://hooks.example.com:99999/a b")
        Snapshot.expect(odd, named: "command-form-warnings-\(width)x\(height)")
    }
}
