import BackstageCore
import TerminalKit

/// A save that met another admin's change: the dialog's words, and what each choice does, for
/// both forms. Nothing is lost silently: their version is only replaced by Overwrite, mine only
/// discarded by Reload or Discard, and the default (Esc) keeps the form as it was.
enum SaveConflict {
    /// The conflict dialog's lines: what changed, and who wins with each choice.
    static func changedMessage(name: String, changed: [String], secrets: Bool, by changer: String?, at updateAt: Int64) -> [(String, Role)] {
        let who = changer.map { "\($0) at \(Milliseconds.timeOfDay(updateAt))" } ?? "someone else"
        var lines: [(String, Role)] = [("“\(name)” was changed by \(who) since you opened it.", .dialog)]
        lines.append(changed.isEmpty
            ? ("No field you can see differs (they may have changed a secret).", .dialog)
            : ("They changed: \(changed.concatenated(separator: ", ")).", .dialog))
        lines.append(("Reload: theirs wins; your edits are discarded and the stored version is loaded.", .muted))
        lines.append(("Overwrite: yours wins; your version replaces theirs" + (secrets ? ", a secret you typed included (an untouched one stays as stored)." : "."), .muted))
        lines.append(("Cancel: back to your edits; nothing is saved or lost.", .muted))
        return lines
    }

    /// Above an open form whose item a load found changed: the save will meet the dialog above.
    static func changedNote(at updateAt: Int64, by changer: String?, changed: [String]) -> String {
        let fields = changed.isEmpty ? "" : " (\(changed.concatenated(separator: ", ")))"
        let who = changer.map { " by \($0)" } ?? " elsewhere"
        return "Changed\(who) at \(Milliseconds.timeOfDay(updateAt)) since you opened it\(fields); saving will ask what to keep"
    }

    static let deletedNote = "Deleted elsewhere since you opened it; saving will ask what to keep"

    static func deletedMessage(name: String, kind: String) -> [(String, Role)] {
        [("“\(name)” was deleted by someone else since you opened it.", .dialog),
         ("Save as new: your version is saved as a new \(kind).", .muted),
         ("Discard: your edits are dropped.", .muted),
         ("Cancel: back to your edits; nothing is saved or lost.", .muted)]
    }
}

extension SaveConflict {
    /// The conflict or deleted dialog over the open form, if `dialog` is one of these.
    static func dialog(_ dialog: FormDialog, _ state: AppState) -> (title: String, message: [(String, Role)], buttons: [String])? {
        switch state.editor {
        case .connection(let editor)?: return Self.dialog(dialog, editor)
        case .command(let editor)?: return Self.dialog(dialog, editor)
        default: return nil
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
            conflictArrived(&state, &editor, stored: stored, id: editor.original?.id)
            state.editor = .connection(editor)
        case (.commandConflict(let stored), .command(var editor)?):
            conflictArrived(&state, &editor, stored: stored, id: editor.original?.id)
            state.editor = .command(editor)
        default:
            return []
        }
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
}
