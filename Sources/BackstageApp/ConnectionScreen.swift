import BackstageCore
import TerminalKit

/// The Outgoing OAuth Connections tab: a table of connections and the selected one's details.
enum ConnectionScreen {
    static func columns(_ width: Int) -> Columns {
        Columns(total: width - 2, fractions: [0.22, 0.15, 0.25, 0.26, 0.10], minimums: [10, 8, 10, 8, 9])
    }

    static func draw(_ state: AppState, into buffer: inout Buffer) {
        Render.titleRow(state, total: state.connections.count, noun: "Outgoing OAuth Connections", into: &buffer)
        let table = columns(state.width)
        table.draw([("Name", .muted), ("Client ID", .muted), ("Token URL", .muted), ("Audience URLs", .muted), ("Validated", .muted)],
                   y: Layout.columnsRow, into: &buffer)
        let list = state.list
        if list.visible.isEmpty {
            let text = state.loading ? "" : list.filter.isEmpty ? "No Outgoing OAuth Connections found"
                : "No Outgoing OAuth Connections match \(list.filter)"
            buffer.write(" " + text, x: 0, y: Layout.listTop, role: .muted, limit: state.width)
        }
        let range = Widgets.visibleRange(count: list.visible.count, selected: list.selected, offset: list.offset, height: state.listHeight)
        for (row, position) in range.range.enumerated() {
            let connection = state.connections[list.visible[position]]
            let y = Layout.listTop + row
            let selected = position == list.selected
            let validation: (String, Role)
            switch connection.lastValidation {
            case _ where state.listValidation?.id == connection.id: validation = ("\(state.spinnerGlyph) checking", .muted)
            case nil: validation = ("-", .muted)
            case let record? where record.ok: validation = (String(state.glyphs.check) + " yes", .success)
            case _?: validation = (String(state.glyphs.cross) + " no", .error)
            }
            table.draw([(connection.name.isEmpty ? "Unnamed Outgoing OAuth Connection" : connection.name, .accent),
                        (connection.clientId, .normal), (connection.oauthTokenURL, .normal),
                        (connection.audiences.joined(separator: ", "), .normal), validation], y: y, into: &buffer)
            if selected { buffer.paint(Rect(x: 0, y: y, width: state.width, height: 1), role: .selection) }
        }
        details(state, into: &buffer)
    }

    static func details(_ state: AppState, into buffer: inout Buffer) {
        let top = state.height - 2 - state.detailsHeight
        buffer.write(String(repeating: state.glyphs.horizontal, count: state.width), x: 0, y: top, role: .border)
        guard let connection = state.selectedConnection else { return }
        var lines: [(String, Role)] = [
            ("Client ID: \(connection.clientId)    Client Secret: ********    Grant: \(connection.grantType.rawValue)"
                + (connection.grantType == .password ? "    Username: \(connection.credentialsUsername ?? "")    Password: ********" : ""), .normal),
            ("Token URL: \(connection.oauthTokenURL)", .normal),
            ("Audience URLs: \(connection.audiences.joined(separator: ", "))", .normal),
        ]
        switch connection.lastValidation {
        case nil: lines.append(("Not validated yet", .muted))
        case let record? where record.ok: lines.append(("Validated connection on \(Render.date(record.at))", .success))
        case let record?: lines.append(("Connection not validated on \(Render.date(record.at)): \(record.message)", .error))
        }
        if state.detailsHeight > 3 {
            for overlap in state.matcher.overlaps(for: connection).prefix(1) {
                lines.append(("Warning: \(overlap)", .warning))
            }
            lines.append(("Created on \(Render.date(connection.createAt))", .muted))
        }
        for (offset, (text, role)) in lines.prefix(state.detailsHeight - 1).enumerated() {
            buffer.write(" " + TerminalText.sanitized(text), in: Rect(x: 0, y: top + 1 + offset, width: state.width, height: 1), role: role)
        }
    }
}
