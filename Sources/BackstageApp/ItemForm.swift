import BackstageCore
import Foundation
import TerminalKit

/// One form over a kind of item. What both forms share — moving, leaving, Ctrl-C, the discard and
/// quit dialogs, saving, the conflict and deleted dialogs with Reload, Overwrite, Save as new —
/// is written here once; each kind supplies its fields, masks, rules, save and banner.
protocol ItemEditing: Sendable {
    associatedtype Item: Sendable & Equatable
    var form: FormState { get set }
    var original: Item? { get }
    var theirs: Item? { get set }
    var saving: Bool { get set }

    /// "connection", "slash command".
    static var kindName: String { get }
    /// The list the kind's items live in.
    static var tab: Tab { get }
    /// The loaded version of `item` (same id), nil when the last load did not find it.
    static func loaded(_ item: Item, in state: AppState) -> Item?
    static var keymap: Keymap<FormAction> { get }
    /// How dialogs name an item: `Payroll`, `/payslip`.
    static func displayName(_ item: Item) -> String
    /// The version a save is based on (`update_at`).
    static func updateAt(_ item: Item) -> Int64
    /// Who saved that version, when backstage knows (`--actor`, `backstage serve`).
    static func changedBy(_ item: Item) -> String?
    /// The labels of the fields that differ between two versions.
    static func changedFields(from: Item, to: Item) -> [String]
    var draftName: String { get }
    /// Whether a secret typed in the form goes with an Overwrite (said in the conflict dialog).
    static var hasSecrets: Bool { get }

    init(editing original: Item?)
    mutating func becomeNew()
    /// The kind's rules, its own dialogs and the save effect; `confirmed`: dialogs already answered yes.
    static func save(_ state: inout AppState, _ editor: inout Self, confirmed: Set<FormDialog>) -> [Effect]
    /// Saves over `theirs` (Overwrite).
    func overwrite(basedOn updateAt: Int64, at now: Date) -> Effect
    /// Reload left a fresh form: what it must do again (ask the banner, refresh notes).
    static func reloaded(_ state: inout AppState, _ editor: inout Self, from previous: Self) -> [Effect]
    /// Keys only this kind has (Validate, and Esc stopping a Validate); nil: not handled here.
    static func kindAction(_ state: inout AppState, _ editor: inout Self, _ action: FormAction) -> [Effect]?
    /// A field's text or choice changed.
    static func changed(_ state: inout AppState, _ editor: inout Self, field: String) -> [Effect]
    /// Enter on a button other than Save.
    static func pressed(_ state: inout AppState, _ editor: inout Self, button: String) -> [Effect]?
    /// Effects owed when the form is thrown away (a running Validate cancelled).
    var discardEffects: [Effect] { get }
}

extension ItemEditing {
    var name: String { original.map(Self.displayName) ?? draftName }
}

extension Reducer {
    /// Keys while a form has the keyboard (no dialog over it): its table, then the field.
    static func formKey<E: ItemEditing>(_ state: inout AppState, _ editor: inout E, _ key: Key) -> [Effect] {
        switch E.keymap.action(for: key) {
        case .save?: return E.save(&state, &editor, confirmed: [])
        case .leave?:
            if let effects = E.kindAction(&state, &editor, .leave) { return effects }
            if editor.form.dirty { state.push(.formDialog(.discard)) } else { state.editor = nil }
            return []
        case .next?: editor.form.move(1); return []
        case .previous?: editor.form.move(-1); return []
        case .forceQuit?: return interrupt(&state, dirty: editor.form.dirty)
        case .validate?: return E.kindAction(&state, &editor, .validate) ?? []
        case .reload?: return reloadUnderTheForm(&state)
        case nil: break
        }
        let (handled, changed) = editor.form.edit(key)
        var effects: [Effect] = []
        if let changed { effects = E.changed(&state, &editor, field: changed) }
        if handled { return effects }
        switch key {
        case .enter:
            let focused = editor.form.focused.id
            if focused == "save" { return E.save(&state, &editor, confirmed: []) }
            if let pressed = E.pressed(&state, &editor, button: focused) { return pressed }
            editor.form.move(1)
        case .down: editor.form.move(1)
        case .up: editor.form.move(-1)
        default: break
        }
        return effects
    }

    /// A form's dialog (on top of it) answered: Ctrl-C asks before unsaved edits are lost in any of them.
    static func formDialogKey<E: ItemEditing>(_ state: inout AppState, _ editor: inout E, _ dialog: FormDialog, _ key: Key) -> [Effect] {
        if dialogAnswer(dialog, key) == .interrupt { return interrupt(&state, dirty: editor.form.dirty) }
        if dialog == .conflict || dialog == .deletedElsewhere {
            guard let action = conflictAction(dialog, key) else { return [] }
            return conflictKey(&state, &editor, action)
        }
        guard let answer = dialogAnswer(dialog, key) else { return [] }
        state.overlay = nil
        guard answer == .yes else { return [] }
        switch dialog {
        case .conflict, .deletedElsewhere: return []
        case .quit: return quit(&state)
        case .discard:
            state.editor = nil
            return editor.discardEffects + [.load]
        case .saveAnyway: return E.save(&state, &editor, confirmed: [.saveAnyway])
        case .audienceChange: return E.save(&state, &editor, confirmed: [.saveAnyway, .audienceChange])
        }
    }

    /// Reload (theirs wins), Overwrite (mine wins), Save as new, Discard, or keep editing.
    static func conflictKey<E: ItemEditing>(_ state: inout AppState, _ editor: inout E, _ action: ConflictAction) -> [Effect] {
        let name = editor.name
        state.overlay = nil
        switch action {
        case .keepEditing: return []
        case .forceQuit: return quit(&state)
        case .reload:
            guard let theirs = editor.theirs else { return [] }
            let previous = editor
            editor = E(editing: theirs)
            state.status = StatusLine(text: "Reloaded “\(E.displayName(theirs))” as stored now; your edits were discarded", role: .warning)
            return E.reloaded(&state, &editor, from: previous)
        case .overwrite:
            guard let theirs = editor.theirs else { return [] }
            editor.saving = true
            return [editor.overwrite(basedOn: E.updateAt(theirs), at: state.now)]
        case .saveAsNew:
            editor.becomeNew()
            editor.form.heading = nil
            state.status = StatusLine(text: "Saving “\(name)” as a new \(E.kindName)", role: .muted)
            return E.save(&state, &editor, confirmed: [])
        case .discard:
            state.editor = nil
            state.status = StatusLine(text: "“\(name)” was deleted by someone else; your edits were discarded", role: .warning)
            return [.load]
        }
    }

    /// After a load: the form's item stored in another version, or gone, is said above the form
    /// before a save meets the conflict dialog. A list that could not be read tells nothing.
    static func noteChangesElsewhere<E: ItemEditing>(_ state: AppState, _ editor: inout E) {
        guard state.problems[E.tab] == nil, !editor.saving else { return }
        guard let original = editor.original else {
            editor.form.heading = nil
            return
        }
        switch E.loaded(original, in: state) {
        case nil:
            editor.form.heading = FormState.Note(text: SaveConflict.deletedNote, role: .warning)
        case let stored? where E.updateAt(stored) != E.updateAt(original):
            editor.form.heading = FormState.Note(text: SaveConflict.changedNote(at: E.updateAt(stored), by: E.changedBy(stored),
                                                                                changed: E.changedFields(from: original, to: stored)), role: .warning)
        default:
            editor.form.heading = nil
        }
    }

    /// The store refused an update: what it holds now (the conflict dialog), or that it is gone.
    static func conflictArrived<E: ItemEditing>(_ state: inout AppState, _ editor: inout E, stored: E.Item?, id: String?) {
        editor.saving = false
        editor.theirs = stored
        state.push(.formDialog(stored == nil ? .deletedElsewhere : .conflict))
        if stored == nil, let id { forget(&state, id: id) }
        state.status = nil
    }
}

extension SaveConflict {
    /// The conflict or deleted dialog over a form, with the fields that changed between what was
    /// opened and what is stored.
    static func dialog<E: ItemEditing>(_ dialog: FormDialog, _ editor: E) -> (title: String, message: [(String, Role)], buttons: [String])? {
        if dialog == .deletedElsewhere {
            return ("Deleted by someone else", deletedMessage(name: editor.name, kind: E.kindName), deletedButtons)
        }
        guard dialog == .conflict, let original = editor.original, let theirs = editor.theirs else { return nil }
        return ("Changed by someone else", changedMessage(name: editor.name, changed: E.changedFields(from: original, to: theirs), secrets: E.hasSecrets,
                                                              by: E.changedBy(theirs), at: E.updateAt(theirs)),
                changedButtons)
    }
}
