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
        case .connection(let editor)?:
            let title = "Outgoing OAuth Connections › \(editor.isNew ? "Add" : "Edit")"
            var form = editor.form
            if case .validating = editor.validation {
                form.notes["validate"] = [FormState.Note("\(state.spinnerGlyph) Validating... (Esc cancels)", .muted)]
            }
            cursor = FormRender.draw(form, title: title, in: rect, glyphs: state.glyphs, mask: editor.mask, into: &buffer)
        case .command(let editor)?:
            let title = "Slash Commands › \(editor.original == nil ? "Add" : "Edit")"
            cursor = FormRender.draw(editor.form, title: title, in: rect, glyphs: state.glyphs, mask: { _ in nil }, into: &buffer)
        case .commandCreated(let command)?:
            confirmPage([
                ("Your slash command is set up. The following token will be sent in the outgoing payload. Please use it to verify the request came from your Mattermost team.", .normal),
                ("", .normal),
                ("Token: \(command.token)", .accent),
                ("", .normal),
                ("[ Done ]  (\(Keymaps.commandCreated.keyNames(for: .done)))     [ Regenerate Token ]  (\(Keymaps.commandCreated.keyNames(for: .regenerate)))", .selection),
            ], in: rect, into: &buffer)
        case .connectionCreated(let connection)?:
            // confirm_integration.tsx, type outgoing-oauth2-connections.
            confirmPage([
                ("Your Outgoing OAuth 2.0 Connection is set up. When a request is sent to one of the following Audience URLs, the Client ID and Client Secret will now be used to retrieve a token from the Token URL, before sending the integration request (details at Outgoing OAuth 2.0 Connections: https://mattermost.com/pl/outgoing-oauth-connections).", .normal),
                ("", .normal),
                ("Client ID: \(connection.clientId)", .accent),
                ("Client Secret: ********", .accent),
                ("Token URL: \(HTTPURL.maskingCredentials(connection.oauthTokenURL))", .accent),
                ("Audience URL(s): \(connection.audiences.map(HTTPURL.maskingCredentials).joined(separator: ", "))", .accent),
                ("", .normal),
                ("[ Done ]  (\(Keymaps.connectionCreated.keyNames(for: .done)))", .selection),
            ], in: rect, into: &buffer)
        case nil:
            break
        }
    }

    /// Mattermost's "Setup Successful" page after creating an integration.
    static func confirmPage(_ body: [(String, Role)], in rect: Rect, into buffer: inout Buffer) {
        var lines: [(String, Role)] = [("Setup Successful", .success), ("", .normal)] + body
        let rows = lines.reduce(0) { $0 + Widgets.wrap($1.0, width: rect.width - 4).count }
        if rows > rect.height - 1, body.count > 2 {
            // A small terminal: what was set up (the token, the URLs) comes before the explanation.
            lines = [("Setup Successful", .success)] + body.dropFirst(2) + [("", .normal), body[0]]
        }
        var y = rect.y + 1
        for (text, role) in lines {
            for line in Widgets.wrap(text, width: rect.width - 4) where y < rect.maxY {
                buffer.write(line, x: 2, y: y, role: role, limit: rect.width - 4)
                y += 1
            }
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
            Widgets.dialog(title: "Edit Outgoing OAuth Connection",
                           message: [("Your changes may break any existing integrations using this connection. Are you sure you would like to update it?", .dialog)],
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
        case .commandCreated: return [AnyKeymapLines(Keymaps.commandCreated)]
        case .connectionCreated: return [AnyKeymapLines(Keymaps.connectionCreated)]
        case .connection(let editor): return (editor.dialog.map { [dialogKeymap($0)] } ?? []) + [AnyKeymapLines(Keymaps.connectionForm)]
        case .command(let editor): return (editor.dialog.map { [dialogKeymap($0)] } ?? []) + [AnyKeymapLines(Keymaps.commandForm)]
        }
    }

    static func dialogKeymap(_ dialog: FormDialog) -> AnyKeymapLines {
        switch dialog {
        case .conflict: return AnyKeymapLines(Keymaps.conflict)
        case .deletedElsewhere: return AnyKeymapLines(Keymaps.deleted)
        default: return AnyKeymapLines(Keymaps.dialog)
        }
    }
}
