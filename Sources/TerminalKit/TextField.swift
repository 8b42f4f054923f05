/// An editable line (or lines) of text with readline keys. Pure state: the form owns it and
/// the widget draws it. A masked field never shows its text and its word motions don't reveal
/// where words break.
public struct TextField: Sendable, Equatable {
    public private(set) var characters: [Character] { didSet { joined = String(characters) } }
    /// `characters` as one string, made once per edit: a form reads every field's text on each key.
    private var joined: String
    /// Insertion point, in characters.
    public private(set) var cursor: Int
    /// Most characters (runes) the field takes; a longer paste is cut and says so.
    public let limit: Int?
    public let masked: Bool
    public let multiline: Bool
    /// "Pasted text was cut to N characters", until the next edit.
    public private(set) var notice: String?

    public init(_ text: String = "", limit: Int? = nil, masked: Bool = false, multiline: Bool = false) {
        characters = Array(text)
        joined = text
        cursor = characters.count
        self.limit = limit
        self.masked = masked
        self.multiline = multiline
    }

    public var text: String {
        get { joined }
        set {
            characters = Array(newValue)
            cursor = characters.count
            notice = nil
        }
    }

    public var isEmpty: Bool { characters.isEmpty }

    /// Inserts typed or pasted text at the cursor. Returns false when nothing fit.
    @discardableResult
    public mutating func insert(_ text: String) -> Bool {
        var incoming = Array(text.filter { multiline ? ($0 == "\n" || !$0.isControlCharacter) : !$0.isControlCharacter && $0 != "\n" })
        if !multiline { incoming = incoming.filter { $0 != "\r" } }
        notice = nil
        if let limit {
            let room = max(0, limit - runeCount)
            if incoming.reduce(0, { $0 + $1.unicodeScalars.count }) > room {
                var kept: [Character] = []
                var used = 0
                for character in incoming {
                    let size = character.unicodeScalars.count
                    if used + size > room { break }
                    kept.append(character)
                    used += size
                }
                notice = "Cut to the limit of \(limit) characters"
                incoming = kept
            }
        }
        characters.insert(contentsOf: incoming, at: cursor)
        cursor += incoming.count
        return !incoming.isEmpty
    }

    var runeCount: Int { joined.unicodeScalars.count }

    /// The Alt keys `handle` binds (word motions): while a field has the keyboard, ESC then one of
    /// these at once is that Alt key (see `KeyDecoder.altKeys`). Keep in step with `handle`.
    public static let altKeys: Set<Character> = ["b", "f"]

    /// Handles an editing key; false when the key is not an editing key (the form may use it).
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let character):
            insert(String(character))
        case .enter where multiline:
            insert("\n")
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = multiline ? lineStart(cursor) : 0
        case .end, .control("e"): cursor = multiline ? lineEnd(cursor) : characters.count
        case .backspace:
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1)
            cursor -= 1
            notice = nil
        case .delete, .control("d"):
            guard cursor < characters.count else { return true }
            characters.remove(at: cursor)
            notice = nil
        case .control("w"):
            let start = masked ? 0 : wordStart(before: cursor)
            characters.removeSubrange(start..<cursor)
            cursor = start
            notice = nil
        case .control("u"):
            let start = multiline ? lineStart(cursor) : 0
            characters.removeSubrange(start..<cursor)
            cursor = start
            notice = nil
        case .control("k"):
            let end = multiline ? lineEnd(cursor) : characters.count
            characters.removeSubrange(cursor..<end)
            notice = nil
        case .alt("b"): cursor = masked ? 0 : wordStart(before: cursor)
        case .alt("f"): cursor = masked ? characters.count : wordEnd(after: cursor)
        case .up where multiline:
            guard let moved = verticalMove(-1) else { return false }
            cursor = moved
        case .down where multiline:
            guard let moved = verticalMove(1) else { return false }
            cursor = moved
        default:
            return false
        }
        return true
    }

    private func wordStart(before index: Int) -> Int {
        var i = index
        while i > 0 && !characters[i - 1].isLetter && !characters[i - 1].isNumber { i -= 1 }
        while i > 0 && (characters[i - 1].isLetter || characters[i - 1].isNumber) { i -= 1 }
        return i
    }

    private func wordEnd(after index: Int) -> Int {
        var i = index
        while i < characters.count && !characters[i].isLetter && !characters[i].isNumber { i += 1 }
        while i < characters.count && (characters[i].isLetter || characters[i].isNumber) { i += 1 }
        return i
    }

    private func lineStart(_ index: Int) -> Int {
        var i = index
        while i > 0 && characters[i - 1] != "\n" { i -= 1 }
        return i
    }

    private func lineEnd(_ index: Int) -> Int {
        var i = index
        while i < characters.count && characters[i] != "\n" { i += 1 }
        return i
    }

    /// The same column on the line above or below; nil at the first or last line.
    private func verticalMove(_ direction: Int) -> Int? {
        let start = lineStart(cursor)
        let column = cursor - start
        if direction < 0 {
            guard start > 0 else { return nil }
            let previousStart = lineStart(start - 1)
            return min(previousStart + column, start - 1)
        }
        let end = lineEnd(cursor)
        guard end < characters.count else { return nil }
        let nextStart = end + 1
        return min(nextStart + column, lineEnd(nextStart))
    }

    /// Lines of the text, and the (line, column-in-characters) of the cursor.
    public var lines: [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    public var cursorLine: (line: Int, offset: Int) {
        let before = characters[..<cursor]
        let line = before.filter { $0 == "\n" }.count
        return (line, cursor - lineStart(cursor))
    }
}

extension Character {
    var isControlCharacter: Bool {
        guard let scalar = unicodeScalars.first else { return true }
        return scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

extension Widgets {
    /// Draws a one-line field with horizontal scrolling that keeps the cursor in view.
    /// Returns the screen column of the cursor (for the terminal cursor) when focused.
    @discardableResult
    public static func textField(_ field: TextField, in rect: Rect, focused: Bool, mask: Character = "•", into buffer: inout Buffer) -> Int? {
        let role: Role = focused ? .inputFocused : .input
        buffer.fill(rect, role: role)
        let characters = field.characters, masked = field.masked
        // ASCII that fits with the cursor (what is typed into most fields): the text as it is.
        if !masked, field.text.utf8.count == characters.count, DisplayWidth.of(field.text) < rect.width {
            var widthBeforeCursor = 0
            for byte in field.text.utf8.prefix(field.cursor) where byte >= 0x20 && byte != 0x7F { widthBeforeCursor += 1 }
            buffer.write(field.text, x: rect.x, y: rect.y, role: role, limit: rect.width)
            return focused ? rect.x + widthBeforeCursor : nil
        }
        @inline(__always) func shown(_ index: Int) -> Character { masked ? mask : characters[index] }
        // Scroll so the cursor sits inside the rect.
        var start = 0
        var widthBeforeCursor = 0
        for index in 0..<field.cursor { widthBeforeCursor += DisplayWidth.of(shown(index)) }
        while widthBeforeCursor > rect.width - 1 && start < field.cursor {
            widthBeforeCursor -= DisplayWidth.of(shown(start))
            start += 1
        }
        // What fits from `start` (and a character more, which `write` cuts as it cuts any text),
        // appended one by one: a String made from a slice of characters goes the generic way.
        var visible = ""
        var columns = 0
        var index = start
        while index < characters.count && columns <= rect.width {
            let character = shown(index)
            columns += DisplayWidth.of(character)
            visible.append(character)
            index += 1
        }
        buffer.write(visible, x: rect.x, y: rect.y, role: role, limit: rect.width)
        return focused ? rect.x + widthBeforeCursor : nil
    }
}
