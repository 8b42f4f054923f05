import BackstageCore
import TerminalKit

/// The console notices changes made elsewhere (the CLI, another admin): a timed refresh
/// (`StoreWatcher`) or F5 reads the store again; the lists keep their selection (by id) and filter,
/// an open form's banner and audience notes are worked out again, and a form whose item changed
/// or went away says so before its save meets the conflict dialog.
extension Reducer {
    static let reloadingUnderTheForm = "Reloading the store; your edits stay..."
    static let reloadedUnderTheForm = "Reloaded the store; your edits stay"
    static let refreshFailedPrefix = "Could not refresh"

    /// F5 in a list: read the store again, unless a reload is already on its way.
    static func reload(_ state: inout AppState) -> [Effect] {
        guard !state.loading else { return [] }
        state.loading = true
        return [.load]
    }

    /// F5 in a form: the lists behind it, the banner and the notes are read again; the form keeps
    /// what was typed.
    static func reloadUnderTheForm(_ state: inout AppState) -> [Effect] {
        let effects = reload(&state)
        state.status = StatusLine(text: reloadingUnderTheForm, role: .muted)
        return effects
    }

    /// A timed refresh's reading. Nothing changed: nothing to do (a server's banner is not asked
    /// again every few seconds). A list that could be read before and not now keeps its rows and
    /// says so: a passing failure does not empty the screen (F5 shows the failure itself).
    static func refreshed(_ state: inout AppState, _ snapshot: StoreSnapshot) -> [Effect] {
        if let failed = snapshot.problems.first(where: { state.problems[$0.key] == nil }) {
            let list = failed.key == .connections ? "connections" : "commands"
            state.status = StatusLine(text: "\(refreshFailedPrefix) the \(list): \(TerminalText.sanitized(failed.value.text)); showing them as read before (F5 tries now)",
                                      role: .warning)
            return []
        }
        if state.status?.text.hasPrefix(refreshFailedPrefix) == true { state.status = nil }
        if holdsTheSame(state, snapshot) {
            noteChangesUnderTheForm(&state) // a form that was saving when the change came hears of it now
            return []
        }
        return load(&state, snapshot)
    }

    /// Whether the loaded lists already show what `snapshot` holds (order aside).
    static func holdsTheSame(_ state: AppState, _ snapshot: StoreSnapshot) -> Bool {
        let team = state.team?.id
        let commands = snapshot.commands.filter { team == nil || $0.teamId == team }
        guard snapshot.problems == state.problems, snapshot.connections.count == state.connections.count,
              commands.count == state.commands.count,
              Dictionary(snapshot.teams.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first }) == state.teamNames
        else { return false }
        let connections = Dictionary(state.connections.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let loadedCommands = Dictionary(state.commands.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return snapshot.connections.allSatisfy { connections[$0.id] == $0 } && commands.allSatisfy { loadedCommands[$0.id] == $0 }
    }

    /// On every load: the open form learns whether its item changed elsewhere (ItemForm.swift).
    static func noteChangesUnderTheForm(_ state: inout AppState) {
        switch state.editor {
        case .connection(var editor)?:
            noteChangesElsewhere(state, &editor)
            state.editor = .connection(editor)
        case .command(var editor)?:
            noteChangesElsewhere(state, &editor)
            state.editor = .command(editor)
        default:
            return
        }
        if state.status?.text == reloadingUnderTheForm { state.status = StatusLine(text: reloadedUnderTheForm, role: .muted) }
    }
}
