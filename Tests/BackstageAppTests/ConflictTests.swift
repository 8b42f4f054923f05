import BackstageCore
import Testing
@testable import BackstageApp
@testable import TerminalKit

/// A save that meets another admin's change: the dialog, and Reload / Overwrite / Cancel / Save as new.
@Suite("Save conflicts")
struct ConflictTests {
    /// The Weather IdP connection opened, its name edited, a new secret typed when asked, and saved.
    static func editedConnection(secret: String? = nil) throws -> (AppState, OutgoingOAuthConnection) {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .down, .character("e")) // Weather IdP
        let opened = try #require(FormTests.connectionEditor(state)?.original)
        _ = Fixtures.press(&state, .end)
        FormTests.typeInto(&state, " (mine)")
        if let secret {
            _ = Fixtures.press(&state, .tab, .tab)
            FormTests.typeInto(&state, secret)
            // A typed secret makes it unvalidated: answer the save-anyway dialog.
            _ = Fixtures.press(&state, .control("s"))
            _ = Fixtures.press(&state, .character("y"))
        } else {
            let effects = Fixtures.press(&state, .control("s"))
            #expect(effects.count == 1)
        }
        return (state, opened)
    }

    static func theirs(_ opened: OutgoingOAuthConnection) -> OutgoingOAuthConnection {
        var theirs = opened
        theirs.name = "Weather (theirs)"
        theirs.audiences = ["https://weather.example.com/v2/*"]
        theirs.updateAt = opened.updateAt + 5_000
        return theirs
    }

    @Test func aConflictShowsWhatChangedAndWhoWins() throws {
        var (state, opened) = try Self.editedConnection()
        let effects = Reducer.reduce(&state, .connectionConflict(stored: Self.theirs(opened)))
        #expect(effects == [.load])
        let editor = try #require(FormTests.connectionEditor(state))
        #expect(state.formDialog == .conflict)
        #expect(!editor.saving)
        let screen = Render.screen(state).text
        #expect(screen.contains("“Weather IdP” was changed by someone else since you opened it."))
        #expect(screen.contains("They changed: Name, Audience URLs (One Per Line)."))
        #expect(screen.contains("[ Reload (r) ]  [ Overwrite (o) ]  [ Cancel (n) ]"))
        #expect(screen.contains("r reload theirs"))
        // Keys outside the dialog's keymap do nothing, Enter included: no side wins by reflex.
        #expect(Fixtures.press(&state, .enter, .character("y"), .control("s")).isEmpty)
        #expect(state.formDialog == .conflict)
    }

    @Test func cancelKeepsEditingWithNothingLost() throws {
        var (state, opened) = try Self.editedConnection()
        _ = Reducer.reduce(&state, .connectionConflict(stored: Self.theirs(opened)))
        #expect(Fixtures.press(&state, .escape).isEmpty)
        let editor = try #require(FormTests.connectionEditor(state))
        #expect(state.formDialog == nil)
        #expect(editor.draft.name == "Weather IdP (mine)")
        #expect(editor.form.dirty)
    }

    @Test func reloadDiscardsMyEditsAndLoadsTheStoredVersion() throws {
        var (state, opened) = try Self.editedConnection()
        let theirs = Self.theirs(opened)
        _ = Reducer.reduce(&state, .connectionConflict(stored: theirs))
        #expect(Fixtures.press(&state, .character("r")).isEmpty)
        let editor = try #require(FormTests.connectionEditor(state))
        #expect(state.formDialog == nil)
        #expect(editor.original == theirs)
        #expect(editor.draft.name == "Weather (theirs)")
        #expect(editor.draft.audiences == ["https://weather.example.com/v2/*"])
        #expect(!editor.form.dirty)
        #expect(state.status?.text == "Reloaded “Weather (theirs)” as stored now; your edits were discarded")
        // The next save is based on their version.
        _ = Fixtures.press(&state, .end)
        FormTests.typeInto(&state, "!")
        let effects = Fixtures.press(&state, .control("s"))
        guard case .saveConnection(_, let basedOn?, _)? = effects.first else { Issue.record("expected a save, got \(effects)"); return }
        #expect(basedOn == theirs.updateAt)
    }

    @Test func overwriteRetriesOnTheirVersionKeepingAnUntouchedSecretUnchanged() throws {
        var (state, opened) = try Self.editedConnection()
        let theirs = Self.theirs(opened)
        _ = Reducer.reduce(&state, .connectionConflict(stored: theirs))
        let effects = Fixtures.press(&state, .character("o"))
        guard case .saveConnection(let draft, let basedOn?, _)? = effects.first, effects.count == 1 else {
            Issue.record("expected one save, got \(effects)"); return
        }
        #expect(basedOn == theirs.updateAt)
        #expect(draft.id == opened.id)
        #expect(draft.name == "Weather IdP (mine)")
        #expect(draft.audiences == opened.audiences)
        #expect(draft.clientSecret == nil) // nil keeps the stored secret
        #expect(FormTests.connectionEditor(state)?.saving == true)
    }

    @Test func overwriteKeepsASecretTypedInTheForm() throws {
        var (state, opened) = try Self.editedConnection(secret: "new-secret-42")
        _ = Reducer.reduce(&state, .connectionConflict(stored: Self.theirs(opened)))
        #expect(!Render.screen(state).text.contains("new-secret-42"))
        let effects = Fixtures.press(&state, .character("o"))
        guard case .saveConnection(let draft, _, _)? = effects.first else { Issue.record("expected a save, got \(effects)"); return }
        #expect(draft.clientSecret?.revealForTransmission() == "new-secret-42")
    }

    @Test func aDeletedConnectionCanBeSavedAsNewWithItsSecretTypedAgain() throws {
        var (state, opened) = try Self.editedConnection()
        _ = Reducer.reduce(&state, .connectionConflict(stored: nil))
        #expect(state.formDialog == .deletedElsewhere)
        // The row is gone from the list at once, so its audiences are not "taken" by itself.
        #expect(!state.connections.contains { $0.id == opened.id })
        let screen = Render.screen(state).text
        #expect(screen.contains("“Weather IdP” was deleted by someone else since you opened it."))
        #expect(screen.contains("[ Save as new (s) ]  [ Discard (d) ]  [ Cancel (n) ]"))
        // The stored secret went with it: saving as new asks for it under its field.
        #expect(Fixtures.press(&state, .character("s")).isEmpty)
        var editor = try #require(FormTests.connectionEditor(state))
        #expect(editor.isNew)
        #expect(editor.form.errors["client_secret"] == "Client Secret for the OAuth connection is required.")
        #expect(editor.draft.name == "Weather IdP (mine)")
        editor.form.focus("client_secret")
        state.editor = .connection(editor)
        FormTests.typeInto(&state, "typed-again")
        _ = Fixtures.press(&state, .control("s"))
        let effects = Fixtures.press(&state, .character("y")) // save anyway: a new connection is not validated
        guard case .saveConnection(let draft, nil, _)? = effects.first else { Issue.record("expected a create, got \(effects)"); return }
        #expect(draft.name == "Weather IdP (mine)")
        #expect(draft.clientSecret?.revealForTransmission() == "typed-again")
    }

    @Test func aDeletedConnectionCanBeDiscarded() throws {
        var (state, _) = try Self.editedConnection()
        _ = Reducer.reduce(&state, .connectionConflict(stored: nil))
        #expect(Fixtures.press(&state, .character("d")) == [.load])
        #expect(state.editor == nil)
        #expect(state.status?.text == "“Weather IdP” was deleted by someone else; your edits were discarded")
    }

    /// The slash command form behaves the same way.
    static func editedCommand() throws -> (AppState, SlashCommand) {
        var state = Fixtures.state()
        _ = Fixtures.press(&state, .character("2"))
        let opened = try #require(state.selectedCommand)
        _ = Fixtures.press(&state, .character("e"), .end)
        FormTests.typeInto(&state, " (mine)")
        let effects = Fixtures.press(&state, .control("s"))
        #expect(effects.count == 1)
        return (state, opened)
    }

    @Test func commandConflictReloadAndOverwrite() throws {
        var (state, opened) = try Self.editedCommand()
        var theirs = opened
        theirs.url = "https://elsewhere.example.com/slash"
        theirs.method = .get
        theirs.updateAt += 7
        _ = Reducer.reduce(&state, .commandConflict(stored: theirs))
        let screen = Render.screen(state).text
        #expect(screen.contains("“/\(opened.trigger)” was changed by someone else since you opened it."))
        #expect(screen.contains("They changed: Request URL, Request Method."))
        let effects = Fixtures.press(&state, .character("o"))
        guard case .saveCommand(let draft, let basedOn?)? = effects.first else { Issue.record("expected a save, got \(effects)"); return }
        #expect(basedOn == theirs.updateAt)
        #expect(draft.displayName == opened.displayName + " (mine)")
        #expect(draft.url == opened.url)

        _ = Reducer.reduce(&state, .commandConflict(stored: theirs))
        _ = Fixtures.press(&state, .character("r"))
        let editor = try #require(FormTests.commandEditor(state))
        #expect(editor.draft.url == "https://elsewhere.example.com/slash")
        #expect(editor.draft.displayName == opened.displayName)
    }

    @Test func aDeletedCommandIsSavedAsNewInItsTeam() throws {
        var (state, opened) = try Self.editedCommand()
        _ = Reducer.reduce(&state, .commandConflict(stored: nil))
        #expect(Render.screen(state).text.contains("“/\(opened.trigger)” was deleted by someone else since you opened it."))
        // Its trigger is free again: the deleted row no longer counts as taking it.
        let effects = Fixtures.press(&state, .character("s"))
        guard case .saveCommand(let draft, nil)? = effects.first else { Issue.record("expected a create, got \(effects)"); return }
        #expect(draft.id.isEmpty)
        #expect(draft.teamId == opened.teamId)
        #expect(draft.trigger == opened.trigger)
    }
}
