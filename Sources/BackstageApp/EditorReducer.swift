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
            editor.offerOAuth(state.offersOAuth)
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
    static func interrupt(_ state: inout AppState, dirty: Bool) -> [Effect] {
        if dirty && state.formDialog != .quit {
            if state.formDialog != nil { state.overlay = nil } // the quit question replaces another
            state.push(.formDialog(.quit))
            return []
        }
        return quit(&state)
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
