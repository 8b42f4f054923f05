import BackstageCore
import Foundation
import TerminalKit

/// Draws the state into a fresh buffer. Pure: the same state gives the same screen.
public enum Render {
    public static func screen(_ state: AppState) -> Buffer { frame(state).buffer }

    /// The screen and where the terminal cursor goes, drawn once (a form is not laid out twice).
    public static func frame(_ state: AppState) -> (buffer: Buffer, cursor: (x: Int, y: Int)?) {
        let drawn = whole(state)
        return (drawn.buffer, drawn.cursor)
    }

    /// The whole screen, and where an open form's blocks went (for `PartialRender`).
    static func whole(_ state: AppState) -> DrawnFrame {
        var buffer = Buffer(width: state.width, height: state.height, glyphs: state.glyphs)
        if state.isTooSmall {
            tooSmall(state, into: &buffer)
            return DrawnFrame(buffer: buffer, cursor: nil)
        }
        header(state, into: &buffer)
        tabBar(state, into: &buffer)
        // Bottom to top: the topmost page (or the lists), then each overlay over it.
        var cursor: (x: Int, y: Int)?
        var form: FormLayout?
        if state.editor != nil {
            EditorScreen.draw(state, into: &buffer, cursor: &cursor, layout: &form)
            statusAndHints(state, into: &buffer)
        } else {
            switch state.tab {
            case .connections: ConnectionScreen.draw(state, into: &buffer)
            case .commands: CommandScreen.draw(state, into: &buffer)
            }
            statusAndHints(state, into: &buffer)
            cursor = filterCursor(state)
        }
        let overlays = state.overlaysOnTop
        for overlay in overlays {
            cursor = overlay.draw(state, into: &buffer)
        }
        return DrawnFrame(buffer: buffer, cursor: cursor, form: overlays.isEmpty ? form : nil)
    }

    static func tabBar(_ state: AppState, into buffer: inout Buffer) {
        Widgets.tabBar(Tab.allCases.map { $0.title }, selected: state.tab.rawValue, in: Rect(x: 0, y: Layout.tabRow, width: state.width, height: 1), into: &buffer)
    }

    /// Where the terminal cursor goes, if anywhere.
    public static func cursor(_ state: AppState) -> (x: Int, y: Int)? { frame(state).cursor }

    /// The end of the search line while it has the keyboard.
    static func filterCursor(_ state: AppState) -> (x: Int, y: Int)? {
        guard state.filtering, state.overlay == nil else { return nil }
        let x = DisplayWidth.of("Search: ") + DisplayWidth.of(state.list.filter) + 1
        return (min(x, state.width - 1), Layout.titleRow)
    }

    static func header(_ state: AppState, into buffer: inout Buffer) {
        let row = Rect(x: 0, y: Layout.headerRow, width: state.width, height: 1)
        let store = "store: \(state.storeLabel)"
        var teams = ""
        if let team = state.teamLabel {
            teams = "  team: \(team)"
        } else if !state.teamNames.isEmpty {
            let names = state.teamNames.values.sorted()
            teams = "  teams: " + (names.count <= 3 ? names.concatenated(separator: ", ") : "\(names.count)")
        }
        var title = " backstage · Integrations"
        if state.width >= 80 {
            if state.healthUnchecked != nil {
                title += " · not checked (h)"
            } else if let health = state.health {
                title += " · " + (health.findings.isEmpty ? "healthy" : health.summary + " (h)")
            }
        }
        buffer.write(title, in: row, role: .header)
        let room = state.width - DisplayWidth.of(title) - 3
        if room > 10 {
            let (storeWidth, teamsWidth) = (DisplayWidth.of(store), DisplayWidth.of(teams))
            let shown: String
            if storeWidth + teamsWidth <= room {
                shown = store + teams
            } else if state.teamLabel != nil && teamsWidth + 14 <= room {
                // The store's path or URL gives way before the team chosen: it says which commands are shown.
                shown = storeText(state.storeLabel, fitting: room - teamsWidth, ellipsis: state.glyphs.ellipsis) + teams
            } else if storeWidth <= room {
                shown = DisplayWidth.truncated(store + teams, to: room, ellipsis: state.glyphs.ellipsis)
            } else {
                shown = storeText(state.storeLabel, fitting: room, ellipsis: state.glyphs.ellipsis)
            }
            buffer.write(shown, x: state.width - DisplayWidth.of(shown) - 1, y: Layout.headerRow, role: .header)
        }
    }

    /// "store: " and the store's path or URL, cut to `columns`. A path is cut in its middle and keeps
    /// its file name (`/home/admin/.local/sh…/backstage.sqlite`): which file is open matters most.
    static func storeText(_ label: String, fitting columns: Int, ellipsis: String) -> String {
        let whole = "store: " + label
        guard label.hasPrefix("/"), let slash = label.lastIndex(of: "/"), DisplayWidth.of(whole) > columns else {
            return DisplayWidth.truncated(whole, to: columns, ellipsis: ellipsis)
        }
        let name = String(label[slash...])
        let room = columns - DisplayWidth.of("store: ") - DisplayWidth.of(name) - DisplayWidth.of(ellipsis)
        guard room >= 4 else { return DisplayWidth.truncated(whole, to: columns, ellipsis: ellipsis) }
        return "store: " + DisplayWidth.prefix(label, fitting: room).0 + ellipsis + name
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
        if state.loading { text += "  loading" + state.glyphs.ellipsis } else if state.problems[state.tab] != nil { text += "  (could not be read)" } else if list.filter.isEmpty { text += "  (\(total))" } else {
            text += "  (\(list.visible.count) of \(total) match \"\(list.filter)\")"
        }
        buffer.write(text, in: row, role: .accent)
    }

    static func statusAndHints(_ state: AppState, into buffer: inout Buffer) {
        statusRow(state, into: &buffer)
        hintRow(state, into: &buffer)
    }

    /// The status row: work in flight first (whatever layers come and go), then the latest
    /// message; a message too long for the row says where the whole text is.
    static func statusRow(_ state: AppState, into buffer: inout Buffer) {
        let statusRow = Rect(x: 0, y: state.height - 2, width: state.width, height: 1)
        var parts: [(String, Role)] = []
        if let busy = state.busyText { parts.append(("\(state.spinnerGlyph) \(busy)", .muted)) }
        if let status = state.status, status.text != state.busyText { parts.append((status.text, status.role)) }
        var x = 1
        for (index, (text, role)) in parts.enumerated() {
            let room = state.width - x - 1
            guard room > 4 else { break }
            var shown = text
            if DisplayWidth.of(text) > room {
                let pointer = "\(state.glyphs.ellipsis) (F2: whole message)"
                shown = DisplayWidth.prefix(text, fitting: max(1, room - DisplayWidth.of(pointer))).0 + pointer
            }
            buffer.write(shown, x: x, y: statusRow.y, role: role, limit: room)
            x += DisplayWidth.of(shown) + (index == 0 ? 3 : 0)
        }
    }

    static func hintRow(_ state: AppState, into buffer: inout Buffer) {
        Widgets.hintBar(hintItems(state), in: Rect(x: 0, y: state.height - 1, width: state.width, height: 1), into: &buffer)
    }

    /// The key-hint bar: the visible bindings of the layer on top, from its table.
    static func hintItems(_ state: AppState) -> [(keys: String, label: String)] {
        switch state.layers.last {
        case .overlay(let overlay)?: return overlay.hints
        case .page(let page)?: return EditorScreen.keymaps(page)[0].barItems
        case nil: return state.filtering ? KeymapLines.filter.barItems : KeymapLines.list.barItems
        }
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

/// Each table's lines, worked out once: the hint bar and the help read them every frame.
enum KeymapLines {
    static let list = AnyKeymapLines(Keymaps.list)
    static let filter = AnyKeymapLines(Keymaps.filter)
    static let connectionForm = AnyKeymapLines(Keymaps.connectionForm)
    static let commandForm = AnyKeymapLines(Keymaps.commandForm)
    static let dialog = AnyKeymapLines(Keymaps.dialog)
    static let conflict = AnyKeymapLines(Keymaps.conflict)
    static let deleted = AnyKeymapLines(Keymaps.deleted)
    static let picker = AnyKeymapLines(Keymaps.picker)
    static let prompt = AnyKeymapLines(Keymaps.prompt)
    static let result = AnyKeymapLines(Keymaps.result)
    static let commandCreated = AnyKeymapLines(Keymaps.commandCreated)
    static let connectionCreated = AnyKeymapLines(Keymaps.connectionCreated)
    static let log = AnyKeymapLines(Keymaps.log)
    static let health = AnyKeymapLines(Keymaps.health)
    static let help = AnyKeymapLines(Keymaps.help)
    static let global = AnyKeymapLines(Keymaps.global)
}

/// The help overlay's lines for one keymap.
struct AnyKeymapLines {
    let title: String
    let lines: [String]
    /// What the hint bar may show of this table: the first key's name and the label.
    let barItems: [(keys: String, label: String)]
    /// The characters the table binds with Alt (see `liveAltKeys`).
    let altKeys: Set<Character>

    init<Action>(_ keymap: Keymap<Action>) {
        title = keymap.title
        altKeys = keymap.altKeys
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
            buffer.write(text, in: Rect(x: x, y: y, width: widths[index], height: 1), role: role)
            x += widths[index] + 1
        }
    }
}
