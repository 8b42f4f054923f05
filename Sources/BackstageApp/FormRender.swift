import BackstageCore
import TerminalKit

/// One line of a form's block: its text and role, or (`inputRow`) the row of the field's input.
/// A struct, not a tuple: arrays of tuples are destroyed through the runtime's generic witness.
struct FormLine {
    let text: String
    let role: Role
    let inputRow: Int?

    init(_ text: String, _ role: Role, _ inputRow: Int? = nil) {
        self.text = text
        self.role = role
        self.inputRow = inputRow
    }
}

/// What a form page draws: its title, its fields as shown (a running Validate's spinner in its
/// note), and what a secret field shows instead of its text.
struct FormView {
    let title: String
    let form: FormState
    /// By the field's id (a field copied out to ask would retain each of its strings).
    let mask: (String) -> String?
}

/// Where a drawn form's blocks sit, kept with the frame so that the next key can redraw one block
/// in place (PartialRender). A block is a visible field: its label, input, notes, error and help.
struct FormLayout: Sendable, Equatable {
    /// The editor's area of the screen.
    let area: Rect
    /// Per block, in order: the field's index, its first line before scrolling, its line count.
    let fields: [Int]
    let starts: [Int]
    let counts: [Int]
    /// The rows the blocks scroll in, and how far they are scrolled.
    let top: Int
    let height: Int
    let offset: Int

    /// Scrolled so the focused block is inside the rows (nil: no block has the focus).
    static func offset(starts: [Int], counts: [Int], focusedBlock: Int?, height: Int) -> Int {
        guard let focusedBlock else { return 0 }
        var offset = 0
        let end = starts[focusedBlock] + counts[focusedBlock]
        if end > height { offset = end - height }
        return min(offset, starts[focusedBlock])
    }

    /// The screen row of line `line` of block `block`, nil when scrolled out of view.
    func row(block: Int, line: Int) -> Int? {
        let row = top + starts[block] + line - offset
        return row >= top && row < top + height ? row : nil
    }
}

/// Draws a form: per field its label, the input, notes, the error and the help text, scrolled so
/// the focused field is in view.
enum FormRender {
    /// The whole form: where the terminal cursor goes, and where the blocks went.
    static func draw(_ view: FormView, in area: Rect, glyphs: Glyphs, into buffer: inout Buffer) -> (cursor: (x: Int, y: Int)?, layout: FormLayout) {
        let form = view.form
        buffer.write(" " + view.title, in: Rect(x: area.x, y: area.y, width: area.width, height: 1), role: .accent)
        var blocks: [(index: Int, lines: [FormLine])] = []
        for (index, field) in form.fields.enumerated() where !field.hidden {
            blocks.append((index, lines(of: field, at: index, in: form, area: area, glyphs: glyphs)))
        }
        // The heading, wrapped, between the title and the fields.
        let headingLines = form.heading.map { heading in Widgets.wrap(heading.text, width: max(10, area.width - 4)).map { ($0, heading.role) } } ?? []
        let shift = min(headingLines.count, max(0, area.height - 4))
        for (offset, line) in headingLines.prefix(shift).enumerated() {
            buffer.write(line.0, in: Rect(x: area.x + 2, y: area.y + 1 + offset, width: area.width - 4, height: 1), role: line.1)
        }
        // Scroll: the focused block must be inside the area.
        let top = area.y + 2 + shift
        let height = area.height - 2 - shift
        var starts: [Int] = []
        var y = 0
        for block in blocks {
            starts.append(y)
            y += block.lines.count + 1
        }
        let counts = blocks.map { $0.lines.count }
        let offset = FormLayout.offset(starts: starts, counts: counts, focusedBlock: blocks.firstIndex(where: { $0.index == form.focus }), height: height)
        let layout = FormLayout(area: area, fields: blocks.map(\.index), starts: starts, counts: counts, top: top, height: height, offset: offset)
        var cursor: (x: Int, y: Int)?
        for (blockIndex, block) in blocks.enumerated() {
            if let at = drawBlock(blockIndex, block.lines, of: view, layout: layout, into: &buffer) { cursor = at }
        }
        return (cursor, layout)
    }

    /// A field's block: the label, the input row(s), notes, warnings, the error and the help.
    static func lines(of field: FormField, at index: Int, in form: FormState, area: Rect, glyphs: Glyphs) -> [FormLine] {
        var lines: [FormLine] = []
        switch field.kind {
        case .button:
            lines.append(FormLine("[ \(field.label) ]", index == form.focus ? .selection : .accent))
        case .checkbox(let on):
            lines.append(FormLine("[\(on ? "x" : " ")] \(field.label)", index == form.focus ? .inputFocused : .normal))
        case .choice(let options, let selected):
            lines.append(FormLine(field.label, .muted))
            let text = options.enumerated().map { $0.offset == selected ? "(\(glyphs.bullet)) \($0.element)" : "( ) \($0.element)" }.concatenated(separator: "   ")
            lines.append(FormLine(text, index == form.focus ? .inputFocused : .normal))
        case .text(let text):
            lines.append(FormLine(field.label, .muted))
            for row in 0..<inputRows(text) { lines.append(FormLine("", .input, row)) }
            if let notice = text.notice { lines.append(FormLine(notice, .warning)) }
        }
        // Notes, warnings, the error and the help are whole sentences: wrapped, never cut.
        let width = max(10, area.width - 4)
        func add(_ text: String, _ role: Role) {
            for line in Widgets.wrap(text, width: width) { lines.append(FormLine(line, role)) } // keeps "\n" breaks
        }
        for note in form.notes[field.id] ?? [] { add(note.text, note.role) }
        for warning in form.warnings[field.id] ?? [] { add(warning, .warning) }
        if let error = form.errors[field.id] { add(error, .error) }
        // Small terminals show the help of the focused field only.
        if !field.help.isEmpty && (area.height > 18 || index == form.focus) { add(field.help, .muted) }
        return lines
    }

    /// The input rows a text field's block shows (a multi-line field shows at least three).
    static func inputRows(_ text: TextField) -> Int { text.multiline ? max(3, text.lines.count) : 1 }

    /// The block's line that shows input row `row` of its text field: the label comes first.
    static func line(ofInputRow row: Int) -> Int { 1 + row }

    /// Draws the rows of block `blockIndex` that are in view; returns the cursor when the block
    /// holds the focused field's input.
    static func drawBlock(_ blockIndex: Int, _ lines: [FormLine], of view: FormView, layout: FormLayout, into buffer: inout Buffer) -> (x: Int, y: Int)? {
        var cursor: (x: Int, y: Int)?
        for (lineIndex, line) in lines.enumerated() {
            guard let row = layout.row(block: blockIndex, line: lineIndex) else { continue }
            if let inputRow = line.inputRow {
                if let at = drawInput(row: inputRow, ofBlock: blockIndex, of: view, layout: layout, at: row, into: &buffer) { cursor = at }
            } else {
                buffer.write(line.text, in: Rect(x: layout.area.x + 2, y: row, width: layout.area.width - 4, height: 1), role: line.role)
            }
        }
        return cursor
    }

    /// Draws input row `inputRow` of block `blockIndex`'s text field on screen row `row`; returns
    /// the cursor when it is there.
    static func drawInput(row inputRow: Int, ofBlock blockIndex: Int, of view: FormView, layout: FormLayout, at row: Int, into buffer: inout Buffer) -> (x: Int, y: Int)? {
        let index = layout.fields[blockIndex]
        guard case .text(let text) = view.form.fields[index].kind else { return nil }
        let rect = Rect(x: layout.area.x + 2, y: row, width: layout.area.width - 4, height: 1)
        let focused = index == view.form.focus
        if let shown = view.mask(view.form.fields[index].id) {
            buffer.write(shown, in: rect, role: focused ? .inputFocused : .input)
            return focused ? (rect.x + DisplayWidth.of(shown), row) : nil
        }
        if text.multiline {
            let lines = text.lines
            let content = inputRow < lines.count ? lines[inputRow] : ""
            buffer.write(TerminalText.sanitized(content), in: rect, role: focused ? .inputFocused : .input)
            guard focused && text.cursorLine.line == inputRow else { return nil }
            let prefix = String(content.prefix(text.cursorLine.offset))
            return (rect.x + min(rect.width - 1, DisplayWidth.of(prefix)), row)
        }
        return Widgets.textField(text, in: rect, focused: focused, into: &buffer).map { ($0, row) }
    }
}
