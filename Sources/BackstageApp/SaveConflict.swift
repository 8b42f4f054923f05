import BackstageCore
import TerminalKit

/// A save that met another admin's change: the dialog's words, and what each choice does, for
/// both forms. Nothing is lost silently: their version is only replaced by Overwrite, mine only
/// discarded by Reload or Discard, and the default (Esc) keeps the form as it was.
enum SaveConflict {
    /// The conflict dialog's lines: what changed, and who wins with each choice.
    static func changedMessage(name: String, changed: [String], secrets: Bool) -> [(String, Role)] {
        var lines: [(String, Role)] = [("“\(TerminalText.sanitized(name))” was changed by someone else since you opened it.", .dialog)]
        lines.append(changed.isEmpty
            ? ("No field you can see differs (they may have changed a secret).", .dialog)
            : ("They changed: \(changed.joined(separator: ", ")).", .dialog))
        lines.append(("Reload: theirs wins; your edits are discarded and the stored version is loaded.", .muted))
        lines.append(("Overwrite: yours wins; your version replaces theirs" + (secrets ? ", a secret you typed included (an untouched one stays as stored)." : "."), .muted))
        lines.append(("Cancel: back to your edits; nothing is saved or lost.", .muted))
        return lines
    }

    static func deletedMessage(name: String, kind: String) -> [(String, Role)] {
        [("“\(TerminalText.sanitized(name))” was deleted by someone else since you opened it.", .dialog),
         ("Save as new: your version is saved as a new \(kind).", .muted),
         ("Discard: your edits are dropped.", .muted),
         ("Cancel: back to your edits; nothing is saved or lost.", .muted)]
    }
}

extension SaveConflict {
    /// The dialog over a form, with the fields that changed between what was opened and what is stored.
    static func dialog(_ state: AppState) -> (title: String, message: [(String, Role)], buttons: [String])? {
        switch state.editor {
        case .connection(let editor)?:
            let name = editor.original?.name ?? editor.draft.name
            if editor.dialog == .deletedElsewhere {
                return ("Deleted by someone else", SaveConflict.deletedMessage(name: name, kind: "connection"), deletedButtons)
            }
            guard editor.dialog == .conflict, let original = editor.original, let theirs = editor.theirs else { return nil }
            let changed = ConnectionEditor(editing: original).form.labelsOfChangedFields(comparedTo: ConnectionEditor(editing: theirs).form)
            return ("Changed by someone else", SaveConflict.changedMessage(name: name, changed: changed, secrets: true), changedButtons)
        case .command(let editor)?:
            let name = "/" + (editor.original?.trigger ?? editor.draft.trigger)
            if editor.dialog == .deletedElsewhere {
                return ("Deleted by someone else", SaveConflict.deletedMessage(name: name, kind: "slash command"), deletedButtons)
            }
            guard editor.dialog == .conflict, let original = editor.original, let theirs = editor.theirs else { return nil }
            let changed = CommandEditor(editing: original).form.labelsOfChangedFields(comparedTo: CommandEditor(editing: theirs).form)
            return ("Changed by someone else", SaveConflict.changedMessage(name: name, changed: changed, secrets: false), changedButtons)
        default:
            return nil
        }
    }

    static let changedButtons = [Keymaps.conflict.button("Reload", .reload), Keymaps.conflict.button("Overwrite", .overwrite),
                                 Keymaps.conflict.button("Cancel", .keepEditing)]
    static let deletedButtons = [Keymaps.deleted.button("Save as new", .saveAsNew), Keymaps.deleted.button("Discard", .discard),
                                 Keymaps.deleted.button("Cancel", .keepEditing)]
}

extension Reducer {
    /// The store refused an update: show what it holds now, or that it is gone.
    static func conflictArrived(_ state: inout AppState, _ msg: Msg) -> [Effect] {
        switch (msg, state.editor) {
        case (.connectionConflict(let stored), .connection(var editor)?):
            editor.saving = false
            editor.theirs = stored
            editor.dialog = stored == nil ? .deletedElsewhere : .conflict
            if stored == nil, let id = editor.original?.id { forget(&state, id: id) }
            state.editor = .connection(editor)
        case (.commandConflict(let stored), .command(var editor)?):
            editor.saving = false
            editor.theirs = stored
            editor.dialog = stored == nil ? .deletedElsewhere : .conflict
            if stored == nil, let id = editor.original?.id { forget(&state, id: id) }
            state.editor = .command(editor)
        default:
            return []
        }
        state.status = nil
        return [.load]
    }

    /// Drops a row the store says is gone at once (the reload follows), so its audiences or
    /// trigger do not count as taken when the form is saved as new.
    static func forget(_ state: inout AppState, id: String) {
        let teams = state.teamNames.map { Team(id: $0.key, name: $0.value) }
        load(&state, StoreSnapshot(connections: state.connections.filter { $0.id != id },
                                   commands: state.commands.filter { $0.id != id }, teams: teams))
    }

    static func conflictAction(_ dialog: FormDialog, _ key: Key) -> ConflictAction? {
        switch dialog {
        case .conflict: return Keymaps.conflict.action(for: key)
        case .deletedElsewhere: return Keymaps.deleted.action(for: key)
        default: return nil
        }
    }

    static func connectionConflictKey(_ state: inout AppState, _ editor: inout ConnectionEditor, _ action: ConflictAction) -> [Effect] {
        let name = editor.original?.name ?? editor.draft.name
        editor.dialog = nil
        switch action {
        case .keepEditing: return []
        case .forceQuit: return quit(&state)
        case .reload:
            guard let theirs = editor.theirs else { return [] }
            editor = ConnectionEditor(editing: theirs)
            editor.refreshAudienceNotes(matcher: state.matcher)
            state.status = StatusLine(text: "Reloaded “\(TerminalText.sanitized(theirs.name))” as stored now; your edits were discarded", role: .warning)
            return []
        case .overwrite:
            guard let theirs = editor.theirs else { return [] }
            editor.saving = true
            return [.saveConnection(editor.draft, basedOn: theirs.updateAt, validated: validationRecord(editor.validation))]
        case .saveAsNew:
            editor.becomeNew()
            state.status = StatusLine(text: "Saving “\(TerminalText.sanitized(name))” as a new connection", role: .muted)
            return saveConnection(&state, &editor, confirmed: [])
        case .discard:
            state.editor = nil
            state.status = StatusLine(text: "“\(TerminalText.sanitized(name))” was deleted by someone else; your edits were discarded", role: .warning)
            return [.load]
        }
    }

    static func commandConflictKey(_ state: inout AppState, _ editor: inout CommandEditor, _ action: ConflictAction) -> [Effect] {
        let name = "/" + (editor.original?.trigger ?? editor.draft.trigger)
        editor.dialog = nil
        switch action {
        case .keepEditing: return []
        case .forceQuit: return quit(&state)
        case .reload:
            guard let theirs = editor.theirs else { return [] }
            let generation = editor.bannerGeneration // answers to the old form's questions stay stale
            editor = CommandEditor(editing: theirs)
            editor.bannerGeneration = generation
            state.status = StatusLine(text: "Reloaded “/\(TerminalText.sanitized(theirs.trigger))” as stored now; your edits were discarded", role: .warning)
            return askBanner(&state, &editor)
        case .overwrite:
            guard let theirs = editor.theirs else { return [] }
            editor.saving = true
            return [.saveCommand(editor.draft, basedOn: theirs.updateAt)]
        case .saveAsNew:
            editor.becomeNew()
            state.status = StatusLine(text: "Saving “\(TerminalText.sanitized(name))” as a new command", role: .muted)
            return saveCommand(&state, &editor)
        case .discard:
            state.editor = nil
            state.status = StatusLine(text: "“\(TerminalText.sanitized(name))” was deleted by someone else; your edits were discarded", role: .warning)
            return [.load]
        }
    }
}
