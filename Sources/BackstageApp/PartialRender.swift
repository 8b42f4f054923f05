import BackstageCore
import TerminalKit

/// A frame as the console keeps it between messages: the screen, the terminal cursor, and where
/// an open form's blocks sit (so the next key can redraw one block in place).
public struct DrawnFrame: Sendable {
    public internal(set) var buffer: Buffer
    public internal(set) var cursor: (x: Int, y: Int)?
    var form: FormLayout?
}

/// Draws a state's frame by drawing again only the rows whose inputs changed since the state the
/// previous frame shows, over that frame: a key typed in a form redraws its field's block (the
/// live banner is part of the Request URL's block), a move in a list the two rows and the
/// details, and the header or status row only when what they show changed. Anything else, or
/// anything it cannot tell with cheap comparisons (a resize, an overlay, a load), is drawn whole.
/// Pure; the result is always `Render.frame(state)`, cell for cell and cursor too
/// (PartialRenderTests hold it to that on random key sequences).
public enum PartialRender {
    /// The whole frame: the first one, or after anything the partial path does not know.
    public static func frame(_ state: AppState) -> DrawnFrame { Render.whole(state) }

    /// The frame, and the rows drawn again (nil: the whole screen); `previous` must be the frame
    /// drawn for `before`.
    static func update(_ state: AppState, after before: AppState, previous: DrawnFrame) -> (frame: DrawnFrame, redrawn: [Int]?) {
        var frame = previous
        let redrawn = update(state, after: before, frame: &frame)
        return (frame, redrawn)
    }

    /// Draws `state`'s frame over `frame`, the frame drawn for `before`, in place (the console
    /// keeps the only reference, so no key copies the whole screen). Returns the rows drawn again,
    /// the only ones that may differ from before; nil when the frame was drawn whole.
    public static func update(_ state: AppState, after before: AppState, frame: inout DrawnFrame) -> [Int]? {
        guard sameScreen(state, before, frame) else {
            frame = Render.whole(state)
            return nil
        }
        var rows: [Int] = []
        let reused: Bool
        switch (state.layers.last, before.layers.last) {
        case (nil, nil): reused = list(state, before, into: &frame, rows: &rows)
        case (.page(let page)?, .page(let old)?): reused = form(page, old, state, before, into: &frame, rows: &rows)
        default: reused = false // an overlay opened, closed or changed
        }
        guard reused else {
            frame = Render.whole(state)
            return nil
        }
        chrome(state, before, into: &frame, rows: &rows)
        return rows
    }

    /// Same size, glyphs and theme, and the previous frame is of that size.
    static func sameScreen(_ state: AppState, _ before: AppState, _ previous: DrawnFrame) -> Bool {
        state.width == before.width && state.height == before.height && state.glyphs == before.glyphs && state.themeName == before.themeName
            && !state.isTooSmall && previous.buffer.width == state.width && previous.buffer.height == state.height
    }

    // MARK: The rows every screen has

    /// The header, the tab bar and the status row, when what they show changed. The hint bar
    /// shows the top layer's table, which `list` and `form` required to be the same.
    static func chrome(_ state: AppState, _ before: AppState, into frame: inout DrawnFrame, rows: inout [Int]) {
        let headerChanged = state.storeLabel != before.storeLabel || state.teamLabel != before.teamLabel
            || (state.teamLabel == nil && state.teamNames != before.teamNames) || state.health != before.health
            || state.loadGeneration != before.loadGeneration // a load may bring or clear a list's problem
        if headerChanged { redraw(Layout.headerRow, in: &frame, rows: &rows) { Render.header(state, into: &$0) } }
        if state.tab != before.tab { redraw(Layout.tabRow, in: &frame, rows: &rows) { Render.tabBar(state, into: &$0) } }
        let busy = state.busyText
        if state.status != before.status || busy != before.busyText || (busy != nil && state.spinnerGlyph != before.spinnerGlyph) {
            redraw(state.height - 2, in: &frame, rows: &rows) { Render.statusRow(state, into: &$0) }
        }
    }

    static func redraw(_ row: Int, in frame: inout DrawnFrame, rows: inout [Int], _ draw: (inout Buffer) -> Void) {
        frame.buffer.blank(row: row)
        draw(&frame.buffer)
        rows.append(row)
    }

    // MARK: A form

    /// A form under its own key: the blocks whose field, notes, warnings, error, mask or focus
    /// changed, in place when they keep their line count and the scroll stays; else the form's
    /// area. False (draw it all) when the page is not the same kind of form.
    static func form(_ page: Editor, _ old: Editor, _ state: AppState, _ before: AppState, into frame: inout DrawnFrame, rows: inout [Int]) -> Bool {
        guard sameKind(page, old), let layout = frame.form, let view = page.formView(state), let oldView = old.formView(before) else { return false }
        let area = EditorScreen.area(state)
        guard layout.area == area else { return false }
        let form = view.form, oldForm = oldView.form
        guard view.title == oldView.title, form.heading == oldForm.heading, sameFieldsShown(form, oldForm) else {
            redrawArea(view, state, into: &frame, rows: &rows)
            return true
        }
        let focusMoved = form.focus != oldForm.focus
        let notes = form.notes != oldForm.notes, warnings = form.warnings != oldForm.warnings, errors = form.errors != oldForm.errors
        var changed: [(block: Int, lines: [FormLine])] = []
        var typedIn: [(block: Int, inputRows: Range<Int>)] = [] // blocks where only the text changed
        for (block, index) in layout.fields.enumerated() {
            let id = form.fields[index].id
            let around = (focusMoved && (index == form.focus || index == oldForm.focus))
                || (notes && form.notes[id] != oldForm.notes[id]) || (warnings && form.warnings[id] != oldForm.warnings[id])
                || (errors && form.errors[id] != oldForm.errors[id]) || view.mask(id) != oldView.mask(oldForm.fields[index].id)
            if !around {
                switch textChange(form.fields[index], oldForm.fields[index]) {
                case .none: continue
                case .inputRows(let inputRows):
                    typedIn.append((block, inputRows))
                    continue
                case .more: break
                }
            }
            let lines = FormRender.lines(of: form.fields[index], at: index, in: form, area: area, glyphs: state.glyphs)
            guard lines.count == layout.counts[block] else { // the blocks below move
                redrawArea(view, state, into: &frame, rows: &rows)
                return true
            }
            changed.append((block, lines))
        }
        if focusMoved {
            let offset = FormLayout.offset(starts: layout.starts, counts: layout.counts, focusedBlock: layout.fields.firstIndex(of: form.focus), height: layout.height)
            guard offset == layout.offset else {
                redrawArea(view, state, into: &frame, rows: &rows)
                return true
            }
            frame.cursor = nil // the newly focused block sets it, if it has an input
        }
        for (block, lines) in changed {
            for line in lines.indices {
                if let row = layout.row(block: block, line: line) {
                    frame.buffer.blank(row: row)
                    rows.append(row)
                }
            }
            let cursor = FormRender.drawBlock(block, lines, of: view, layout: layout, into: &frame.buffer)
            if layout.fields[block] == form.focus { frame.cursor = cursor }
        }
        // Typing: the input's rows alone; the label, notice and help above and below stay.
        for (block, inputRows) in typedIn {
            var cursor: (x: Int, y: Int)?
            for inputRow in inputRows {
                guard let row = layout.row(block: block, line: FormRender.line(ofInputRow: inputRow)) else { continue }
                frame.buffer.blank(row: row)
                rows.append(row)
                if let at = FormRender.drawInput(row: inputRow, ofBlock: block, of: view, layout: layout, at: row, into: &frame.buffer) { cursor = at }
            }
            if layout.fields[block] == form.focus { frame.cursor = cursor }
        }
        return true
    }

    /// How a field's block changed, its notes, warnings, error, mask and focus aside.
    enum TextChange {
        case none
        /// Only the text of a text field, which keeps its input rows and notice: those rows.
        case inputRows(Range<Int>)
        /// Anything else (the label, help, kind, a notice, the rows a multi-line text takes).
        case more
    }

    static func textChange(_ field: FormField, _ old: FormField) -> TextChange {
        guard case .text(let text) = field.kind, case .text(let oldText) = old.kind else { return field == old ? .none : .more }
        guard text != oldText else { return field == old ? .none : .more }
        guard field.id == old.id, field.label == old.label, field.help == old.help, field.hidden == old.hidden,
              text.multiline == oldText.multiline, text.notice == oldText.notice else { return .more }
        let inputRows = FormRender.inputRows(text)
        return inputRows == FormRender.inputRows(oldText) ? .inputRows(0..<inputRows) : .more
    }

    /// The form's whole area (title, heading, every block), over blank rows.
    static func redrawArea(_ view: FormView, _ state: AppState, into frame: inout DrawnFrame, rows: inout [Int]) {
        let area = EditorScreen.area(state)
        for row in area.y..<area.maxY {
            frame.buffer.blank(row: row)
            rows.append(row)
        }
        (frame.cursor, frame.form) = FormRender.draw(view, in: area, glyphs: state.glyphs, into: &frame.buffer)
    }

    /// Both pages are forms of the same kind (so the same hint bar).
    static func sameKind(_ page: Editor, _ old: Editor) -> Bool {
        switch (page, old) {
        case (.connection, .connection), (.command, .command): return true
        default: return false
        }
    }

    /// The same fields, each shown or hidden as before: the blocks are the same.
    static func sameFieldsShown(_ form: FormState, _ old: FormState) -> Bool {
        guard form.fields.count == old.fields.count else { return false }
        for (field, oldField) in zip(form.fields, old.fields) where field.hidden != oldField.hidden || field.id != oldField.id { return false }
        return true
    }

    // MARK: A list

    /// The list under a move: the rows that lost and gained the selection (all rows when it
    /// scrolled) and the details. False (draw it all) when anything else the list shows changed.
    static func list(_ state: AppState, _ before: AppState, into frame: inout DrawnFrame, rows: inout [Int]) -> Bool {
        guard state.tab == before.tab, state.filtering == before.filtering, sameListContent(state, before) else { return false }
        let list = state.list, old = before.list
        guard list.filter == old.filter, same(list.visible, old.visible) else { return false }
        frame.cursor = Render.filterCursor(state)
        guard list.selected != old.selected || list.offset != old.offset else { return true }
        guard state.problems[state.tab] == nil else { return false }
        let shown = TableScreen.rows(state), shownBefore = TableScreen.rows(before)
        let table: TableScreen, row: (Int) -> [(String, Role)]
        switch state.tab {
        case .connections: (table, row) = (ConnectionScreen.table(state), { ConnectionScreen.row(state, $0) })
        case .commands: (table, row) = (CommandScreen.table(state), { CommandScreen.row(state, $0) })
        }
        let positions: [Int]
        if shown.offset == shownBefore.offset {
            positions = [old.selected, list.selected]
        } else {
            positions = Array(shown.range) // scrolled: every row moved
            for y in Layout.listTop..<(Layout.listTop + state.listHeight) { frame.buffer.blank(row: y) }
        }
        for position in positions where shown.range.contains(position) {
            let y = Layout.listTop + position - shown.offset
            frame.buffer.blank(row: y)
            table.drawRow(position, state, y: y, into: &frame.buffer, row: row)
            rows.append(y)
        }
        if list.selected != old.selected { // the details' lines; the rule above them stays
            for y in (state.height - 1 - state.detailsHeight)..<(state.height - 2) {
                frame.buffer.blank(row: y)
                rows.append(y)
            }
            switch state.tab {
            case .connections: ConnectionScreen.details(state, into: &frame.buffer, rule: false)
            case .commands: CommandScreen.details(state, into: &frame.buffer, rule: false)
            }
        }
        return true
    }

    /// Everything the lists, their columns and details show, other than the selection, the
    /// scroll, the header and the status row (`chrome`): unchanged. The matcher and the linkage
    /// are replaced only by a load, which moves the generations.
    static func sameListContent(_ state: AppState, _ before: AppState) -> Bool {
        same(state.connections, before.connections) && same(state.commands, before.commands)
            && state.loadGeneration == before.loadGeneration && state.matcherGeneration == before.matcherGeneration
            && state.loading == before.loading && state.problems == before.problems && state.webhooks == before.webhooks
            && state.teamNames == before.teamNames && state.serverMode == before.serverMode
            && state.listValidation?.id == before.listValidation?.id && state.validatingIds == before.validatingIds
            && state.validatingAll == before.validatingAll && state.running == before.running && state.spinnerFrame == before.spinnerFrame
    }

    /// The same array storage: unchanged without comparing a row (a load makes new arrays).
    static func same<Element>(_ a: [Element], _ b: [Element]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
    }

    /// Every stored property of `AppState`, by how a partial frame follows it; PartialRenderTests
    /// fail when AppState gains one that is in neither list. Drawn: compared above (`sameScreen`,
    /// `chrome`, `form`, `list`), or through `layers` (a page's editor, any overlay: drawn whole).
    static let comparedFields: Set<String> = [
        "width", "height", "glyphs", "themeName", "layers", "tab", "lists", "filtering", "connections", "commands",
        "teamNames", "matcher", "linkage", "linkageUsers", "loadGeneration", "matcherGeneration", "webhooks", "health",
        "validatingAll", "validatingIds", "listValidation", "running", "spinnerFrame", "status", "loading",
        "storeLabel", "teamLabel", "problems", "serverMode",
    ]
    /// Not drawn, or drawn only by an overlay (the help, the log, the team picker), which any
    /// partial frame refuses.
    static let undrawnFields: Set<String> = [
        "healthGeneration", "connectionKeys", "commandKeys", "selectAfterLoad", "messages", "now", "backgroundGeneration",
        "helpScroll", "logScroll", "team", "sessionSecrets", "mouse", "quit",
    ]
}
