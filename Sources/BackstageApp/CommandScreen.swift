import BackstageCore
import TerminalKit

/// The Slash Commands tab: a table of commands with the connection each is linked to.
enum CommandScreen {
    static func columns(_ width: Int) -> Columns {
        Columns(total: width - 2, fractions: [0.16, 0.18, 0.0, 0.36, 0.30], minimums: [8, 6, 6, 12, 10])
    }

    /// The linkage column, as the form's live banner says it.
    static func link(_ state: AppState, _ command: SlashCommand) -> (String, Role) {
        if state.running == command.trigger { return ("\(state.spinnerGlyph) running", .muted) }
        if state.matcher.isEmpty { return ("", .muted) }
        let line = Banner.short(state.matcher.resolve(command.url))
        return (line.text, Role.of(line.tone))
    }

    static func table(_ state: AppState) -> TableScreen {
        TableScreen(noun: "Slash Commands", total: state.commands.count, table: columns(state.width),
                    headings: ["Trigger", "Title", "Method", "Request URL", "OAuth connection"],
                    emptyText: ListWording.noCommands, noMatchText: ListWording.noCommands(matching:))
    }

    /// The cells of the command at `index` in the full list.
    static func row(_ state: AppState, _ index: Int) -> [(String, Role)] {
        let command = state.commands[index]
        return [("/" + command.trigger, .accent), (command.displayName, .normal), (command.method.httpName, .normal),
                (HTTPURL.maskingCredentials(command.url), .normal), link(state, command)]
    }

    static func draw(_ state: AppState, into buffer: inout Buffer) {
        table(state).draw(state, into: &buffer) { row(state, $0) }
        details(state, into: &buffer)
    }

    /// `rule`: false when the rule above is on screen already (a move in the list draws the lines only).
    static func details(_ state: AppState, into buffer: inout Buffer, rule: Bool = true) {
        guard let command = state.selectedCommand else { return TableScreen.details([], state, into: &buffer, rule: rule) }
        let team = state.teamNames[command.teamId] ?? command.teamId
        var lines: [(String, Role)] = [
            ("/\(command.trigger)  \(command.displayName)\(command.description.isEmpty ? "" : " — " + command.description)  (team \(team))", .accent),
        ]
        // The linkage first: it is what the pane is for, and on a small terminal the rest may not fit.
        if !state.matcher.isEmpty {
            lines += Banner(state.matcher.resolve(command.url), nearMisses: 1).lines.map { ($0.text, Role.of($0.tone)) }
        }
        lines.append(("Request URL: \(HTTPURL.maskingCredentials(command.url))  (\(command.method.httpName))", .normal))
        lines.append(("Token: \(command.token)", .muted))
        lines.append(("Autocomplete: \(command.autoComplete ? "yes \(command.autoCompleteHint)" : "no")"
                      + (command.username.isEmpty ? "" : "    Response Username: \(command.username)"), .muted))
        TableScreen.details(lines, state, into: &buffer, rule: rule)
    }
}
