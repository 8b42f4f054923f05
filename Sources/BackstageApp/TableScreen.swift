import BackstageCore
import TerminalKit

/// What both list tabs share: the title row, column headings, the empty or no-match text, the
/// visible rows (only those), the selection bar, and the details pane under a rule.
struct TableScreen {
    let noun: String
    let total: Int
    let table: Columns
    let headings: [String]
    let emptyText: String
    let noMatchText: (String) -> String

    /// Draws the table; `row` gives the cells of the item at an index into the full list.
    func draw(_ state: AppState, into buffer: inout Buffer, row: (Int) -> [(String, Role)]) {
        Render.titleRow(state, total: total, noun: noun, into: &buffer)
        table.draw(headings.map { ($0, .muted) }, y: Layout.columnsRow, into: &buffer)
        let list = state.list
        if let problem = state.problems[state.tab], !state.loading {
            // What failed and what to do, where the rows would be: never an empty list.
            var y = Layout.listTop
            for (text, role) in [(problem.text, Role.error), (problem.advice, Role.muted)] {
                for line in Widgets.wrap(text, width: state.width - 2) where y < Layout.listTop + state.listHeight {
                    buffer.write(" " + line, x: 0, y: y, role: role, limit: state.width)
                    y += 1
                }
            }
            return
        }
        if list.visible.isEmpty {
            let text = state.loading ? "" : list.filter.isEmpty ? emptyText : noMatchText(list.filter)
            buffer.write(" " + text, x: 0, y: Layout.listTop, role: .muted, limit: state.width)
        }
        let range = Self.rows(state)
        for position in range.range {
            drawRow(position, state, y: Layout.listTop + position - range.offset, into: &buffer, row: row)
        }
    }

    /// The positions in the visible list that are on screen, and the first one's.
    static func rows(_ state: AppState) -> (range: Range<Int>, offset: Int) {
        let list = state.list
        return Widgets.visibleRange(count: list.visible.count, selected: list.selected, offset: list.offset, height: state.listHeight)
    }

    /// One row of the list at screen row `y`, highlighted when selected.
    func drawRow(_ position: Int, _ state: AppState, y: Int, into buffer: inout Buffer, row: (Int) -> [(String, Role)]) {
        let list = state.list
        table.draw(row(list.visible[position]), y: y, into: &buffer)
        if position == list.selected { buffer.paint(Rect(x: 0, y: y, width: state.width, height: 1), role: .selection) }
    }

    /// The details pane: a rule, then the lines, each wrapped whole (the first lines matter most:
    /// what does not fit at the foot is dropped, never the end of a sentence in the middle).
    static func details(_ lines: [(String, Role)], _ state: AppState, into buffer: inout Buffer, rule: Bool = true) {
        let top = state.height - 2 - state.detailsHeight
        if rule { buffer.write(String(repeating: state.glyphs.horizontal, count: state.width), x: 0, y: top, role: .border) }
        var rows: [(String, Role)] = []
        for (text, role) in lines {
            let width = max(10, state.width - 4)
            let wrapped = DisplayWidth.of(text) <= width ? [text] : Widgets.wrap(text, width: width)
            rows += wrapped.enumerated().map { ($0.offset == 0 ? " " + $0.element : "   " + $0.element, role) }
        }
        for (offset, (text, role)) in rows.prefix(state.detailsHeight - 1).enumerated() {
            buffer.write(text, x: 0, y: top + 1 + offset, role: role, limit: state.width)
        }
    }
}
