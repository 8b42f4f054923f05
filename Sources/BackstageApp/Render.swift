import BackstageCore
import Foundation
import TerminalKit

/// Draws the state into a fresh buffer. Pure: the same state gives the same screen.
public enum Render {
    public static func screen(_ state: AppState) -> Buffer { frame(state).buffer }

    /// The screen and where the terminal cursor goes, drawn once (a form is not laid out twice).
    public static func frame(_ state: AppState) -> (buffer: Buffer, cursor: (x: Int, y: Int)?) {
        var buffer = Buffer(width: state.width, height: state.height)
        if state.isTooSmall {
            tooSmall(state, into: &buffer)
            return (buffer, nil)
        }
        header(state, into: &buffer)
        Widgets.tabBar(Tab.allCases.map { $0.title }, selected: state.tab.rawValue, in: Rect(x: 0, y: Layout.tabRow, width: state.width, height: 1), into: &buffer)
        if state.editor != nil {
            var cursor: (x: Int, y: Int)?
            EditorScreen.draw(state, into: &buffer, cursor: &cursor)
            statusAndHints(state, into: &buffer)
            EditorScreen.dialogs(state, into: &buffer)
            return (buffer, EditorScreen.dialogOpen(state) ? nil : cursor)
        }
        switch state.tab {
        case .connections: ConnectionScreen.draw(state, into: &buffer)
        case .commands: CommandScreen.draw(state, into: &buffer)
        }
        statusAndHints(state, into: &buffer)
        switch state.overlay {
        case .help?: help(state, into: &buffer)
        case .confirmDelete(let target)?: confirmDelete(target, state, into: &buffer)
        case .runPrompt(_, let trigger, let text)?:
            let box = buffer.bounds.centered(width: min(state.width - 4, 72), height: 5)
            let inner = Widgets.box(box, title: "Test-fire /\(trigger)", glyphs: state.glyphs, into: &buffer)
            buffer.write("Text after /\(trigger) (Enter sends, Esc cancels):", x: inner.x + 1, y: inner.y, role: .dialog, limit: inner.width - 2)
            let column = Widgets.textField(text, in: Rect(x: inner.x + 1, y: inner.y + 2, width: inner.width - 2, height: 1), focused: true, into: &buffer)
            return (buffer, column.map { ($0, inner.y + 2) })
        case .teamPicker(let teams, let selected)?:
            teamPicker(teams, selected: selected, state, into: &buffer)
        case .secretPrompt(let prompt)?:
            let cursor = secretPrompt(prompt, state, into: &buffer)
            return (buffer, cursor)
        case .runResult(let title, let lines)?:
            let area = buffer.bounds.inset(by: 1)
            let inner = Widgets.box(area, title: title + " (Esc closes)", glyphs: state.glyphs, into: &buffer)
            var y = inner.y
            for line in lines {
                for piece in Widgets.wrap(TerminalText.sanitized(line.text), width: inner.width - 2) where y < inner.maxY {
                    buffer.write(piece, x: inner.x + 1, y: y, role: line.role, limit: inner.width - 2)
                    y += 1
                }
            }
        case nil: break
        }
        return (buffer, filterCursor(state))
    }

    /// Where the terminal cursor goes, if anywhere.
    public static func cursor(_ state: AppState) -> (x: Int, y: Int)? { frame(state).cursor }

    /// The end of the search line while it has the keyboard.
    static func filterCursor(_ state: AppState) -> (x: Int, y: Int)? {
        guard state.filtering, state.overlay == nil else { return nil }
        let x = DisplayWidth.of("Search: ") + DisplayWidth.of(state.list.filter) + 1
        return (min(x, state.width - 1), Layout.titleRow)
    }

    /// Every table of keys, in the order the help shows them.
    static let allKeymaps = [
        AnyKeymapLines(Keymaps.list), AnyKeymapLines(Keymaps.filter), AnyKeymapLines(Keymaps.connectionForm), AnyKeymapLines(Keymaps.commandForm),
        AnyKeymapLines(Keymaps.dialog), AnyKeymapLines(Keymaps.conflict), AnyKeymapLines(Keymaps.deleted), AnyKeymapLines(Keymaps.picker),
        AnyKeymapLines(Keymaps.prompt), AnyKeymapLines(Keymaps.result), AnyKeymapLines(Keymaps.commandCreated),
        AnyKeymapLines(Keymaps.connectionCreated), AnyKeymapLines(Keymaps.help),
    ]

    static func header(_ state: AppState, into buffer: inout Buffer) {
        let row = Rect(x: 0, y: Layout.headerRow, width: state.width, height: 1)
        var right = "store: \(state.storeLabel)"
        if let team = state.teamLabel {
            right += "  team: \(team)"
        } else if !state.teamNames.isEmpty {
            let names = state.teamNames.values.sorted()
            right += "  teams: " + (names.count <= 3 ? names.joined(separator: ", ") : "\(names.count)")
        }
        buffer.write(" backstage · Integrations", in: row, role: .header)
        let room = state.width - DisplayWidth.of(" backstage · Integrations") - 3
        if room > 10 {
            let shown = DisplayWidth.truncated(TerminalText.sanitized(right), to: room)
            buffer.write(shown, x: state.width - DisplayWidth.of(shown) - 1, y: Layout.headerRow, role: .header)
        }
    }

    /// The title row: the count and filter, or the filter being typed.
    static func titleRow(_ state: AppState, total: Int, noun: String, into buffer: inout Buffer) {
        let row = Rect(x: 0, y: Layout.titleRow, width: state.width, height: 1)
        let list = state.list
        if state.filtering {
            buffer.write(" Search: ", in: row, role: .accent)
            buffer.write(list.filter, in: Rect(x: DisplayWidth.of(" Search: "), y: row.y, width: state.width - 10, height: 1), role: .inputFocused)
            return
        }
        var text = " \(noun)"
        if state.loading { text += "  loading…" } else if state.problems[state.tab] != nil { text += "  (could not be read)" } else if list.filter.isEmpty { text += "  (\(total))" } else {
            text += "  (\(list.visible.count) of \(total) match \"\(list.filter)\")"
        }
        buffer.write(text, in: row, role: .accent)
    }

    static func statusAndHints(_ state: AppState, into buffer: inout Buffer) {
        let statusRow = Rect(x: 0, y: state.height - 2, width: state.width, height: 1)
        if let status = state.status {
            let busy = state.listValidation != nil || state.running != nil
            buffer.write(busy ? " \(state.spinnerGlyph) " + status.text : " " + status.text, in: statusRow, role: status.role)
        }
        Widgets.hintBar(hintItems(state), in: Rect(x: 0, y: state.height - 1, width: state.width, height: 1), into: &buffer)
    }

    /// The key-hint bar: the visible bindings of what has the keyboard, from its table.
    static func hintItems(_ state: AppState) -> [(keys: String, label: String)] {
        let items: [(keys: String, label: String)]
        switch state.overlay {
        case _ where state.editor != nil: items = EditorScreen.hints(state)
        case .help?: items = Keymaps.help.barItems
        case .confirmDelete?: items = Keymaps.dialog.barItems
        case .runResult?: items = Keymaps.result.barItems
        case .runPrompt?, .secretPrompt?: items = Keymaps.prompt.barItems
        case .teamPicker?: items = Keymaps.picker.barItems
        case nil: items = state.filtering ? Keymaps.filter.barItems : Keymaps.list.barItems
        }
        return items
    }

    /// Every key of every keymap, from the same tables that dispatch them.
    static func helpLines() -> [(String, Role)] {
        var lines: [(String, Role)] = []
        var seen = Set<String>()
        for keymap in allKeymaps {
            lines.append((keymap.title, .accent))
            for line in keymap.lines where seen.insert(line).inserted { lines.append((line, .dialog)) }
        }
        return lines
    }

    static func help(_ state: AppState, into buffer: inout Buffer) {
        let lines = helpLines()
        let area = buffer.bounds.inset(by: 1)
        let inner = Widgets.box(area.centered(width: min(area.width, 100), height: area.height), title: "Keys (? or Esc closes)",
                                glyphs: state.glyphs, into: &buffer)
        let columns = inner.width >= 70 ? 2 : 1
        let rows = max(1, inner.height)
        let columnWidth = inner.width / columns
        // Lay the lines out in columns; a heading never sits alone at the foot of a column.
        var placed: [(column: Int, row: Int, line: String, role: Role)] = []
        var column = 0, row = 0
        for (line, role) in lines.dropFirst(state.helpScroll) {
            if role == .accent && row == rows - 1 { column += 1; row = 0 }
            if row >= rows { column += 1; row = 0 }
            guard column < columns else { break }
            placed.append((column, row, line, role))
            row += 1
        }
        for item in placed {
            buffer.write(item.line, in: Rect(x: inner.x + 1 + item.column * columnWidth, y: inner.y + item.row, width: columnWidth - 2, height: 1),
                         role: item.role)
        }
        if state.helpScroll + placed.count < lines.count {
            buffer.write(" ↓ more (j) ", x: inner.maxX - 13, y: inner.maxY, role: .dialogTitle)
        }
    }

    static func confirmDelete(_ target: DeleteTarget, _ state: AppState, into buffer: inout Buffer) {
        let message: [(String, Role)]
        let title: String
        switch target.tab {
        case .connections:
            title = "Delete Outgoing OAuth Connection"
            message = [("Are you sure you want to delete \(TerminalText.sanitized(target.name))?", .dialog),
                       ("Deleting this connection will break any integrations using it", .warning)]
        case .commands:
            title = "Delete Slash Command"
            message = [("This action permanently deletes the slash command \(TerminalText.sanitized(target.name)) and breaks any integrations using it. Are you sure you want to delete it?", .dialog)]
        }
        Widgets.dialog(title: title, message: message, buttons: [Keymaps.dialog.button("Delete", .confirm), Keymaps.dialog.button("Cancel", .cancel)], in: buffer.bounds, glyphs: state.glyphs, into: &buffer)
    }

    /// `T`: the teams, the current one selected.
    static func teamPicker(_ teams: [Team?], selected: Int, _ state: AppState, into buffer: inout Buffer) {
        let names = teams.map { $0.map { TerminalText.sanitized($0.name) } ?? "Every team" }
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

    /// A connection's secret, masked; returns where the cursor goes.
    static func secretPrompt(_ prompt: SecretPrompt, _ state: AppState, into buffer: inout Buffer) -> (x: Int, y: Int)? {
        let name = TerminalText.sanitized(prompt.connectionName)
        let label = prompt.askingPassword ? "Password of \"\(name)\"" : "Client Secret of \"\(name)\""
        var why: [String]
        switch prompt.purpose {
        case .validate: why = ["This server validates a saved connection only with its secret sent along."]
        case .testFire: why = ["For the token step, as Mattermost would fetch it (a server never returns secrets).", "Empty: skip the token step."]
        }
        why.insert("Kept in memory for this session only.", at: 1)
        let width = min(state.width - 4, 76)
        let lines = why.flatMap { Widgets.wrap($0, width: width - 4) }
        let box = buffer.bounds.centered(width: width, height: lines.count + 4)
        let inner = Widgets.box(box, title: label, glyphs: state.glyphs, into: &buffer)
        var y = inner.y
        for line in lines.prefix(max(1, inner.height - 2)) {
            buffer.write(line, x: inner.x + 1, y: y, role: .dialog, limit: inner.width - 2)
            y += 1
        }
        y += 1
        let column = Widgets.textField(prompt.field, in: Rect(x: inner.x + 1, y: y, width: inner.width - 2, height: 1), focused: true,
                                       mask: state.glyphs.bullet, into: &buffer)
        return column.map { ($0, y) }
    }

    static func tooSmall(_ state: AppState, into buffer: inout Buffer) {
        let message = Widgets.wrap("terminal too small (need \(AppState.minimumWidth)x\(AppState.minimumHeight), have \(state.width)x\(state.height))", width: state.width)
        let lines = message.map { ($0, Role.warning) } + Widgets.wrap("enlarge the window; q quits", width: state.width).map { ($0, Role.muted) }
        let top = max(0, (state.height - lines.count) / 2)
        for (offset, (line, role)) in lines.enumerated() where top + offset < state.height {
            buffer.write(line, x: max(0, (state.width - DisplayWidth.of(line)) / 2), y: top + offset, role: role)
        }
    }

}

/// The help overlay's lines for one keymap.
struct AnyKeymapLines {
    let title: String
    let lines: [String]
    /// What the hint bar may show of this table: the first key's name and the label.
    let barItems: [(keys: String, label: String)]

    init<Action>(_ keymap: Keymap<Action>) {
        title = keymap.title
        barItems = keymap.barItems
        lines = keymap.bindings.map { binding in
            let keys = binding.keyNames
            return keys + String(repeating: " ", count: max(1, 14 - DisplayWidth.of(keys))) + binding.help
        }
    }
}

/// Columns of a table row, sized from the width available.
struct Columns {
    let widths: [Int]

    /// Each column gets its minimum, then a share of what is left by its fraction.
    init(total: Int, fractions: [Double], minimums: [Int]) {
        let spare = max(0, total - minimums.reduce(0, +) - minimums.count)
        let sum = fractions.reduce(0, +)
        var widths = zip(fractions, minimums).map { $1 + Int(Double(spare) * $0 / sum) }
        widths[widths.count - 1] += max(0, total - widths.reduce(0, +) - widths.count)
        self.widths = widths
    }

    func draw(_ values: [(String, Role)], y: Int, into buffer: inout Buffer) {
        var x = 1
        for (index, (text, role)) in values.enumerated() where index < widths.count {
            buffer.write(TerminalText.sanitized(text), in: Rect(x: x, y: y, width: widths[index], height: 1), role: role)
            x += widths[index] + 1
        }
    }
}
