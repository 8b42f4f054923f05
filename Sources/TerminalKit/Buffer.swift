/// One terminal cell: a grapheme, its width and its role. A wide grapheme fills two cells: the
/// lead (width 2) and a continuation (width 0) that is never drawn on its own.
/// One column of the screen as plain data (8 bytes, no reference counting): frames are built,
/// compared and painted cell by cell on every key, so a `Character` here would cost a retain and
/// a release per cell and a string comparison per diff.
public struct Cell: Sendable, Hashable {
    /// The grapheme: one Unicode scalar's value, or (for the rare cluster of several scalars, such
    /// as a flag or an emoji with a modifier) `GraphemeClusters.mark | index` into the shared table.
    public private(set) var code: UInt32
    public var width: UInt8
    public var role: Role
    /// Always zero: the padding spelled out, so rows of cells compare as bytes (FrameDiff).
    private var spare: UInt16 = 0

    public init(_ grapheme: Character = " ", width: UInt8 = 1, role: Role = .normal) {
        self.code = GraphemeClusters.code(of: grapheme)
        self.width = width
        self.role = role
    }

    @inline(__always)
    init(scalar: UInt32, width: UInt8, role: Role) {
        self.code = scalar
        self.width = width
        self.role = role
    }

    public var grapheme: Character {
        get { GraphemeClusters.character(code) }
        set { code = GraphemeClusters.code(of: newValue) }
    }

    /// True for a plain space (the blank that erasing a line leaves).
    public var isSpace: Bool { code == 0x20 }

    /// A single scalar (nil for a cluster).
    public var scalar: Unicode.Scalar? { code & GraphemeClusters.mark == 0 ? Unicode.Scalar(code) : nil }

    public var isContinuation: Bool { width == 0 }
    static func continuation(_ role: Role) -> Cell { Cell(scalar: 0x20, width: 0, role: role) }
}

public struct Rect: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }

    public func inset(by amount: Int) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    /// A rectangle of this size centred in `self`.
    public func centered(width: Int, height: Int) -> Rect {
        let w = min(width, self.width), h = min(height, self.height)
        return Rect(x: x + (self.width - w) / 2, y: y + (self.height - h) / 2, width: w, height: h)
    }

    public func row(_ offset: Int) -> Rect { Rect(x: x, y: y + offset, width: width, height: 1) }
}

/// A grid of cells that widgets draw into. Writing clips by display width, never by characters:
/// a wide grapheme that does not fit is replaced by a space, and overwriting half of one clears
/// the other half.
public struct Buffer: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// What the terminal can show: in ASCII, typographic characters are written as their
    /// one-column stand-ins and cut text ends in "...".
    public var glyphs: Glyphs

    public init(width: Int, height: Int, role: Role = .normal, glyphs: Glyphs = .unicode) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.glyphs = glyphs
        cells = Array(repeating: Cell(role: role), count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes `text` from (x, y), clipped to `limit` columns (and the buffer's edge). Control
    /// characters (C0, DEL, C1) are dropped, whoever forgot to sanitise. Returns the columns used.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, role: Role, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, x + (limit ?? width))
        var column = x
        // Plain ASCII (most of every frame) is one cell per byte: no grapheme breaking. A byte
        // followed by a non-ASCII one may start a cluster (e + combining accent), so the rest
        // goes the general way from there.
        let utf8 = text.utf8
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            let next = utf8.index(after: index)
            guard byte < 0x80, next == utf8.endIndex || utf8[next] < 0x80 else { break }
            index = next
            if byte < 0x20 || byte == 0x7F { continue }
            if column >= end { return max(0, column - x) }
            if column >= 0 { put(Cell(scalar: UInt32(byte), width: 1, role: role), x: column, y: y) }
            column += 1
        }
        if index == utf8.endIndex { return max(0, column - x) }
        let ascii = glyphs.isASCII
        for var character in text[index...] {
            if Self.holdsControl(character) { continue }
            if ascii, let standIn = glyphs.standIn(for: character) { character = standIn }
            let w = DisplayWidth.of(character)
            if w == 0 { continue } // a lone combining mark has nothing to sit on
            if column + w > end {
                if column < end && w == 2 { put(Cell(scalar: 0x20, width: 1, role: role), x: column, y: y) ; column += 1 }
                break
            }
            if column >= 0 {
                put(Cell(character, width: UInt8(w), role: role), x: column, y: y)
                if w == 2 { put(.continuation(role), x: column + 1, y: y) }
            }
            column += w
        }
        return max(0, column - x)
    }

    /// Writes `text` and pads with spaces to exactly `width` columns (truncating with the ellipsis).
    public mutating func write(_ text: String, in rect: Rect, role: Role, truncate: Bool = true) {
        let shown = truncate ? DisplayWidth.truncated(text, to: rect.width, ellipsis: glyphs.ellipsis) : text
        let used = write(shown, x: rect.x, y: rect.y, role: role, limit: rect.width)
        if used < rect.width { fill(Rect(x: rect.x + used, y: rect.y, width: rect.width - used, height: 1), role: role) }
    }

    /// Fills `rect` with `character` (a space if it is a control character).
    public mutating func fill(_ rect: Rect, role: Role, with character: Character = " ") {
        let character = Self.holdsControl(character) ? " " : glyphs.standIn(for: character) ?? character
        // Clipped to the buffer; a rect wholly outside it (a tiny terminal) fills nothing.
        guard let (xs, ys) = clipped(rect) else { return }
        let cell = Cell(character, role: role)
        guard cell.isSpace else {
            for y in ys {
                for x in xs { put(cell, x: x, y: y) }
            }
            return
        }
        // Blanks (most fills: padding, inputs): what `put` cell by cell leaves, with only the
        // edges to look at. A wide grapheme cut at either edge loses its other half, which
        // becomes a blank of its own role; inside, every cell becomes `cell`.
        let blank = { (old: Cell) in Cell(scalar: 0x20, width: 1, role: old.role) }
        cells.withUnsafeMutableBufferPointer { cells in
            for y in ys {
                let row = y * width
                if xs.lowerBound > 0 && cells[row + xs.lowerBound].isContinuation { cells[row + xs.lowerBound - 1] = blank(cells[row + xs.lowerBound - 1]) }
                if xs.upperBound < width && cells[row + xs.upperBound - 1].width == 2 { cells[row + xs.upperBound] = blank(cells[row + xs.upperBound]) }
                for x in xs { cells[row + x] = cell }
            }
        }
    }

    /// Row `y` as a new buffer has it (spaces in `.normal`), before drawing it again over an old
    /// frame: drawing over blanks is what a fresh frame does, so the result is the same.
    public mutating func blank(row y: Int) {
        guard y >= 0, y < height else { return }
        let blank = Cell(scalar: 0x20, width: 1, role: .normal)
        cells.withUnsafeMutableBufferPointer { cells in
            for index in (y * width)..<(y * width + width) { cells[index] = blank }
        }
    }

    /// Copies `rows` of `source`, a buffer of the same size, over this one's.
    public mutating func copy(rows: [Int], from source: Buffer) {
        precondition(source.width == width && source.height == height)
        cells.withUnsafeMutableBufferPointer { cells in
            source.cells.withUnsafeBufferPointer { source in
                for y in rows where y >= 0 && y < height {
                    (cells.baseAddress! + y * width).update(from: source.baseAddress! + y * width, count: width)
                }
            }
        }
    }

    /// Changes the role of cells without touching their text (highlighting a row).
    public mutating func paint(_ rect: Rect, role: Role) {
        guard let (xs, ys) = clipped(rect) else { return }
        for y in ys {
            for x in xs { cells[y * width + x].role = role }
        }
    }

    /// The columns and rows of `rect` inside the buffer; nil when none are.
    private func clipped(_ rect: Rect) -> (Range<Int>, Range<Int>)? {
        let x0 = max(0, rect.x), x1 = min(width, rect.maxX), y0 = max(0, rect.y), y1 = min(height, rect.maxY)
        return x0 < x1 && y0 < y1 ? (x0..<x1, y0..<y1) : nil
    }

    /// True for a grapheme with a C0 (0x00–0x1F), DEL or C1 (0x80–0x9F) scalar: never a cell's.
    /// (Grapheme rules keep controls on their own, or as CR LF, so this is one or two checks.)
    @inline(__always)
    static func holdsControl(_ character: Character) -> Bool {
        for scalar in character.unicodeScalars {
            let value = scalar.value
            if value < 0x20 || (value >= 0x7F && value <= 0x9F) { return true }
        }
        return false
    }

    private mutating func put(_ cell: Cell, x: Int, y: Int) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let index = y * width + x
        // Keep wide graphemes whole: overwriting either half blanks the other (but a wide
        // grapheme's own second half, written over an old one, keeps its first).
        if cells[index].isContinuation, x > 0, !cell.isContinuation {
            cells[index - 1] = Cell(scalar: 0x20, width: 1, role: cells[index - 1].role)
        } else if cells[index].width == 2, x + 1 < width, !(cell.width == 2) {
            cells[index + 1] = Cell(scalar: 0x20, width: 1, role: cells[index + 1].role)
        }
        if cell.width == 2 && x + 1 >= width {
            cells[index] = Cell(scalar: 0x20, width: 1, role: cell.role) // no room for the second half
        } else {
            cells[index] = cell
        }
    }

    /// The screen as plain text, one line per row, trailing spaces removed: for snapshots.
    public var text: String {
        var lines: [String] = []
        lines.reserveCapacity(height)
        for y in 0..<height {
            var line = ""
            for x in 0..<width {
                let cell = cells[y * width + x]
                if !cell.isContinuation { line.append(cell.grapheme) }
            }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.concatenated(separator: "\n")
    }
}
