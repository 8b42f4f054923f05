/// The console's non-ASCII characters and their ASCII stand-ins: Unicode when the terminal's
/// locale is UTF-8, ASCII otherwise (as htop does). Borders, the ellipsis of cut text and the
/// marks are asked for by name; the typographic characters that texts carry (· — › “ ” → ↑ ✓ •)
/// are replaced as a `Buffer` in ASCII writes them, one column for one, so layouts stay as they are.
public struct Glyphs: Sendable, Equatable {
    public let horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: Character
    public let ellipsis: String
    public let check, cross, bullet: Character
    /// True: only ASCII reaches the grid (`standIn(for:)` applies).
    public let isASCII: Bool

    public static let unicode = Glyphs(horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
                                       ellipsis: "…", check: "✓", cross: "✗", bullet: "•", isASCII: false)
    public static let ascii = Glyphs(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
                                     ellipsis: "...", check: "+", cross: "x", bullet: "*", isASCII: true)

    /// The one-column ASCII character written for `character` in ASCII, nil when it has none
    /// (ASCII itself, or a letter of a name: the painter shows that as "?").
    public func standIn(for character: Character) -> Character? {
        guard isASCII, !character.isASCII else { return nil }
        return Self.asciiStandIns[character]
    }

    /// Every typographic character the console's own texts use, and what ASCII shows instead.
    /// Each is one column wide, like its stand-in.
    static let asciiStandIns: [Character: Character] = [
        "·": "-", "—": "-", "–": "-", "‒": "-", "―": "-", "−": "-",
        "›": ">", "‹": "<", "»": ">", "«": "<",
        "“": "\"", "”": "\"", "„": "\"", "‘": "'", "’": "'", "‚": "'",
        "→": ">", "←": "<", "↑": "^", "↓": "v",
        "✓": "+", "✔": "+", "✗": "x", "✘": "x", "•": "*",
        "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+",
        "\u{00A0}": " ",
    ]
}

/// Widgets are pure functions of what they show into a buffer; they remember nothing.
public enum Widgets {
    /// `[ 1 Outgoing OAuth Connections ]  2 Slash Commands` on one row.
    public static func tabBar(_ titles: [String], selected: Int, in rect: Rect, into buffer: inout Buffer) {
        buffer.fill(rect, role: .tabInactive)
        var x = rect.x + 1
        for (index, title) in titles.enumerated() {
            let text = " \(index + 1) \(title) "
            let used = buffer.write(text, x: x, y: rect.y, role: index == selected ? .tabActive : .tabInactive, limit: rect.maxX - x)
            x += used + 1
            if x >= rect.maxX { break }
        }
    }

    /// `key label  key label ...`; tighter when narrow, then cut to fit.
    public static func hintBar(_ items: [(keys: String, label: String)], in rect: Rect, into buffer: inout Buffer) {
        buffer.fill(rect, role: .hintLabel)
        let roomy = items.reduce(0) { $0 + DisplayWidth.of($1.keys) + DisplayWidth.of($1.label) + 3 } <= rect.width
        var x = rect.x
        for (keys, label) in items {
            let need = DisplayWidth.of(keys) + DisplayWidth.of(label) + (roomy ? 3 : 2)
            if x + need > rect.maxX { break }
            x += buffer.write(" \(keys)", x: x, y: rect.y, role: .hintKey)
            x += buffer.write(roomy ? " \(label) " : " \(label)", x: x, y: rect.y, role: .hintLabel)
        }
    }

    /// A bordered box with a title on the top edge; returns the inside.
    @discardableResult
    public static func box(_ rect: Rect, title: String?, glyphs: Glyphs, role: Role = .dialog, into buffer: inout Buffer) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        buffer.fill(rect, role: role)
        let horizontal = String(repeating: glyphs.horizontal, count: rect.width - 2)
        buffer.write(String(glyphs.topLeft) + horizontal + String(glyphs.topRight), x: rect.x, y: rect.y, role: .border)
        buffer.write(String(glyphs.bottomLeft) + horizontal + String(glyphs.bottomRight), x: rect.x, y: rect.maxY - 1, role: .border)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            buffer.write(String(glyphs.vertical), x: rect.x, y: y, role: .border)
            buffer.write(String(glyphs.vertical), x: rect.maxX - 1, y: y, role: .border)
        }
        if let title, rect.width > 6 {
            buffer.write(" \(DisplayWidth.truncated(title, to: rect.width - 6, ellipsis: glyphs.ellipsis)) ", x: rect.x + 2, y: rect.y, role: .dialogTitle)
        }
        return rect.inset(by: 1)
    }

    /// Words wrapped to `width` columns (by display width; long words are cut). Remembered:
    /// frames are drawn on every key and the same help texts and notes come back each time.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        let key = WrapKey(text: text, width: width)
        if let lines = wrapped.withLock({ $0[key] }) { return lines }
        let lines = wrapUncached(text, width: width)
        wrapped.withLock { cache in
            if cache.count >= 1024 { cache.removeAll(keepingCapacity: true) } // a bound, not an LRU
            cache[key] = lines
        }
        return lines
    }

    private struct WrapKey: Hashable {
        let text: String
        let width: Int
    }

    private static let wrapped = Locked([WrapKey: [String]]())

    static func wrapUncached(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // Widths add up word by word (a space is a grapheme boundary): each word is measured
            // once, not the whole line again for every word.
            var line = "", lineWidth = 0
            for word in paragraph.split(separator: " ") {
                let wordWidth = DisplayWidth.of(String(word))
                let candidateWidth = line.isEmpty ? wordWidth : lineWidth + 1 + wordWidth
                if candidateWidth <= width {
                    line = line.isEmpty ? String(word) : line + " " + word
                    lineWidth = candidateWidth
                    continue
                }
                if !line.isEmpty { lines.append(line) }
                // A word wider than the line (a long URL) is broken, not cut.
                var rest = Substring(word), restWidth = wordWidth
                while restWidth > width {
                    var piece = "", pieceWidth = 0
                    while let next = rest.first, pieceWidth + DisplayWidth.of(next) <= width {
                        piece.append(next)
                        pieceWidth += DisplayWidth.of(next)
                        rest = rest.dropFirst()
                    }
                    if piece.isEmpty { // a character wider than the line
                        let wide = rest.removeFirst()
                        piece.append(wide)
                        pieceWidth = DisplayWidth.of(wide)
                    }
                    lines.append(piece)
                    restWidth -= pieceWidth
                }
                line = String(rest)
                lineWidth = restWidth
            }
            lines.append(line)
        }
        return lines
    }

    /// A centred dialog: title, wrapped message lines, and buttons on the last row.
    public static func dialog(title: String, message: [(String, Role)], buttons: [String], in area: Rect, glyphs: Glyphs, into buffer: inout Buffer) {
        let width = min(area.width - 4, 72)
        guard width >= 20 else { return }
        var lines: [(String, Role)] = []
        for (text, role) in message {
            for line in wrap(text, width: width - 4) { lines.append((line, role)) }
        }
        let height = min(area.height, lines.count + 5)
        let inner = box(area.centered(width: width, height: height), title: title, glyphs: glyphs, into: &buffer)
        for (offset, (line, role)) in lines.prefix(max(0, inner.height - 2)).enumerated() {
            buffer.write(line, x: inner.x + 1, y: inner.y + 1 + offset, role: role, limit: inner.width - 2)
        }
        let row = buttons.map { "[ \($0) ]" }.concatenated(separator: "  ")
        let x = inner.x + max(1, inner.width - DisplayWidth.of(row) - 1)
        buffer.write(row, x: x, y: inner.maxY - 1, role: .accent, limit: inner.width - 1)
    }

    /// Which rows of a list are visible, keeping `selected` in view; only those are drawn, so
    /// 100,000 rows cost what 30 do.
    public static func visibleRange(count: Int, selected: Int, offset: Int, height: Int) -> (range: Range<Int>, offset: Int) {
        guard count > 0, height > 0 else { return (0..<0, 0) }
        var offset = min(max(0, offset), max(0, count - height))
        if selected < offset { offset = selected }
        if selected >= offset + height { offset = selected - height + 1 }
        return (offset..<min(count, offset + height), offset)
    }
}
