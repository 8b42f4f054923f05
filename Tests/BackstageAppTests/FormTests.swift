import BackstageCore
import Testing
@testable import BackstageApp
@testable import TerminalKit

@Suite("Forms")
struct FormTests {
    static func typeInto(_ state: inout AppState, _ text: String) {
        for character in text { _ = Reducer.reduce(&state, .input(.key(.character(character)))) }
    }

    /// Opens the add-connection form and fills it: name, client id, secret, token URL, audiences.
    static func filledConnectionForm(secret: String = "hunter2") -> AppState {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("a"))
        typeInto(&state, "Payroll")
        _ = Fixtures.press(&state, .tab)
        typeInto(&state, "payroll-client")
        _ = Fixtures.press(&state, .tab)
        typeInto(&state, secret)
        _ = Fixtures.press(&state, .tab)
        typeInto(&state, "https://idp.example.com/token")
        _ = Fixtures.press(&state, .tab, .tab) // past the Validate button
        typeInto(&state, "https://pay.example.com/*")
        return state
    }

    static func connectionEditor(_ state: AppState) -> ConnectionEditor? {
        if case .connection(let editor)? = state.editor { return editor }
        return nil
    }

    static func commandEditor(_ state: AppState) -> CommandEditor? {
        if case .command(let editor)? = state.editor { return editor }
        return nil
    }

    @Test func theSecretIsMaskedAndNeverDrawn() throws {
        let state = Self.filledConnectionForm(secret: "hunter2-secret")
        let editor = try #require(Self.connectionEditor(state))
        #expect(editor.draft.name == "Payroll")
        #expect(editor.draft.clientSecret?.revealForTransmission() == "hunter2-secret")
        #expect(editor.draft.audiences == ["https://pay.example.com/*"])
        let screen = Render.screen(state).text
        #expect(!screen.contains("hunter2"))
        #expect(screen.contains(String(repeating: "•", count: 14))) // one mask character per typed character
    }

    @Test func emptySaveShowsMattermostsMessagesUnderEachField() throws {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("a"))
        #expect(Fixtures.press(&state, .control("s")).isEmpty)
        let editor = try #require(Self.connectionEditor(state))
        #expect(editor.form.errors["name"] == "Name for the OAuth connection is required.")
        #expect(editor.form.errors["client_secret"] == "Client Secret for the OAuth connection is required.")
        #expect(editor.form.errors["audiences"] == "One or more audience URLs are required.")
        #expect(editor.form.focused.id == "name")
        #expect(Render.screen(state).text.contains("OAuth Token URL for the OAuth connection is required."))
    }

    @Test func savingUnvalidatedAsksFirst() throws {
        var state = Self.filledConnectionForm()
        #expect(Fixtures.press(&state, .control("s")).isEmpty)
        #expect(state.formDialog == .saveAnyway)
        #expect(Render.screen(state).text.contains("This connection has not been validated, Do you want to save anyway?"))
        #expect(Fixtures.press(&state, .character("n")).isEmpty)
        #expect(state.formDialog == nil)
        _ = Fixtures.press(&state, .control("s"))
        let effects = Fixtures.press(&state, .character("y"))
        guard case .saveConnection(let draft, nil, nil)? = effects.first else { Issue.record("expected a save, got \(effects)"); return }
        #expect(draft.name == "Payroll")
        _ = Reducer.reduce(&state, .connectionSaved(draft))
        // Mattermost's confirm page (confirm_integration.tsx): the Client ID, URLs, a masked secret; Enter leaves.
        #expect(state.editor == .connectionCreated(draft) && state.status?.text == "Saved Payroll")
        let page = Render.screen(state).text
        #expect(page.contains("Setup Successful") && page.contains("Your Outgoing OAuth 2.0 Connection is set up."))
        #expect(page.contains("Client Secret: ********") && page.contains("Audience URL(s): https://pay.example.com/*"))
        #expect(Fixtures.press(&state, .enter) == [.load])
        #expect(state.editor == nil)
    }

    @Test func validateRunsInTheBackgroundAndEditingMakesItDirtyAgain() throws {
        var state = Self.filledConnectionForm()
        let effects = Fixtures.press(&state, .control("t"))
        #expect(effects == [.validate(ValidationJob(generation: 1, draft: Self.connectionEditor(state)!.draft, storedId: nil))])
        #expect(Render.screen(state).text.contains("Validating... (Esc cancels)"))
        // Typing keeps working while it runs.
        _ = Fixtures.press(&state, .enter)
        Self.typeInto(&state, "https://pay2.example.com/")
        #expect(Self.connectionEditor(state)?.form.text("audiences") == "https://pay.example.com/*\nhttps://pay2.example.com/")
        _ = Reducer.reduce(&state, .validationFinished(generation: 1, .success("token_type Bearer")))
        #expect(Render.screen(state).text.contains("✓ Validated connection token_type Bearer"))
        // Then a save needs no dialog and records the validation.
        let save = Fixtures.press(&state, .control("s"))
        guard case .saveConnection(_, nil, let record?)? = save.first else { Issue.record("expected a save, got \(save)"); return }
        #expect(record.ok)
        // Editing the token URL makes it "not validated" again; a late result for old values is ignored.
        var again = Self.filledConnectionForm()
        _ = Fixtures.press(&again, .control("t"))
        again.editor = again.editor.map { editor in
            guard case .connection(var connection) = editor else { return editor }
            connection.form.focus("oauth_token_url")
            return .connection(connection)
        }
        Self.typeInto(&again, "2")
        #expect(Self.connectionEditor(again)?.validation == .dirty)
        _ = Reducer.reduce(&again, .validationFinished(generation: 1, .success("stale")))
        #expect(Self.connectionEditor(again)?.validation == .dirty)
    }

    @Test func escCancelsARunningValidateThenLeavesAfterAsking() {
        var state = Self.filledConnectionForm()
        _ = Fixtures.press(&state, .control("t"))
        #expect(Fixtures.press(&state, .escape) == [.cancelValidation])
        #expect(Self.connectionEditor(state)?.validation == .dirty)
        _ = Fixtures.press(&state, .escape)
        #expect(state.formDialog == .discard)
        _ = Fixtures.press(&state, .character("n"))
        #expect(state.editor != nil)
        _ = Fixtures.press(&state, .escape, .character("y"))
        #expect(state.editor == nil)
    }

    @Test func editingKeepsTheStoredSecretAndAsksBeforeChangingAudiences() throws {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .down, .character("e")) // Weather IdP
        var editor = try #require(Self.connectionEditor(state))
        #expect(editor.secretUnchanged)
        #expect(editor.draft.clientSecret == nil) // nil keeps the stored one
        #expect(Render.screen(state).text.contains("(unchanged)"))
        editor.form.focus("audiences")
        state.editor = .connection(editor)
        _ = Fixtures.press(&state, .end, .enter)
        Self.typeInto(&state, "https://weather2.example.com/")
        // Credentials untouched: no save-anyway dialog, but the audience change asks first.
        _ = Fixtures.press(&state, .control("s"))
        #expect(state.formDialog == .audienceChange)
        #expect(Render.screen(state).text.contains("Your changes may break any existing integrations using this"))
        let effects = Fixtures.press(&state, .character("y"))
        guard case .saveConnection(let draft, let basedOn?, _)? = effects.first else { Issue.record("expected a save, got \(effects)"); return }
        #expect(basedOn == 1_795_000_000_000)
        #expect(draft.clientSecret == nil)
    }

    @Test func duplicateAudiencesAreErrorsOverlapsAreWarnings() throws {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("a"))
        var editor = try #require(Self.connectionEditor(state))
        editor.form.focus("audiences")
        state.editor = .connection(editor)
        Self.typeInto(&state, "https://weather.example.com/*")
        #expect(Self.connectionEditor(state)?.form.errors["audiences"] == "There is already an outgoing oauth connection for the provided audience: https://weather.example.com/*")
        _ = Fixtures.press(&state, .control("u"))
        Self.typeInto(&state, "https://payroll.example.jp/api/v2/*")
        let notes = Self.connectionEditor(state)?.form.notes["audiences"] ?? []
        #expect(notes.contains { $0.role == .warning && $0.text.contains("also covers") })
    }

    @Test func theLiveBannerAnswersOnEveryKeystroke() throws {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("2"), .character("a"))
        var editor = try #require(Self.commandEditor(state))
        editor.form.focus("url")
        state.editor = .command(editor)
        var banners: [String] = []
        for character in "https://weather.example.com/x" {
            _ = Reducer.reduce(&state, .input(.key(.character(character))))
            banners.append(Self.commandEditor(state)?.form.notes["url"]?.first?.text ?? "")
        }
        #expect(banners[banners.count - 3] == "Not linked to an OAuth connection") // ".../"? not yet: "https://weather.example.com" then "/"
        #expect(banners.last == "Connected to \"Weather IdP\" (audience https://weather.example.com/*)")
        _ = Fixtures.press(&state, .control("u"))
        Self.typeInto(&state, "https://Weather.example.com/x")
        #expect(Self.commandEditor(state)?.form.notes["url"]?.last?.text.contains("Near miss") == true)
    }

    @Test func commandFormRulesAutocompleteAndTheConfirmPage() throws {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("2"), .character("a"))
        #expect(Self.commandEditor(state)?.form.fields.first { $0.id == "auto_complete_hint" }?.hidden == true)
        var editor = try #require(Self.commandEditor(state))
        editor.form.focus("auto_complete")
        state.editor = .command(editor)
        _ = Fixtures.press(&state, .character(" "))
        #expect(Self.commandEditor(state)?.form.fields.first { $0.id == "auto_complete_hint" }?.hidden == false)
        editor = try #require(Self.commandEditor(state))
        editor.form.setText("trigger", "/Weather")
        editor.form.setText("url", "https://x.example.com/")
        state.editor = .command(editor)
        _ = Fixtures.press(&state, .control("s"))
        #expect(Self.commandEditor(state)?.form.errors["trigger"] == SlashCommand.triggerInUseMessage)
        editor = try #require(Self.commandEditor(state))
        editor.form.setText("trigger", "new one")
        state.editor = .command(editor)
        _ = Fixtures.press(&state, .control("s"))
        #expect(Self.commandEditor(state)?.form.errors["trigger"] == "A trigger word must not contain spaces")
        editor = try #require(Self.commandEditor(state))
        editor.form.setText("trigger", "newone")
        state.editor = .command(editor)
        let effects = Fixtures.press(&state, .control("s"))
        guard case .saveCommand(let draft, nil)? = effects.first else { Issue.record("expected a save, got \(effects)"); return }
        var created = draft
        created.token = "abcdefghijklmnopqrstuvwxyz"
        _ = Reducer.reduce(&state, .commandSaved(created, created: true))
        #expect(Render.screen(state).text.contains("Setup Successful"))
        #expect(Render.screen(state).text.contains("Token: abcdefghijklmnopqrstuvwxyz"))
        #expect(Fixtures.press(&state, .enter) == [.load])
        #expect(state.editor == nil)
    }

    @Test func aPasteGoesInWholeAndIsCutVisiblyAtTheLimit() throws {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("a"))
        _ = Reducer.reduce(&state, .input(.paste(String(repeating: "n", count: 70))))
        let editor = try #require(Self.connectionEditor(state))
        #expect(editor.form.text("name").count == 64)
        #expect(Render.screen(state).text.contains("Cut to the limit of 64 characters"))
    }
}

@Suite("Quick checks from the lists")
struct QuickCheckTests {
    @Test func vValidatesInPlaceAndEscCancels() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .down)
        #expect(Fixtures.press(&state, .character("v")) == [.validateSaved(id: "conn1weather00000000000000", generation: 1)])
        #expect(state.status?.text == "Validating Weather IdP... (Esc cancels)")
        #expect(Reducer.reduce(&state, .listValidationFinished(id: "conn1weather00000000000000", generation: 1, .success("token_type Bearer"))) == [.load])
        #expect(state.status == StatusLine(text: "Validated connection Weather IdP: token_type Bearer", role: .success))
        _ = Fixtures.press(&state, .character("v"))
        #expect(Fixtures.press(&state, .escape) == [.cancelValidation])
        // A result that arrives after the cancel is ignored.
        #expect(Reducer.reduce(&state, .listValidationFinished(id: "conn1weather00000000000000", generation: 2, .failure(ValidationError("late")))).isEmpty)
        #expect(state.status?.text == "Cancelled")
    }

    @Test func rAsksForTheTextThenShowsTheResult() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("2"), .character("r"))
        guard case .runPrompt(let id, "deploy", _)? = state.overlay else { Issue.record("no prompt"); return }
        FormTests.typeInto(&state, "prod now")
        #expect(Fixtures.press(&state, .enter) == [.testFire(commandId: id, text: "prod now")])
        #expect(state.running == "deploy")
        _ = Reducer.reduce(&state, .testFired([StatusLine(text: "Response: 200 OK in 3 ms", role: .success)], ok: true))
        #expect(Render.screen(state).text.contains("Test-fire /deploy — OK"))
        #expect(Render.screen(state).text.contains("Response: 200 OK in 3 ms"))
        _ = Fixtures.press(&state, .escape)
        #expect(state.overlay == nil)
        _ = Fixtures.press(&state, .character("r"), .escape)
        #expect(state.overlay == nil && state.running == nil)
    }
}

@Suite("Busy and unsaved")
struct BusyAndUnsavedTests {
    @Test func ctrlCAsksFirstWhenAFormHasUnsavedChanges() {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("a"))
        _ = Fixtures.press(&state, .control("c"))
        #expect(state.quit) // nothing typed: quits at once
        var dirty = Fixtures.state()
        _ = Fixtures.press(&dirty, .character("a"))
        FormTests.typeInto(&dirty, "half-typed")
        _ = Fixtures.press(&dirty, .control("c"))
        #expect(!dirty.quit)
        #expect(Render.screen(dirty).text.contains("Discard unsaved changes and quit?"))
        _ = Fixtures.press(&dirty, .character("n"))
        #expect(!dirty.quit && dirty.editor != nil)
        _ = Fixtures.press(&dirty, .control("c"), .character("y"))
        #expect(dirty.quit)
    }

    @Test func theConfirmPageRegeneratesTheToken() {
        var state = Fixtures.state()
        let command = Fixtures.command("newone", url: "https://x.example.com/")
        state.editor = .commandCreated(command)
        #expect(Fixtures.press(&state, .character("r")) == [.regenerateToken(commandId: command.id)])
        var renewed = command
        renewed.token = "renewedtoken00000000000000"
        _ = Reducer.reduce(&state, .commandSaved(renewed, created: true))
        #expect(Render.screen(state).text.contains("Token: renewedtoken00000000000000"))
    }

    @Test func theSpinnerTurnsWhileWorkRunsAndTheRowSaysSo() {
        var state = Fixtures.state()
        #expect(!state.isBusy)
        _ = Fixtures.press(&state, .down, .character("v"))
        #expect(state.isBusy)
        let first = Render.screen(state).text
        #expect(first.contains("⠋ checking"))
        _ = Reducer.reduce(&state, .tick)
        #expect(Render.screen(state).text.contains("⠙ checking"))
        #expect(Render.screen(state).text.contains("⠙ Validating Weather IdP..."))
    }
}

@Suite("Server mode banner")
struct ServerBannerTests {
    @Test func theLocalAnswerIsAPreviewUntilTheServersLatestAnswerArrives() throws {
        var state = Fixtures.state()
        state.serverMode = true
        _ = Fixtures.press(&state, .character("2"), .character("a"))
        guard case .command(var editor)? = state.editor else { Issue.record("no form"); return }
        editor.form.focus("url")
        state.editor = .command(editor)
        var asked: [Effect] = []
        for character in "https://weather.example.com/x" {
            asked += Reducer.reduce(&state, .input(.key(.character(character))))
        }
        #expect(asked.count == 29)
        // Opening the form asked once (generation 1), then each keystroke.
        #expect(asked.last == .askBanner(url: "https://weather.example.com/x", generation: 30))
        let notes = { FormTests.commandEditor(state)?.form.notes["url"]?.map(\.text) ?? [] }
        let preview = notes()
        #expect(preview == ["Connected to \"Weather IdP\" (audience https://weather.example.com/*) (local preview)", "Asking the server..."])
        // An answer to an older question is dropped; the latest replaces the preview.
        _ = Reducer.reduce(&state, .bannerAnswered(generation: 29, .answered("Old")))
        #expect(notes() == preview)
        _ = Reducer.reduce(&state, .bannerAnswered(generation: 30, .answered("Weather IdP")))
        #expect(notes() == ["Connected to \"Weather IdP\" (the server says)"])
    }

    /// As in Mattermost's web form, an error answer means "not linked" (MattermostStore turns the
    /// server's 500 into nil), so the banner always settles; near misses stay, labelled a preview.
    @Test func theBannerAlwaysSettlesAndNearMissesStayAPreview() throws {
        var state = Fixtures.state()
        state.serverMode = true
        _ = Fixtures.press(&state, .character("2"), .character("a"))
        guard case .command(var editor)? = state.editor else { Issue.record("no form"); return }
        editor.form.focus("url")
        state.editor = .command(editor)
        var asked: [Effect] = []
        for character in "HTTPS://weather.example.com/x" { asked += Reducer.reduce(&state, .input(.key(.character(character)))) }
        guard case .askBanner(_, let generation)? = asked.last else { Issue.record("not asked"); return }
        let notes = { FormTests.commandEditor(state)?.form.notes["url"]?.map(\.text) ?? [] }
        _ = Reducer.reduce(&state, .bannerAnswered(generation: generation, .answered(nil)))
        #expect(notes().first == "Not linked to an OAuth connection (the server says)")
        #expect(notes().dropFirst().first?.hasPrefix("Near miss (local preview): this URL") == true)
        #expect(!notes().contains("Asking the server..."))
        // The server cannot be reached: the local answer stands, and says so.
        _ = Reducer.reduce(&state, .input(.key(.backspace)))
        _ = Reducer.reduce(&state, .bannerAnswered(generation: generation + 1, .unreachable("127.0.0.1 refused the connection on port 1")))
        #expect(notes().contains("The server could not be asked: 127.0.0.1 refused the connection on port 1"))
        #expect(!notes().contains("Asking the server..."))
    }

    /// Opening a command form in server mode asks the server at once (not only after a keystroke).
    @Test func openingAFormAsksTheServer() throws {
        var state = Fixtures.state()
        state.serverMode = true
        let effects = Fixtures.press(&state, .character("2"), .character("e"))
        guard case .askBanner(let url, _)? = effects.last else { Issue.record("not asked: \(effects)"); return }
        #expect(url == state.selectedCommand?.url)
        #expect(FormTests.commandEditor(state)?.form.notes["url"]?.contains { $0.text == "Asking the server..." } == true)
    }
}
