import Testing
@testable import TerminalKit
import SeededRandom

/// The short ways a typed key takes (issue 18: an input drawn from its text as it is, blanks
/// filled by their edges, a field's text kept with its characters) leave exactly what the
/// general ways leave, on text of every kind: ASCII, wide, combining, emoji, controls.
@Suite("What a key draws, the short ways")
struct KeyPathDrawingTests {
    static let pieces: [String] = ["a", "Z", "/", ":", " ", "7", "界", "給与", "e\u{301}", "🚀", "👩‍💻", "\u{1}", "\r\n", "é", "—", "“"]

    static func text(_ random: inout SplitMix) -> String {
        let ascii = Bool.random(using: &random)
        return (0..<Int.random(in: 0..<40, using: &random)).map { _ in
            ascii ? String("abcdefghijklmnopqrstuvwxyz0123456789:/._-".randomElement(using: &random)!) : pieces.randomElement(using: &random)!
        }.joined()
    }

    /// The widget as it was before its ASCII path: the text from the first shown character on,
    /// made into one string and written over the filled rect.
    static func generalTextField(_ field: TextField, in rect: Rect, focused: Bool, mask: Character = "•", into buffer: inout Buffer) -> Int? {
        let role: Role = focused ? .inputFocused : .input
        buffer.fill(rect, role: role)
        let shown: [Character] = field.masked ? Array(repeating: mask, count: field.characters.count) : field.characters
        var start = 0
        var widthBeforeCursor = shown[..<field.cursor].reduce(0) { $0 + DisplayWidth.of($1) }
        while widthBeforeCursor > rect.width - 1 && start < field.cursor {
            widthBeforeCursor -= DisplayWidth.of(shown[start])
            start += 1
        }
        buffer.write(String(shown[start...]), x: rect.x, y: rect.y, role: role, limit: rect.width)
        return focused ? rect.x + widthBeforeCursor : nil
    }

    @Test func theInputIsDrawnAsTheGeneralWayDrawsIt() {
        var random = SplitMix(seed: 0x18_07)
        var asciiFits = 0
        for round in 0..<3_000 {
            let text = Self.text(&random)
            var field = TextField(text, masked: round % 7 == 0)
            for _ in 0..<Int.random(in: 0...text.count, using: &random) { _ = field.handle(.left) }
            let width = Int.random(in: 0..<50, using: &random)
            let rect = Rect(x: Int.random(in: 0..<4, using: &random), y: 1, width: width, height: 1)
            let focused = Bool.random(using: &random)
            // Over a row that already holds wide characters, as a frame drawn over the last does.
            var expected = Buffer(width: 60, height: 3, glyphs: round % 5 == 0 ? .ascii : .unicode)
            expected.write("界界界界界界界界界界界界界界界界界界界界界界界界界界界界界界", x: round % 2, y: 1, role: .normal)
            var drawn = expected
            let expectedColumn = Self.generalTextField(field, in: rect, focused: focused, into: &expected)
            let column = Widgets.textField(field, in: rect, focused: focused, into: &drawn)
            #expect(drawn == expected && column == expectedColumn,
                    "round \(round): \(text.debugDescription), cursor \(field.cursor), width \(width), focused \(focused)\n\(drawn.text)\n\(expected.text)")
            if drawn != expected || column != expectedColumn { return }
            if !field.masked && text.utf8.count == text.count && DisplayWidth.of(text) < width { asciiFits += 1 }
        }
        #expect(asciiFits > 300, "the ASCII path was taken \(asciiFits) times")
    }

    @Test func blanksFillAsWritingEachCellDoes() {
        var random = SplitMix(seed: 0xF111)
        for round in 0..<2_000 {
            var expected = Buffer(width: 20, height: 4)
            for _ in 0..<6 {
                expected.write(Self.pieces.randomElement(using: &random)! + "界🚀", x: Int.random(in: -2..<20, using: &random),
                               y: Int.random(in: 0..<4, using: &random), role: [.accent, .muted, .input].randomElement(using: &random)!)
            }
            var filled = expected
            let rect = Rect(x: Int.random(in: -3..<22, using: &random), y: Int.random(in: -1..<4, using: &random),
                            width: Int.random(in: 0..<24, using: &random), height: Int.random(in: 0..<4, using: &random))
            filled.fill(rect, role: .selection)
            for y in max(0, rect.y)..<max(max(0, rect.y), min(4, rect.maxY)) {
                for x in max(0, rect.x)..<max(max(0, rect.x), min(20, rect.maxX)) { expected.write(" ", x: x, y: y, role: .selection) }
            }
            #expect(filled == expected, "round \(round): \(rect)\n\(filled.text)\n\(expected.text)")
            if filled != expected { return }
        }
    }

    /// The field keeps its text as one string beside its characters; every edit keeps them the same.
    @Test func theTextStaysItsCharactersThroughEveryEdit() {
        var random = SplitMix(seed: 0x7E47)
        let keys: [Key] = [.backspace, .delete, .left, .right, .home, .end, .control("w"), .control("u"), .control("k"), .alt("b"), .alt("f"), .enter, .up, .down]
        for round in 0..<300 {
            var field = TextField(Self.text(&random), limit: round % 3 == 0 ? 30 : nil, multiline: round % 2 == 0)
            for _ in 0..<60 {
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<4: _ = field.handle(.character(Self.pieces.randomElement(using: &random)!.first!))
                case 4: field.insert(Self.text(&random))
                case 5: field.text = Self.text(&random)
                default: _ = field.handle(keys.randomElement(using: &random)!)
                }
                #expect(field.text == String(field.characters), "round \(round)")
                #expect(field.runeCount == field.characters.reduce(0) { $0 + $1.unicodeScalars.count })
                if field.text != String(field.characters) { return }
            }
        }
    }
}
