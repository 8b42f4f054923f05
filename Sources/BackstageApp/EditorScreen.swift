import BackstageCore
import TerminalKit

/// Draws the open form, its dialogs, and the confirm page.
enum EditorScreen {
    static func area(_ state: AppState) -> Rect { Rect(x: 0, y: Layout.titleRow, width: state.width, height: state.height - Layout.titleRow - 2) }

    static func dialogOpen(_ state: AppState) -> Bool {
        switch state.editor {
        case .connection(let editor)?: return editor.dialog != nil
        case .command(let editor)?: return editor.dialog != nil
        default: return false
        }
    }

    static func draw(_ state: AppState, into buffer: inout Buffer, cursor: inout (x: Int, y: Int)?) {
        let rect = area(state)
        switch state.editor {
        case .connection(let editor)?: cursor = editor.draw(state, in: rect, into: &buffer)
        case .command(let editor)?: cursor = editor.draw(state, in: rect, into: &buffer)
        case .commandCreated(let command)?: confirmPage(commandCreatedPage(command), in: rect, into: &buffer)
        case .connectionCreated(let connection)?: confirmPage(connectionCreatedPage(connection), in: rect, into: &buffer)
        case nil:
            break
        }
    }

    static func dialogs(_ state: AppState, into buffer: inout Buffer) {
        let dialog: FormDialog?
        switch state.editor {
        case .connection(let editor)?: dialog = editor.dialog
        case .command(let editor)?: dialog = editor.dialog
        default: dialog = nil
        }
        if let conflict = SaveConflict.dialog(state) {
            Widgets.dialog(title: conflict.title, message: conflict.message, buttons: conflict.buttons,
                           in: buffer.bounds, glyphs: state.glyphs, into: &buffer)
            return
        }
        switch dialog {
        case .conflict?, .deletedElsewhere?:
            break
        case .saveAnyway?:
            Widgets.dialog(title: "Save Outgoing OAuth Connection",
                           message: [("This connection has not been validated, Do you want to save anyway?", .dialog)],
                           buttons: [Keymaps.dialog.button("Save anyway", .confirm), Keymaps.dialog.button("Cancel", .cancel)], in: buffer.bounds, glyphs: state.glyphs, into: &buffer)
        case .audienceChange?:
            var impact: [String] = []
            if case .connection(let editor)? = state.editor { impact = editor.impact }
            Widgets.dialog(title: "Edit Outgoing OAuth Connection",
                           message: [("Your changes may break any existing integrations using this connection. Are you sure you would like to update it?", .dialog)]
                               + ImpactLines.of(impact),
                           buttons: [Keymaps.dialog.button("Update", .confirm), Keymaps.dialog.button("Cancel", .cancel)], in: buffer.bounds, glyphs: state.glyphs, into: &buffer)
        case .discard?:
            Widgets.dialog(title: "Unsaved changes", message: [("Discard unsaved changes?", .dialog)],
                           buttons: [Keymaps.dialog.button("Discard", .confirm), Keymaps.dialog.button("Keep editing", .cancel)], in: buffer.bounds, glyphs: state.glyphs, into: &buffer)
        case .quit?:
            Widgets.dialog(title: "Unsaved changes", message: [("Discard unsaved changes and quit?", .dialog)],
                           buttons: [Keymaps.dialog.button("Quit", .confirm), Keymaps.dialog.button("Keep editing", .cancel)], in: buffer.bounds, glyphs: state.glyphs, into: &buffer)
        case nil:
            break
        }
    }

    /// The tables of an open page, the one with the keyboard first (a form's dialog, then the form).
    static func keymaps(_ page: Editor) -> [AnyKeymapLines] {
        switch page {
        case .commandCreated: return [KeymapLines.commandCreated]
        case .connectionCreated: return [KeymapLines.connectionCreated]
        case .connection(let editor): return (editor.dialog.map { [dialogKeymap($0)] } ?? []) + [KeymapLines.connectionForm]
        case .command(let editor): return (editor.dialog.map { [dialogKeymap($0)] } ?? []) + [KeymapLines.commandForm]
        }
    }

    static func dialogKeymap(_ dialog: FormDialog) -> AnyKeymapLines {
        switch dialog {
        case .conflict: return KeymapLines.conflict
        case .deletedElsewhere: return KeymapLines.deleted
        default: return KeymapLines.dialog
        }
    }
}
