import Testing
@testable import TerminalKit
import SeededRandom

@Suite("Screen painter")
struct ScreenPainterTests {
    static let styles: [Role: ResolvedStyle] = [
        .normal: ResolvedStyle(),
        .header: ResolvedStyle(foreground: .indexed(231), background: .indexed(24), bold: true),
        .input: ResolvedStyle(foreground: .rgb(RGB(0x1c, 0x58, 0xd9)), background: .indexed(7)),
        .selection: ResolvedStyle(reverse: true),
        .error: ResolvedStyle(foreground: .indexed(9), underline: true),
    ]
    static let roles: [Role] = [.normal, .header, .input, .selection, .error]

    /// What the virtual terminal should hold for `frame`.
    static func expectMatches(_ terminal: VirtualTerminal, _ frame: Buffer, cursor: (x: Int, y: Int)?,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        for y in 0..<frame.height {
            for x in 0..<frame.width {
                let cell = frame[x, y]
                let slot = terminal[x, y]
                let style = styles[cell.role] ?? ResolvedStyle()
                if cell.isContinuation {
                    #expect(slot.text == "\0", "(\(x),\(y)) should hold the second half of a wide character", sourceLocation: sourceLocation)
                    continue
                }
                #expect(slot.text == cell.grapheme, "(\(x),\(y)): \(slot.text) instead of \(cell.grapheme)", sourceLocation: sourceLocation)
                let pen = VirtualTerminal.Pen(bold: style.bold, underline: style.underline, reverse: style.reverse,
                                              foreground: ScreenPainter.color(style.foreground, base: 30),
                                              background: ScreenPainter.color(style.background, base: 40))
                // A blank shows only its background (and reverse or underline).
                let same = cell.grapheme == " "
                    ? (slot.pen.background, slot.pen.reverse, slot.pen.underline) == (pen.background, pen.reverse, pen.underline)
                    : slot.pen == pen
                #expect(same, "(\(x),\(y)) has the wrong look: \(slot.pen) instead of \(pen)", sourceLocation: sourceLocation)
            }
        }
        if let cursor {
            #expect(terminal.cursorVisible && terminal.cursor == cursor, "cursor \(terminal.cursor) instead of \(cursor)", sourceLocation: sourceLocation)
        } else {
            #expect(!terminal.cursorVisible, sourceLocation: sourceLocation)
        }
    }

    @Test func aTypedCharacterCostsOneByte() throws {
        var painter = ScreenPainter(styles: Self.styles)
        var terminal = VirtualTerminal(width: 40, height: 10)
        var frame = Buffer(width: 40, height: 10)
        frame.write("Name", x: 2, y: 4, role: .header)
        frame.fill(Rect(x: 2, y: 5, width: 30, height: 1), role: .input)
        frame.write("Status: ready", x: 0, y: 9, role: .selection)
        try terminal.feed(painter.paint(frame, cursorAt: (2, 5)))
        var sizes: [Int] = []
        for (index, character) in "Payroll 給与".enumerated() {
            frame.write(String(character), x: 2 + DisplayWidth.of(String("Payroll 給与".prefix(index))), y: 5, role: .input)
            let cursor = (2 + DisplayWidth.of(String("Payroll 給与".prefix(index + 1))), 5)
            let bytes = painter.paint(frame, cursorAt: cursor)
            sizes.append(bytes.count)
            try terminal.feed(bytes)
            Self.expectMatches(terminal, frame, cursor: cursor)
        }
        // The first needs the field's colours set; after that one character is one byte
        // (three for a CJK character in UTF-8).
        #expect(Array(sizes.dropFirst().prefix(6)) == [1, 1, 1, 1, 1, 1], "\(sizes)")
        #expect(sizes[7] == 3, "a space over the blank field only moves the cursor: \(sizes)")
        #expect(sizes.suffix(2) == [3, 3], "\(sizes)")
    }

    @Test func anUnchangedFrameCostsNothing() {
        var painter = ScreenPainter(styles: Self.styles)
        var frame = Buffer(width: 20, height: 4)
        frame.write("hello", x: 0, y: 0, role: .header)
        _ = painter.paint(frame, cursorAt: nil)
        #expect(painter.paint(frame, cursorAt: nil).isEmpty)
        _ = painter.paint(frame, cursorAt: (3, 2))
        #expect(painter.paint(frame, cursorAt: (3, 2)).isEmpty)
    }

    @Test func aBlankLineEndIsErasedWhereThatLooksTheSame() throws {
        var frame = Buffer(width: 30, height: 2)
        frame.write("left", x: 0, y: 0, role: .normal)
        frame.fill(Rect(x: 0, y: 1, width: 30, height: 1), role: .header)
        frame.write("title", x: 0, y: 1, role: .header)
        for bce in [false, true] {
            var painter = ScreenPainter(styles: Self.styles, erasesWithBackground: bce)
            let bytes = painter.paint(frame, cursorAt: nil)
            let text = String(decoding: bytes, as: UTF8.self)
            // The default-background line is always erased; the coloured one only with bce.
            #expect(text.components(separatedBy: "\u{1B}[K").count - 1 == (bce ? 2 : 1), "\(text.debugDescription)")
            var terminal = VirtualTerminal(width: 30, height: 2, bce: bce)
            try terminal.feed(bytes)
            Self.expectMatches(terminal, frame, cursor: nil)
        }
    }

    @Test func colourNumbersFollowTheDepth() {
        #expect(ScreenPainter.color(nil, base: 30) == "39")
        #expect(ScreenPainter.color(.indexed(3), base: 30) == "33")      // the 8 colours the linux console knows
        #expect(ScreenPainter.color(.indexed(4), base: 40) == "44")
        #expect(ScreenPainter.color(.indexed(12), base: 30) == "94")
        #expect(ScreenPainter.color(.indexed(200), base: 40) == "48;5;200")
        #expect(ScreenPainter.color(.rgb(RGB(1, 2, 3)), base: 30) == "38;2;1;2;3")
    }

    @Test func attributesTurnOffWithAResetAndColoursComeBack() throws {
        var painter = ScreenPainter(styles: Self.styles)
        var frame = Buffer(width: 10, height: 1)
        frame.write("ab", x: 0, y: 0, role: .header)
        frame.write("cd", x: 2, y: 0, role: .input)
        let bytes = String(decoding: painter.paint(frame, cursorAt: nil), as: UTF8.self)
        #expect(bytes.contains("\u{1B}[0;1;38;5;231;48;5;24mab"), "\(bytes.debugDescription)")
        // Bold must go off: reset, then the field's colours.
        #expect(bytes.contains("\u{1B}[0;38;2;28;88;217;47mcd"), "\(bytes.debugDescription)")
    }

    @Test func withoutUnicodeEveryGraphemeBecomesOneASCIICharacter() throws {
        var painter = ScreenPainter(styles: Self.styles, unicode: false)
        var frame = Buffer(width: 12, height: 1)
        frame.write("給a—b", x: 0, y: 0, role: .normal)
        let text = String(decoding: painter.paint(frame, cursorAt: nil), as: UTF8.self)
        #expect(text.allSatisfy { $0.isASCII }, "\(text.debugDescription)")
        var terminal = VirtualTerminal(width: 12, height: 1)
        try terminal.feed(Array(text.utf8))
        // The wide character takes its two columns as "??".
        #expect(terminal[0, 0].text == "?" && terminal[1, 0].text == "?" && terminal[2, 0].text == "a" && terminal[3, 0].text == "?"
                 && terminal[4, 0].text == "b")
    }

    @Test func clearingStartsFromADefaultPen() throws {
        var painter = ScreenPainter(styles: Self.styles)
        var frame = Buffer(width: 8, height: 2, role: .header)
        frame.write("x", x: 0, y: 0, role: .header)
        _ = painter.paint(frame, cursorAt: nil)
        painter.invalidate(clear: true)
        let text = String(decoding: painter.paint(frame, cursorAt: nil), as: UTF8.self)
        #expect(text.hasPrefix("\u{1B}[0m\u{1B}[H\u{1B}[2J"), "\(text.debugDescription)")
        var terminal = VirtualTerminal(width: 8, height: 2)
        try terminal.feed(Array(text.utf8))
        Self.expectMatches(terminal, frame, cursor: nil)
    }

    /// Random frames, one after another, at sizes that change: after each, the terminal shows
    /// exactly the frame, cursor included — whatever changed and whatever the painter skipped.
    @Test func anySequenceOfFramesEndsWithTheTerminalShowingTheLastOne() throws {
        var random = SplitMix(seed: 0x5EED)
        let words = ["Payroll", "給与システム", "🚀", "❤️", "e\u{301}", "—", "│", "x", "ok  ", "👩‍💻", "ab cd"]
        for round in 0..<40 {
            let width = Int.random(in: 1...30, using: &random)
            let height = Int.random(in: 1...8, using: &random)
            let bce = round % 3 == 0
            var painter = ScreenPainter(styles: Self.styles, erasesWithBackground: bce)
            var terminal = VirtualTerminal(width: width, height: height, bce: bce)
            var frame = Buffer(width: width, height: height)
            for step in 0..<25 {
                // The rows written this step: half the frames name them, as the console's partial
                // frames do, and the painter must then compare and keep only those.
                var written: [Int] = []
                for _ in 0..<Int.random(in: 0...4, using: &random) {
                    let role = Self.roles.randomElement(using: &random)!
                    let y = Int.random(in: 0..<height, using: &random)
                    written.append(y)
                    if Bool.random(using: &random) {
                        frame.write(words.randomElement(using: &random)!, x: Int.random(in: -2..<width, using: &random), y: y, role: role)
                    } else {
                        frame.paint(Rect(x: Int.random(in: 0..<width, using: &random), y: y,
                                         width: Int.random(in: 1...width, using: &random), height: 1), role: role)
                    }
                }
                if step == 12 { painter.invalidate(clear: round % 2 == 0) }
                let cursor: (x: Int, y: Int)? = Bool.random(using: &random)
                    ? (Int.random(in: 0..<width, using: &random), Int.random(in: 0..<height, using: &random)) : nil
                let rows = Bool.random(using: &random) ? written + written.prefix(1) : nil // repeats are allowed
                try terminal.feed(painter.paint(frame, cursorAt: cursor, rows: rows))
                Self.expectMatches(terminal, frame, cursor: cursor)
            }
        }
    }
}
