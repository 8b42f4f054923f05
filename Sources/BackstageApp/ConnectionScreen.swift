import BackstageCore
import TerminalKit

/// The Outgoing OAuth Connections tab: a table of connections and the selected one's details.
enum ConnectionScreen {
    static func columns(_ width: Int) -> Columns {
        Columns(total: width - 2, fractions: [0.22, 0.15, 0.25, 0.26, 0.10], minimums: [10, 8, 10, 8, 9])
    }

    static func table(_ state: AppState) -> TableScreen {
        TableScreen(noun: "Outgoing OAuth Connections", total: state.connections.count, table: columns(state.width),
                    headings: ["Name", "Client ID", "Token URL", "Audience URLs", "Validated"],
                    emptyText: ListWording.noConnections, noMatchText: ListWording.noConnections(matching:))
    }

    /// The cells of the connection at `index` in the full list: only shown fields, URLs masked.
    static func row(_ state: AppState, _ index: Int) -> [(String, Role)] {
        let connection = state.connections[index]
        return [(connection.name.isEmpty ? "Unnamed Outgoing OAuth Connection" : connection.name, .accent),
                (connection.clientId, .normal), (HTTPURL.maskingCredentials(connection.oauthTokenURL), .normal),
                (connection.audiences.map(HTTPURL.maskingCredentials).concatenated(separator: ", "), .normal), validation(state, connection)]
    }

    static func draw(_ state: AppState, into buffer: inout Buffer) {
        table(state).draw(state, into: &buffer) { row(state, $0) }
        details(state, into: &buffer)
    }

    /// The Validated column: a spinner while `v` runs, else the last outcome.
    static func validation(_ state: AppState, _ connection: OutgoingOAuthConnection) -> (String, Role) {
        if state.listValidation?.id == connection.id || state.validatingIds.contains(connection.id) { return ("\(state.spinnerGlyph) checking", .muted) }
        switch connection.lastValidation {
        case nil: return ("-", .muted)
        case let record? where record.ok: return (String(state.glyphs.check) + " yes", .success)
        case _?: return (String(state.glyphs.cross) + " no", .error)
        }
    }

    /// `rule`: false when the rule above is on screen already (a move in the list draws the lines only).
    static func details(_ state: AppState, into buffer: inout Buffer, rule: Bool = true) {
        guard let stored = state.selectedConnection else { return TableScreen.details([], state, into: &buffer, rule: rule) }
        let connection = stored.forDisplay
        var lines: [(String, Role)] = [
            ("Client ID: \(connection.clientId)    Grant: \(connection.grantType.rawValue)"
                + (connection.grantType == .password ? "    Username: \(connection.credentialsUsername ?? "")    Password: ********" : ""), .normal),
            ("Token URL: \(connection.oauthTokenURL)", .normal),
            ("Audience URLs: \(connection.audiences.concatenated(separator: ", "))", .normal),
        ]
        if let linkage = state.linkage {
            var usage = linkage.usageLine(for: stored.id)
            if !state.webhooks.isChecked { usage += " (outgoing webhooks not checked)" }
            if state.serverMode { usage += "; predicted by Mattermost's matching rules" }
            lines.append((usage, linkage.isUsed(stored.id) ? .accent : .muted))
        }
        switch connection.lastValidation {
        case nil: lines.append(("Not validated yet", .muted))
        case let record? where record.ok: lines.append(("Validated connection on \(Milliseconds.fullDate(record.at))", .success))
        case let record?: lines.append(("Connection not validated on \(Milliseconds.fullDate(record.at)): \(record.message)", .error))
        }
        if state.detailsHeight > 3 {
            for overlap in state.matcher.overlaps(for: stored).prefix(1) {
                lines.append(("Warning: \(overlap)", .warning))
            }
            lines.append(("Created on \(Milliseconds.fullDate(connection.createAt))", .muted))
        }
        TableScreen.details(lines, state, into: &buffer, rule: rule)
    }
}
