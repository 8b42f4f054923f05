import TerminalKit

/// An overlay is the top layer while it is open: each kind lives in its own file (its table, its
/// keys, its view); this is the one place that routes to them. A new dialog is a case here and a file.
extension Overlay {
    func key(_ state: inout AppState, _ key: Key) -> [Effect] {
        switch self {
        case .help: return HelpLayer.key(&state, key)
        case .messageLog: return MessageLogLayer.key(&state, key)
        case .health: return HealthLayer.key(&state, key)
        case .confirmDelete(let target): return DeleteLayer.key(&state, target, key)
        case .runPrompt(let id, let trigger, let text): return RunPromptLayer.key(&state, id: id, trigger: trigger, text: text, key)
        case .runResult: return RunResultLayer.key(&state, key)
        case .teamPicker(let teams, let selected): return TeamPickerLayer.key(&state, teams: teams, selected: selected, key)
        case .secretPrompt(let prompt): return SecretPromptLayer.key(&state, prompt, key)
        case .formDialog(let dialog): return FormDialogLayer.key(&state, dialog, key)
        }
    }

    /// A bracketed paste goes into the overlay's text field, if it has one.
    func paste(_ state: inout AppState, _ text: String) -> [Effect] {
        switch self {
        case .runPrompt(let id, let trigger, var field):
            field.insert(text)
            state.overlay = .runPrompt(commandId: id, trigger: trigger, text: field)
        case .secretPrompt(var prompt):
            prompt.field.insert(text)
            state.overlay = .secretPrompt(prompt)
        default: break
        }
        return []
    }

    /// Draws the overlay over the screen; where the cursor goes, if it has a text field.
    func draw(_ state: AppState, into buffer: inout Buffer) -> (x: Int, y: Int)? {
        switch self {
        case .help: HelpLayer.draw(state, into: &buffer)
        case .messageLog: MessageLogLayer.draw(state, into: &buffer)
        case .health: HealthLayer.draw(state, into: &buffer)
        case .confirmDelete(let target): DeleteLayer.draw(target, state, into: &buffer)
        case .runPrompt(_, let trigger, let text): return RunPromptLayer.draw(trigger: trigger, text: text, state, into: &buffer)
        case .runResult(let title, let lines): RunResultLayer.draw(title: title, lines: lines, state, into: &buffer)
        case .teamPicker(let teams, let selected): TeamPickerLayer.draw(teams, selected: selected, state, into: &buffer)
        case .secretPrompt(let prompt): return SecretPromptLayer.draw(prompt, state, into: &buffer)
        case .formDialog(let dialog): FormDialogLayer.draw(dialog, state, into: &buffer)
        }
        return nil
    }

    /// The table of keys while it is on top: the hint bar and the help read it.
    var keymap: AnyKeymapLines {
        switch self {
        case .help: return KeymapLines.help
        case .messageLog: return KeymapLines.log
        case .health: return KeymapLines.health
        case .confirmDelete: return KeymapLines.dialog
        case .runPrompt: return KeymapLines.prompt
        case .runResult: return KeymapLines.result
        case .teamPicker: return KeymapLines.picker
        case .secretPrompt: return KeymapLines.prompt
        case .formDialog(let dialog): return FormDialogLayer.keymap(dialog)
        }
    }

    var hints: [(keys: String, label: String)] { keymap.barItems }

    /// Prompts hold a text field, whose Alt word motions are live.
    var hasTextField: Bool {
        switch self {
        case .runPrompt, .secretPrompt: return true
        default: return false
        }
    }
}
