/// Turns frames into the bytes a terminal needs to show them, remembering what the terminal
/// already shows: the cells, the cursor position, the current attributes (the "pen") and whether
/// the cursor is visible. Only changed cells are written and the pen is never reset between
/// frames, so a typed character costs one byte — curses resets attributes after every update.
/// Output is ECMA-48 (ANSI), which every terminal an admin meets over SSH speaks.
public struct ScreenPainter: Sendable {
    /// How each role looks on this terminal.
    public var styles: [Role: ResolvedStyle] {
        didSet {
            stylesByTag = Self.table(styles)
            invalidate()
        }
    }
    /// `styles` by role tag (`Role.tag`): a dictionary lookup per painted cell hashed the role's
    /// raw string (a whole first frame is 3,000 cells).
    private var stylesByTag: [ResolvedStyle]
    /// False when no UTF-8 locale exists: non-ASCII graphemes are written as "?".
    public let unicode: Bool
    /// The terminal erases with the current background colour (terminfo `bce`), so a coloured
    /// row's blank end can be erased rather than written out.
    public let erasesWithBackground: Bool

    private var shown: Buffer?
    /// nil: unknown (after a pending wrap, a grapheme whose width terminals disagree on, or
    /// output from someone else).
    private var cursor: (x: Int, y: Int)?
    private var pen: ResolvedStyle?
    private var cursorVisible: Bool?
    private var clearFirst = false
    private var out: [UInt8] = []

    public init(styles: [Role: ResolvedStyle] = [:], unicode: Bool = true, erasesWithBackground: Bool = false) {
        self.styles = styles
        stylesByTag = Self.table(styles)
        self.unicode = unicode
        self.erasesWithBackground = erasesWithBackground
    }

    /// Forget what the terminal shows; the next frame is painted whole. `clear` erases the
    /// screen first (Ctrl-L, or after someone else wrote to it).
    public mutating func invalidate(clear: Bool = false) {
        shown = nil
        cursor = nil
        pen = nil
        cursorVisible = nil
        clearFirst = clearFirst || clear
    }

    /// The bytes that turn what the terminal shows into `frame`, with the cursor at `cursorAt`
    /// (hidden when nil). `rows`, when given, are the only rows where `frame` may differ from
    /// the frame painted last (what `PartialRender` redrew): only they are compared and kept.
    public mutating func paint(_ frame: Buffer, cursorAt: (x: Int, y: Int)?, rows: [Int]? = nil) -> [UInt8] {
        out.removeAll(keepingCapacity: true)
        if clearFirst {
            setPen(ResolvedStyle())
            append("\u{1B}[H\u{1B}[2J")
            cursor = (0, 0)
            clearFirst = false
        }
        // The cursor stays as it is while painting: hiding it around every update would cost
        // twelve bytes a keystroke.
        let sameSize = shown.map { $0.width == frame.width && $0.height == frame.height } ?? false
        let rows = sameSize ? rows : nil
        for run in frame.changes(since: shown, rows: rows) {
            let blankEnd = erasableEnd(of: run, frameWidth: frame.width)
            for (offset, cell) in run.cells[..<blankEnd].enumerated() where !cell.isContinuation {
                moveTo(x: run.x + offset, y: run.y, width: frame.width)
                setPen(stylesByTag[cell.role.tag])
                write(cell, at: run.x + offset, frameWidth: frame.width, y: run.y)
            }
            if blankEnd < run.cells.count {
                moveTo(x: run.x + blankEnd, y: run.y, width: frame.width)
                setPen(stylesByTag[run.cells[blankEnd].role.tag])
                append("\u{1B}[K")
            }
        }
        if let cursorAt {
            moveTo(x: cursorAt.x, y: cursorAt.y, width: frame.width)
            if cursorVisible != true {
                append("\u{1B}[?25h")
                cursorVisible = true
            }
        } else if cursorVisible != false {
            append("\u{1B}[?25l")
            cursorVisible = false
        }
        if let rows, shown != nil {
            // The painter's own copy, changed row by row: sharing the frame's storage instead would
            // make the next partial frame copy all of it before drawing.
            shown!.copy(rows: rows, from: frame)
        } else {
            shown = frame
        }
        return out
    }

    /// The bytes that leave the terminal plain for the shell: attributes reset, cursor shown,
    /// at the bottom-left. What the terminal shows is forgotten.
    public mutating func leave(height: Int) -> [UInt8] {
        out.removeAll(keepingCapacity: true)
        append("\u{1B}[0m\u{1B}[?25h\u{1B}[\(max(height, 1));1H")
        invalidate()
        return out
    }

    /// Where the blank tail of a run that reaches the right edge starts, when erasing the line
    /// gives the same look for fewer bytes; `run.cells.count` otherwise.
    private func erasableEnd(of run: CellRun, frameWidth: Int) -> Int {
        let cells = run.cells
        guard run.x + cells.count == frameWidth, let last = cells.last, last.isSpace, last.width == 1 else { return cells.count }
        let style = stylesByTag[last.role.tag]
        guard !style.reverse, !style.underline, style.background == nil || erasesWithBackground else { return cells.count }
        var start = cells.count
        while start > 0, cells[start - 1].isSpace, cells[start - 1].width == 1, cells[start - 1].role == last.role { start -= 1 }
        return cells.count - start >= 4 ? start : cells.count
    }

    // MARK: Bytes

    private mutating func write(_ cell: Cell, at x: Int, frameWidth: Int, y: Int) {
        let scalar = cell.scalar
        if !unicode && !(scalar.map(\.isASCII) ?? false) {
            // One "?" per column the grapheme takes, so a wide one leaves nothing stale behind.
            out.append(contentsOf: repeatElement(UInt8(ascii: "?"), count: max(Int(cell.width), 1)))
            let next = x + max(Int(cell.width), 1)
            cursor = next >= frameWidth ? nil : (next, y)
            return
        }
        if let scalar {
            if scalar.isASCII { out.append(UInt8(scalar.value)) } else { out.append(contentsOf: UTF8.encode(scalar)!) }
        } else {
            out.append(contentsOf: String(cell.grapheme).utf8)
        }
        let next = x + max(Int(cell.width), 1)
        if next >= frameWidth || scalar == nil || scalar!.value >= 0x1F000 {
            // The last column leaves a pending wrap; clusters and emoji are drawn at widths
            // terminals disagree on: place the next cell explicitly.
            cursor = nil
        } else {
            cursor = (next, y)
        }
    }

    private mutating func moveTo(x: Int, y: Int, width: Int) {
        if let cursor, cursor.y == y {
            if cursor.x == x { return }
            if x > cursor.x {
                let gap = x - cursor.x
                append(gap == 1 ? "\u{1B}[C" : "\u{1B}[\(gap)C")
                self.cursor = (x, y)
                return
            }
        }
        if x == 0 && y == 0 {
            append("\u{1B}[H")
        } else if x == 0 {
            append("\u{1B}[\(y + 1)H")
        } else {
            append("\u{1B}[\(y + 1);\(x + 1)H")
        }
        cursor = (x, y)
    }

    private mutating func setPen(_ style: ResolvedStyle) {
        if let pen, pen == style { return }
        var parameters: [String] = []
        let old: ResolvedStyle
        if let pen, !(pen.bold && !style.bold), !(pen.reverse && !style.reverse), !(pen.underline && !style.underline) {
            old = pen
        } else {
            // Unknown, or an attribute must go off: "0" is the one reset every terminal knows.
            parameters.append("0")
            old = ResolvedStyle()
        }
        if style.bold && !old.bold { parameters.append("1") }
        if style.underline && !old.underline { parameters.append("4") }
        if style.reverse && !old.reverse { parameters.append("7") }
        if style.foreground != old.foreground { parameters.append(Self.color(style.foreground, base: 30)) }
        if style.background != old.background { parameters.append(Self.color(style.background, base: 40)) }
        append("\u{1B}[" + parameters.concatenated(separator: ";") + "m")
        pen = style
    }

    /// SGR parameters for a colour; `base` is 30 (foreground) or 40 (background).
    static func color(_ color: TerminalColor?, base: Int) -> String {
        switch color {
        case nil: return String(base + 9)
        case .indexed(let index)? where index < 8: return String(base + Int(index))
        case .indexed(let index)? where index < 16: return String(base + 60 + Int(index) - 8)
        case .indexed(let index)?: return "\(base + 8);5;\(index)"
        case .rgb(let rgb)?: return "\(base + 8);2;\(rgb.red);\(rgb.green);\(rgb.blue)"
        }
    }

    static func table(_ styles: [Role: ResolvedStyle]) -> [ResolvedStyle] {
        Role.allCases.map { styles[$0] ?? ResolvedStyle() }
    }

    private mutating func append(_ text: String) {
        out.append(contentsOf: text.utf8)
    }
}
