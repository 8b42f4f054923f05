import TerminalKit

/// `?`: every key of every table, scrollable.
enum HelpLayer {
    static let keymap = Keymaps.help

    static func key(_ state: inout AppState, _ key: Key) -> [Effect] {
        switch keymap.action(for: key) {
        case .close?: state.overlay = nil
        case .scrollUp?: state.helpScroll = max(0, state.helpScroll - 1)
        case .scrollDown?: state.helpScroll = min(state.helpScroll + 1, max(0, lines().count - 1))
        case .forceQuit?: return Reducer.quit(&state)
        case nil: break
        }
        return []
    }

    /// Every table of keys, in the order the help shows them.
    static let keymaps = [
        AnyKeymapLines(Keymaps.list), AnyKeymapLines(Keymaps.filter), AnyKeymapLines(Keymaps.connectionForm), AnyKeymapLines(Keymaps.commandForm),
        AnyKeymapLines(Keymaps.dialog), AnyKeymapLines(Keymaps.conflict), AnyKeymapLines(Keymaps.deleted), AnyKeymapLines(Keymaps.picker),
        AnyKeymapLines(Keymaps.prompt), AnyKeymapLines(Keymaps.result), AnyKeymapLines(Keymaps.commandCreated),
        AnyKeymapLines(Keymaps.connectionCreated), AnyKeymapLines(Keymaps.help),
    ]

    /// Every key of every keymap, from the same tables that dispatch them.
    static func lines() -> [(String, Role)] {
        var lines: [(String, Role)] = []
        var seen = Set<String>()
        for keymap in keymaps {
            lines.append((keymap.title, .accent))
            for line in keymap.lines where seen.insert(line).inserted { lines.append((line, .dialog)) }
        }
        return lines
    }

    static func draw(_ state: AppState, into buffer: inout Buffer) {
        let lines = lines()
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

}
