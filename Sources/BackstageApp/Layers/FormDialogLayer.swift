import TerminalKit

/// A question over the open form: save anyway, the audience change, discard, quit, or a save
/// that met another admin's change (conflict, deleted elsewhere). It is the top layer while open;
/// its answer goes to the form below (ItemForm's `formDialogKey`, written once for both kinds).
enum FormDialogLayer {
    static func key(_ state: inout AppState, _ dialog: FormDialog, _ key: Key) -> [Effect] {
        switch state.editor {
        case .connection(var editor)?:
            let effects = Reducer.formDialogKey(&state, &editor, dialog, key)
            if case .connection? = state.editor { state.editor = .connection(editor) } // unless it closed
            return effects
        case .command(var editor)?:
            let effects = Reducer.formDialogKey(&state, &editor, dialog, key)
            if case .command? = state.editor { state.editor = .command(editor) }
            return effects
        default:
            state.overlay = nil // no form under it any more: nothing to answer for
            return []
        }
    }

    static func keymap(_ dialog: FormDialog) -> AnyKeymapLines {
        switch dialog {
        case .conflict: return KeymapLines.conflict
        case .deletedElsewhere: return KeymapLines.deleted
        default: return KeymapLines.dialog
        }
    }

    static func draw(_ dialog: FormDialog, _ state: AppState, into buffer: inout Buffer) {
        let (title, message, buttons) = content(dialog, state)
        Widgets.dialog(title: title, message: message, buttons: buttons, in: buffer.bounds, glyphs: state.glyphs, into: &buffer)
    }

    private static func content(_ dialog: FormDialog, _ state: AppState) -> (String, [(String, Role)], [String]) {
        switch dialog {
        case .conflict, .deletedElsewhere:
            if let conflict = SaveConflict.dialog(dialog, state) { return conflict }
            return ("Changed by someone else", [("The stored version could not be read.", .dialog)],
                    [Keymaps.conflict.button("Cancel", .keepEditing)])
        case .saveAnyway:
            return ("Save Outgoing OAuth Connection",
                    [("This connection has not been validated, Do you want to save anyway?", .dialog)],
                    [Keymaps.dialog.button("Save anyway", .confirm), Keymaps.dialog.button("Cancel", .cancel)])
        case .audienceChange:
            var impact: [String] = []
            if case .connection(let editor)? = state.editor { impact = editor.impact }
            return ("Edit Outgoing OAuth Connection",
                    [("Your changes may break any existing integrations using this connection. Are you sure you would like to update it?", .dialog)]
                        + ImpactLines.of(impact),
                    [Keymaps.dialog.button("Update", .confirm), Keymaps.dialog.button("Cancel", .cancel)])
        case .discard:
            return ("Unsaved changes", [("Discard unsaved changes?", .dialog)],
                    [Keymaps.dialog.button("Discard", .confirm), Keymaps.dialog.button("Keep editing", .cancel)])
        case .quit:
            return ("Unsaved changes", [("Discard unsaved changes and quit?", .dialog)],
                    [Keymaps.dialog.button("Quit", .confirm), Keymaps.dialog.button("Keep editing", .cancel)])
        }
    }
}
