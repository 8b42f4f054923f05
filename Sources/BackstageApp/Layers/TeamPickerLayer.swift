import BackstageCore
import TerminalKit

/// `T`: the teams to choose from; the lists then show that team's commands.
enum TeamPickerLayer {
    static let keymap = Keymaps.picker

    static func key(_ state: inout AppState, teams: [Team?], selected: Int, _ key: Key) -> [Effect] {
        switch keymap.action(for: key) {
        case .up?: state.overlay = .teamPicker(teams: teams, selected: max(0, selected - 1))
        case .down?: state.overlay = .teamPicker(teams: teams, selected: min(teams.count - 1, selected + 1))
        case .cancel?: state.overlay = nil
        case .forceQuit?: return Reducer.quit(&state)
        case .choose?:
            state.overlay = nil
            guard selected < teams.count else { return [] }
            let team = teams[selected]
            state.team = team
            state.teamLabel = team?.name
            state.loading = true
            state.lists[Tab.commands.rawValue] = ListState()
            state.status = StatusLine(text: team.map { "Team: \($0.name)" } ?? "Every team", role: .muted)
            return [.selectTeam(team)]
        case nil: break
        }
        return []
    }

    /// `T`: the teams, the current one selected.
    static func draw(_ teams: [Team?], selected: Int, _ state: AppState, into buffer: inout Buffer) {
        let names = teams.map { $0?.name ?? "Every team" }
        let width = min(state.width - 4, max(30, (names.map(DisplayWidth.of).max() ?? 0) + 8))
        let height = min(state.height - 4, max(1, names.count) + 2)
        let inner = Widgets.box(buffer.bounds.centered(width: width, height: height), title: "Team",
                                glyphs: state.glyphs, into: &buffer)
        let rows = max(1, inner.height)
        let range = Widgets.visibleRange(count: names.count, selected: selected, offset: max(0, selected - rows + 1), height: rows)
        if names.isEmpty { buffer.write("The token's user belongs to no team", x: inner.x + 1, y: inner.y, role: .muted, limit: inner.width - 2) }
        for (offset, index) in range.range.enumerated() {
            let y = inner.y + offset
            let current = teams[index]?.id == state.team?.id ? "  (shown)" : ""
            buffer.write(names[index] + current, in: Rect(x: inner.x + 1, y: y, width: inner.width - 2, height: 1), role: .dialog)
            if index == selected { buffer.paint(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: .selection) }
        }
    }

}

extension Reducer {
    static func teamsLoaded(_ state: inout AppState, _ result: Result<[Team], ValidationError>) -> [Effect] {
        switch result {
        case .success(let teams):
            // Locally "every team" comes first; a server's commands always belong to one team.
            let choices: [Team?] = (state.serverMode ? [] : [nil]) + teams.map { Optional($0.terminalSafe) }
            let current = choices.firstIndex { $0?.id == state.team?.id } ?? 0
            state.status = nil
            state.overlay = .teamPicker(teams: choices, selected: current)
        case .failure(let error):
            state.status = StatusLine(text: "Cannot list the teams: \(error.reason)", role: .error)
        }
        return []
    }

}
