import BackstageCore
import Foundation
import TerminalKit

/// Keys and results while a form is open.
extension Reducer {
    static func openEditor(_ state: inout AppState, add: Bool) -> [Effect] {
        switch state.tab {
        case .connections:
            var editor = ConnectionEditor(editing: add ? nil : state.selectedConnection)
            editor.refreshAudienceNotes(matcher: state.matcher)
            state.editor = .connection(editor)
        case .commands:
            var editor = CommandEditor(editing: add ? nil : state.selectedCommand)
            if add { editor.teamId = state.team?.id ?? "" } // new commands go to the team shown
            let effects = askBanner(&state, &editor)
            state.editor = .command(editor)
            state.status = nil
            return effects
        }
        state.status = nil
        return []
    }

    static func editorKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        switch state.editor {
        case .connectionCreated?:
            return confirmPageKey(&state, Keymaps.connectionCreated.action(for: key), regenerate: nil)
        case .commandCreated(let command)?:
            return confirmPageKey(&state, Keymaps.commandCreated.action(for: key), regenerate: command.id)
        case .connection(var editor)?:
            let effects = formKey(&state, &editor, key)
            if case .connection? = state.editor { state.editor = .connection(editor) } // unless it closed
            return effects
        case .command(var editor)?:
            let effects = formKey(&state, &editor, key)
            if case .command? = state.editor { state.editor = .command(editor) }
            return effects
        case nil:
            return []
        }
    }

    /// "Setup Successful": Done goes back to the list; a command's token can be regenerated.
    static func confirmPageKey(_ state: inout AppState, _ action: ConfirmPageAction?, regenerate commandId: String?) -> [Effect] {
        switch action {
        case .done?:
            state.editor = nil
            return [.load]
        case .regenerate?: return commandId.map { [.regenerateToken(commandId: $0)] } ?? []
        case .forceQuit?: return quit(&state)
        case nil: return []
        }
    }

    /// A form's dialogs answered through their tables: yes, no, or Ctrl-C (which asks before
    /// losing unsaved edits, in any dialog). Nil: the key means nothing there.
    enum DialogAnswer { case yes, no, interrupt }

    static func dialogAnswer(_ dialog: FormDialog, _ key: Key) -> DialogAnswer? {
        switch dialog {
        case .conflict, .deletedElsewhere:
            return conflictAction(dialog, key) == .forceQuit ? .interrupt : nil
        default:
            switch Keymaps.dialog.action(for: key) {
            case .confirm?: return .yes
            case .cancel?: return .no
            case .forceQuit?: return .interrupt
            case nil: return nil
            }
        }
    }

    /// Ctrl-C asks first when the form holds unsaved changes.
    static func interrupt(_ state: inout AppState, dirty: Bool, dialog: inout FormDialog?) -> [Effect] {
        if dirty && dialog != .quit {
            dialog = .quit
            return []
        }
        return quit(&state)
    }

    static func validate(_ state: inout AppState, _ editor: inout ConnectionEditor) -> [Effect] {
        let draft = editor.draft
        // The same rules as saving, except the audiences: Mattermost validates without them.
        var probe = draft
        probe.audiences = ["https://validate.invalid/"]
        let problems = probe.validationErrors(hasStoredSecret: !editor.isNew, hasStoredPassword: editor.original?.grantType == .password)
        if !problems.isEmpty {
            show(problems, in: &editor.form, state: &state)
            return []
        }
        editor.generation += 1
        editor.validation = .validating(generation: editor.generation)
        editor.refreshValidationNote()
        let typedBefore = editor.original.flatMap { state.sessionSecrets[$0.id] } // server mode: typed at `v` this session
        return [.validate(ValidationJob(generation: editor.generation, draft: draft, storedId: editor.original?.id, sessionCredentials: typedBefore))]
    }

    static func saveConnection(_ state: inout AppState, _ editor: inout ConnectionEditor, confirmed: Set<FormDialog>) -> [Effect] {
        let draft = editor.draft
        let problems = draft.validationErrors(hasStoredSecret: !editor.isNew, hasStoredPassword: editor.original?.grantType == .password)
            + state.matcher.duplicateAudienceErrors(for: draft)
        if !problems.isEmpty {
            show(problems, in: &editor.form, state: &state)
            return []
        }
        if editor.needsSaveAnyway && !confirmed.contains(.saveAnyway) {
            editor.dialog = .saveAnyway
            return []
        }
        if editor.audiencesChanged && !confirmed.contains(.audienceChange) {
            editor.dialog = .audienceChange
            return []
        }
        editor.saving = true
        return [.saveConnection(draft, basedOn: editor.original?.updateAt, validated: validationRecord(editor.validation, at: state.now))]
    }

    /// The outcome of the form's Validate, recorded with the save (nil when it was not run).
    static func validationRecord(_ validation: ValidationStatus, at now: Date) -> ValidationRecord? {
        let at = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        switch validation {
        case .validated: return ValidationRecord(at: at, ok: true, message: "Validated connection")
        case .failed(let reason): return ValidationRecord(at: at, ok: false, message: reason)
        default: return nil
        }
    }

    /// Inline errors under each field at fault (the first per field), focus on the first.
    static func show(_ problems: [FieldError], in form: inout FormState, state: inout AppState) {
        form.errors = [:]
        // Form field ids are the JSON field names the rules report.
        for problem in problems where form.errors[problem.field] == nil {
            form.errors[problem.field] = problem.message
        }
        if let first = problems.first, form.fields.contains(where: { $0.id == first.field }) {
            form.focus(first.field)
        }
        state.status = StatusLine(text: problems.count == 1 ? "1 field needs attention" : "\(problems.count) fields need attention", role: .error)
    }

    /// The local answer at once; in server mode also the server's, after a pause in typing.
    static func askBanner(_ state: inout AppState, _ editor: inout CommandEditor) -> [Effect] {
        let asking = state.serverMode && !state.matcher.isEmpty
        editor.refreshBanner(matcher: state.matcher, server: asking ? .asking : nil)
        guard asking else { return [] }
        editor.bannerGeneration += 1
        return [.askBanner(url: editor.form.text("url"), generation: editor.bannerGeneration)]
    }

    static func saveCommand(_ state: inout AppState, _ editor: inout CommandEditor) -> [Effect] {
        let draft = editor.draft
        var problems = draft.validationErrors()
        let taken = state.commands.contains { $0.trigger == draft.trigger && $0.id != draft.id && (editor.original == nil || $0.teamId == editor.original?.teamId) }
        if taken && !problems.contains(where: { $0.field == "trigger" }) {
            problems.insert(FieldError("trigger", SlashCommand.triggerInUseMessage), at: 0)
        }
        if !problems.isEmpty {
            show(problems, in: &editor.form, state: &state)
            return []
        }
        editor.saving = true
        return [.saveCommand(draft, basedOn: editor.original?.updateAt)]
    }

    @discardableResult
    static func pasteIntoEditor(_ state: inout AppState, _ text: String) -> [Effect] {
        switch state.editor {
        case .connection(var editor)?:
            let effects = paste(&state, &editor, text)
            state.editor = .connection(editor)
            return effects
        case .command(var editor)?:
            let effects = paste(&state, &editor, text)
            state.editor = .command(editor)
            return effects
        default:
            return []
        }
    }

    private static func paste<E: ItemEditing>(_ state: inout AppState, _ editor: inout E, _ text: String) -> [Effect] {
        guard let changed = editor.form.paste(text) else { return [] }
        return E.changed(&state, &editor, field: changed)
    }

    /// The server's banner answer replaces the preview, if it answers the latest question.
    static func bannerAnswer(_ state: inout AppState, generation: Int, _ answer: Banner.ServerAnswer) {
        guard case .command(var editor)? = state.editor, editor.bannerGeneration == generation else { return }
        editor.refreshBanner(matcher: state.matcher, server: answer)
        state.editor = .command(editor)
    }

    /// Results of the form's effects.
    static func editorResult(_ state: inout AppState, _ msg: Msg) -> [Effect] {
        switch msg {
        case .validationFinished(let generation, let result):
            guard case .connection(var editor)? = state.editor, editor.validation == .validating(generation: generation) else { return [] }
            switch result {
            case .success(let details): editor.validation = .validated(details: details)
            case .failure(let error): editor.validation = .failed(reason: error.reason)
            }
            editor.refreshValidationNote()
            state.editor = .connection(editor)
        case .connectionSaved(let connection):
            let created: Bool
            if case .connection(let editor)? = state.editor { created = editor.isNew } else { created = false }
            state.editor = created ? .connectionCreated(connection) : nil
            state.selectAfterLoad = (.connections, connection.id)
            state.status = StatusLine(text: "Saved \(connection.name)", role: .success)
            return [.load]
        case .commandSaved(let command, let created):
            state.editor = created ? .commandCreated(command) : nil
            state.selectAfterLoad = (.commands, command.id)
            state.status = StatusLine(text: "Saved /\(command.trigger)", role: .success)
            return created ? [] : [.load]
        case .saveFailed(let problems, let message):
            switch state.editor {
            case .connection(var editor)?:
                editor.saving = false
                if !problems.isEmpty { show(problems, in: &editor.form, state: &state) }
                state.editor = .connection(editor)
            case .command(var editor)?:
                editor.saving = false
                if !problems.isEmpty { show(problems, in: &editor.form, state: &state) }
                state.editor = .command(editor)
            default: break
            }
            if let message { state.status = StatusLine(text: message, role: .error) }
        default:
            break
        }
        return []
    }
}
