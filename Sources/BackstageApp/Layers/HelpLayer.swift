import TerminalKit

/// `?` / F1: the keys of every layer under the help (top first), then the ones that work
/// everywhere. Laid out once into two columns, so scrolling moves rows and never reflows.
enum HelpLayer {
    static let keymap = Keymaps.help

    static func key(_ state: inout AppState, _ key: Key) -> [Effect] {
        let rowCount = rows(state, columnWidth: columnWidth(state)).count
        let page = max(1, state.height - 6)
        let last = max(0, rowCount - 1)
        switch keymap.action(for: key) {
        case .close?: state.overlay = nil
        case .scrollUp?: state.helpScroll = max(0, state.helpScroll - 1)
        case .scrollDown?: state.helpScroll = min(state.helpScroll + 1, last)
        case .pageUp?: state.helpScroll = max(0, state.helpScroll - page)
        case .pageDown?: state.helpScroll = min(state.helpScroll + page, last)
        case .forceQuit?: return Reducer.quit(&state)
        case nil: break
        }
        return []
    }

    /// Every table a user can meet, for tests that walk them all.
    static let allKeymaps = [
        KeymapLines.list, KeymapLines.filter, KeymapLines.connectionForm, KeymapLines.commandForm,
        KeymapLines.dialog, KeymapLines.conflict, KeymapLines.deleted, KeymapLines.picker,
        KeymapLines.prompt, KeymapLines.result, KeymapLines.commandCreated,
        KeymapLines.connectionCreated, KeymapLines.log, KeymapLines.health, KeymapLines.help, KeymapLines.global,
    ]

    /// The tables in reach under the help: each layer's down to the topmost page (or the lists),
    /// then the global keys and the help's own.
    static func keymaps(_ state: AppState) -> [AnyKeymapLines] {
        var maps: [AnyKeymapLines] = []
        var reachedPage = false
        for layer in state.layers.reversed() where !reachedPage {
            switch layer {
            case .overlay(.help): continue
            case .overlay(let overlay): maps.append(overlay.keymap)
            case .page(let page):
                maps += EditorScreen.keymaps(page)
                reachedPage = true
            }
        }
        if !reachedPage {
            if state.filtering { maps.append(KeymapLines.filter) }
            maps.append(KeymapLines.list)
        }
        maps += [KeymapLines.global, KeymapLines.help]
        var seen = Set<String>()
        return maps.filter { seen.insert($0.title).inserted }
    }

    /// Headings and key lines, in the order the help shows them.
    static func lines(_ state: AppState) -> [(String, Role)] {
        keymaps(state).flatMap { keymap in [(keymap.title, Role.accent)] + keymap.lines.map { ($0, Role.dialog) } }
    }

    static func box(_ state: AppState) -> Rect {
        let area = Rect(x: 0, y: 0, width: state.width, height: state.height).inset(by: 1)
        return area.centered(width: min(area.width, 100), height: area.height)
    }

    static func columns(_ state: AppState) -> Int { box(state).width - 2 >= 70 ? 2 : 1 }
    static func columnWidth(_ state: AppState) -> Int { (box(state).width - 2) / columns(state) - 2 }

    /// The layout, independent of scrolling: long lines wrap under their text (never cut), the
    /// first column takes half the lines, and a heading never ends a column.
    static func rows(_ state: AppState, columnWidth: Int) -> [[(String, Role)]] {
        var wrapped: [(String, Role)] = []
        let indent = String(repeating: " ", count: 14)
        for (line, role) in lines(state) {
            if role == .accent || DisplayWidth.of(line) <= columnWidth {
                wrapped.append((line, role))
                continue
            }
            let keys = String(line.prefix(14))
            let text = String(line.dropFirst(14))
            for (index, part) in Widgets.wrap(text, width: max(8, columnWidth - 14)).enumerated() {
                wrapped.append(((index == 0 ? keys : indent) + part, role))
            }
        }
        guard columns(state) == 2, wrapped.count > 1 else { return wrapped.map { [$0] } }
        var split = (wrapped.count + 1) / 2
        // A column never ends on a heading, nor starts with a key line whose heading is above.
        while split > 1 && wrapped[split - 1].1 == .accent { split -= 1 }
        let left = Array(wrapped[..<split]), right = Array(wrapped[split...])
        return (0..<max(left.count, right.count)).map { row in
            [row < left.count ? left[row] : ("", .dialog), row < right.count ? right[row] : ("", .dialog)]
        }
    }

    static func draw(_ state: AppState, into buffer: inout Buffer) {
        let inner = Widgets.box(box(state), title: "Keys (? or Esc closes)", glyphs: state.glyphs, into: &buffer)
        let width = columnWidth(state)
        let all = rows(state, columnWidth: width)
        let shown = all.dropFirst(state.helpScroll).prefix(max(0, inner.height))
        for (offset, row) in shown.enumerated() {
            for (column, (line, role)) in row.enumerated() {
                buffer.write(line, in: Rect(x: inner.x + 1 + column * (width + 2), y: inner.y + offset, width: width, height: 1), role: role)
            }
        }
        if state.helpScroll + shown.count < all.count {
            buffer.write(" more below (j) ", x: inner.maxX - 17, y: inner.maxY, role: .dialogTitle)
        }
    }
}
