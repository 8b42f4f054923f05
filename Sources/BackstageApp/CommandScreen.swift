import BackstageCore
import TerminalKit

/// The Slash Commands tab: a table of commands with the connection each is linked to.
enum CommandScreen {
    static func columns(_ width: Int) -> Columns {
        Columns(total: width - 2, fractions: [0.16, 0.18, 0.0, 0.36, 0.30], minimums: [8, 6, 6, 12, 10])
    }

    /// The linkage column, as the form's live banner says it.
    static func link(_ state: AppState, _ command: SlashCommand) -> (String, Role) {
        if state.matcher.isEmpty { return ("", .muted) }
        let result = state.matcher.resolve(command.url)
        if let match = result.match { return ("Connected to \"\(match.connection.name)\"", .bannerLinked) }
        if let miss = result.nearMisses.first { return ("Not linked (near miss: \"\(miss.connection.name)\")", .warning) }
        return ("Not linked", .bannerUnlinked)
    }

    static func draw(_ state: AppState, into buffer: inout Buffer) {
        Render.titleRow(state, total: state.commands.count, noun: "Slash Commands", into: &buffer)
        let table = columns(state.width)
        table.draw([("Trigger", .muted), ("Title", .muted), ("Method", .muted), ("Request URL", .muted), ("OAuth connection", .muted)],
                   y: Layout.columnsRow, into: &buffer)
        let list = state.list
        if list.visible.isEmpty {
            let text = state.loading ? "" : list.filter.isEmpty ? "No slash commands found" : "No slash commands match \(list.filter)"
            buffer.write(" " + text, x: 0, y: Layout.listTop, role: .muted, limit: state.width)
        }
        let range = Widgets.visibleRange(count: list.visible.count, selected: list.selected, offset: list.offset, height: state.listHeight)
        for (row, position) in range.range.enumerated() {
            let command = state.commands[list.visible[position]]
            let y = Layout.listTop + row
            table.draw([("/" + command.trigger, .accent), (command.displayName, .normal), (command.method.httpName, .normal),
                        (command.url, .normal), link(state, command)], y: y, into: &buffer)
            if position == list.selected { buffer.paint(Rect(x: 0, y: y, width: state.width, height: 1), role: .selection) }
        }
        details(state, into: &buffer)
    }

    static func details(_ state: AppState, into buffer: inout Buffer) {
        let top = state.height - 2 - state.detailsHeight
        buffer.write(String(repeating: state.glyphs.horizontal, count: state.width), x: 0, y: top, role: .border)
        guard let command = state.selectedCommand else { return }
        let team = state.teamNames[command.teamId] ?? command.teamId
        var lines: [(String, Role)] = [
            ("/\(command.trigger)  \(command.displayName)\(command.description.isEmpty ? "" : " — " + command.description)  (team \(team))", .accent),
            ("Request URL: \(command.url)  (\(command.method.httpName))", .normal),
        ]
        if !state.matcher.isEmpty {
            let result = state.matcher.resolve(command.url)
            if let match = result.match {
                lines.append(("Connected to \"\(match.connection.name)\" (audience \(match.audience))", .bannerLinked))
            } else {
                lines.append(("Not linked to an OAuth connection", .bannerUnlinked))
                for miss in result.nearMisses.prefix(1) { lines.append(("Near miss: this URL \(miss.hint)", .warning)) }
            }
        }
        lines.append(("Token: \(command.token)", .muted))
        lines.append(("Autocomplete: \(command.autoComplete ? "yes \(command.autoCompleteHint)" : "no")"
                      + (command.username.isEmpty ? "" : "    Response Username: \(command.username)"), .muted))
        for (offset, (text, role)) in lines.prefix(state.detailsHeight - 1).enumerated() {
            buffer.write(" " + TerminalText.sanitized(text), in: Rect(x: 0, y: top + 1 + offset, width: state.width, height: 1), role: role)
        }
    }
}
