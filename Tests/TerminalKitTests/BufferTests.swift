import Testing
@testable import TerminalKit

@Suite("Display width and buffer")
struct BufferTests {
    @Test func widthsOfEveryKindOfText() {
        #expect(DisplayWidth.prepareLocale())
        #expect(DisplayWidth.of("Payroll") == 7)
        #expect(DisplayWidth.of("Café") == 4)                  // precomposed é
        #expect(DisplayWidth.of("Cafe\u{301}") == 4)           // e + combining acute: one grapheme, one column
        #expect(DisplayWidth.of("給与") == 4)                   // CJK: two columns each
        #expect(DisplayWidth.of("🚀") == 2)
        #expect(DisplayWidth.of("👩‍💻") == 2)                     // a ZWJ sequence is one picture
        #expect(DisplayWidth.of("❤️") == 2)                     // emoji presentation selector
        #expect(DisplayWidth.of("\u{1B}[31m") == 4)            // ESC itself takes no column
        #expect(DisplayWidth.truncated("給与システム", to: 7) == "給与シ…")
        #expect(DisplayWidth.truncated("abc", to: 3) == "abc")
    }

    @Test func writingClipsByDisplayWidthNeverSplittingAWideCharacter() {
        var buffer = Buffer(width: 6, height: 2)
        #expect(buffer.write("給与システム", x: 0, y: 0, role: .normal) == 6)
        #expect(buffer.text.split(separator: "\n").first == "給与シ")
        // Five columns available: the third wide character does not fit and leaves a space.
        var narrow = Buffer(width: 5, height: 1)
        narrow.write("給与シ", x: 0, y: 0, role: .normal)
        #expect(narrow.text == "給与")
        #expect(narrow[4, 0].grapheme == " " && narrow[4, 0].width == 1)
        #expect(narrow[1, 0].isContinuation)
        // Overwriting half of a wide character blanks the other half.
        buffer.write("x", x: 1, y: 0, role: .normal)
        #expect(buffer.text.split(separator: "\n").first == " x与シ")
        buffer.write("y", x: 2, y: 0, role: .normal)
        #expect(buffer.text.split(separator: "\n").first == " xy シ")
    }

    @Test func paddingAndTruncationFillTheRectExactly() {
        var buffer = Buffer(width: 10, height: 1)
        buffer.write("a very long name", in: Rect(x: 1, y: 0, width: 8, height: 1), role: .accent)
        #expect(buffer.text == " a very …")
        #expect(buffer[0, 0].role == .normal && buffer[8, 0].role == .accent && buffer[9, 0].role == .normal)
        buffer.write("ok", in: Rect(x: 1, y: 0, width: 8, height: 1), role: .muted)
        #expect(buffer.text == " ok")
        #expect((1..<9).allSatisfy { buffer[$0, 0].role == .muted })
    }

    @Test func controlCharactersNeverReachTheGrid() {
        var buffer = Buffer(width: 20, height: 1)
        buffer.write("a\u{1B}[2Jb\u{7}c\u{9B}d", x: 0, y: 0, role: .normal)
        #expect(buffer.text == "a[2Jbcd")
    }

    static let controls: [String] = ["\u{0}", "\u{7}", "\t", "\n", "\r", "\r\n", "\u{1B}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9B}", "\u{9F}"]

    static func holdsNoControl(_ buffer: Buffer) -> Bool {
        buffer.cells.allSatisfy { cell in
            !cell.grapheme.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
        }
    }

    @Test func everyWayOfWritingRefusesControlCharacters() {
        for control in Self.controls {
            var buffer = Buffer(width: 12, height: 4)
            #expect(buffer.write("a\(control)b", x: 0, y: 0, role: .normal) == 2, "\(control.debugDescription)")
            buffer.write("c\(control)d\(control)", in: Rect(x: 0, y: 1, width: 12, height: 1), role: .accent)
            buffer.write("\(control)long text here\(control) cut", in: Rect(x: 0, y: 2, width: 6, height: 1), role: .muted)
            buffer.fill(Rect(x: 0, y: 3, width: 3, height: 1), role: .normal, with: Character(control))
            #expect(Self.holdsNoControl(buffer), "\(control.debugDescription)")
            #expect(buffer.text == "ab\ncd\nlong …\n", "\(control.debugDescription)")
        }
        // A grapheme that carries one, combining mark first: still no control in a cell.
        var buffer = Buffer(width: 8, height: 1)
        buffer.write("\u{301}\u{85}\u{301}x", x: 0, y: 0, role: .normal)
        #expect(Self.holdsNoControl(buffer) && buffer.text == "x")
    }

    @Test func theDiffHoldsOnlyChangedCells() {
        var first = Buffer(width: 10, height: 3)
        first.write("hello", x: 0, y: 1, role: .normal)
        #expect(first.changes(since: nil).count == 3) // the first frame paints every row
        var second = first
        second.write("j", x: 0, y: 1, role: .normal)
        let runs = second.changes(since: first)
        #expect(runs == [CellRun(x: 0, y: 1, cells: [Cell("j")])])
        #expect(second.changes(since: second).isEmpty)
        var wide = first
        wide.write("給", x: 4, y: 2, role: .normal)
        #expect(wide.changes(since: first).first?.cells.map(\.grapheme) == ["給", " "])
        #expect(Buffer(width: 5, height: 3).changes(since: first).count == 3) // a resize repaints all
    }

    @Test func listsDrawOnlyTheVisibleRows() {
        #expect(Widgets.visibleRange(count: 100_000, selected: 0, offset: 0, height: 20).range == 0..<20)
        #expect(Widgets.visibleRange(count: 100_000, selected: 99_999, offset: 0, height: 20).range == 99_980..<100_000)
        #expect(Widgets.visibleRange(count: 100_000, selected: 50, offset: 40, height: 20).range == 40..<60)
        #expect(Widgets.visibleRange(count: 100_000, selected: 30, offset: 40, height: 20).range == 30..<50)
        #expect(Widgets.visibleRange(count: 0, selected: 0, offset: 0, height: 20).range.isEmpty)
    }

    @Test func wrappingUsesDisplayWidth() {
        #expect(Widgets.wrap("Are you sure you want to delete Payroll?", width: 16) == ["Are you sure you", "want to delete", "Payroll?"])
        // A word wider than the line is broken, never cut (a long URL stays whole over several lines).
        #expect(Widgets.wrap("給与給与給与", width: 5) == ["給与", "給与", "給与"])
        #expect(Widgets.wrap("see https://a.example.com/long", width: 10) == ["see", "https://a.", "example.co", "m/long"])
    }
}

@Suite("Buffer wide characters")
struct BufferWideCharacterTests {
    @Test func aWideCharacterOverAnotherKeepsBothHalves() {
        var buffer = Buffer(width: 6, height: 1)
        buffer.write("🚀ab", x: 0, y: 0, role: .normal)
        buffer.write("給", x: 0, y: 0, role: .normal)
        #expect(buffer[0, 0].grapheme == "給" && buffer[0, 0].width == 2)
        #expect(buffer[1, 0].isContinuation)
        #expect(buffer.text == "給ab")
    }
}
