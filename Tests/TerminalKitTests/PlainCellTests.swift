import Testing
@testable import TerminalKit

@Suite("Cells as plain data")
struct PlainCellTests {
    @Test func aCellIsEightBytesWithNoReferenceToCount() {
        #expect(MemoryLayout<Cell>.stride == 8)
        #expect(_isPOD(Cell.self))
    }

    /// The painter's style table is indexed by a role's one-byte tag: its index in `allCases`.
    @Test func aRolesTagIsItsIndex() {
        #expect(MemoryLayout<Role>.size == 1)
        #expect(Role.allCases.enumerated().allSatisfy { $0.offset == $0.element.tag })
    }

    @Test func everyKindOfGraphemeComesBackAsWritten() {
        let graphemes: [Character] = ["a", " ", "é", "e\u{301}", "界", "🇫🇷", "👍🏽", "👨‍👩‍👧", "\u{FFFD}", "ﬁ", "ᄀ\u{1161}\u{11A8}"]
        for grapheme in graphemes {
            let cell = Cell(grapheme, width: 1, role: .accent)
            #expect(cell.grapheme == grapheme)
            #expect(Array(String(cell.grapheme).unicodeScalars) == Array(String(grapheme).unicodeScalars))
            #expect((cell.scalar != nil) == (grapheme.unicodeScalars.count == 1))
        }
        // The same cluster twice is the same cell: the diff sees no change.
        #expect(Cell("👍🏽") == Cell("👍🏽"))
        #expect(Cell("👍🏽") != Cell("👍"))
    }

    @Test func asciiFollowedByACombiningMarkStaysOneCluster() {
        var buffer = Buffer(width: 10, height: 1)
        let used = buffer.write("ab" + "e\u{301}" + "z", x: 0, y: 0, role: .normal)
        #expect(used == 4)
        #expect(buffer[2, 0].grapheme == "e\u{301}")
        #expect(buffer[3, 0].grapheme == "z")
        #expect(buffer.text == "ab" + "e\u{301}" + "z")
    }

    @Test func asciiTextIsClippedAndFreedOfControlsLikeAnyOther() {
        var buffer = Buffer(width: 6, height: 1)
        #expect(buffer.write("a\u{7}b\u{1B}c\u{7F}defgh", x: 1, y: 0, role: .normal, limit: 4) == 4)
        #expect(buffer.text == " abcd")
        var offLeft = Buffer(width: 4, height: 1)
        #expect(offLeft.write("xyzab", x: -2, y: 0, role: .normal) == 4)
        #expect(offLeft.text == "za") // the limit counts from x, as before
    }

    @Test func rememberedWrappingAnswersAsWrappingAnew() {
        let texts = ["", "one", "The connection’s audience matches this URL: https://hooks.example.com/mattermost/very/long/path/that/breaks",
                     "line one\nline two with 界界界 wide words", String(repeating: "word ", count: 60)]
        for text in texts {
            for width in [1, 2, 5, 17, 40, 200] {
                let fresh = Widgets.wrapUncached(text, width: width)
                #expect(Widgets.wrap(text, width: width) == fresh)
                #expect(Widgets.wrap(text, width: width) == fresh) // the remembered answer
            }
        }
    }

    /// DisplayWidth skips the emoji property lookup below U+231A: true only if no scalar there is
    /// shown as a picture by default.
    @Test func noScalarBelowTheWatchIsAnEmojiPicture() {
        for value in Array(UInt32(0)..<0x231A) + Array(0x2500..<0x25FD) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(!scalar.properties.isEmojiPresentation, "U+\(String(value, radix: 16))")
        }
        #expect(Unicode.Scalar(0x231A)!.properties.isEmojiPresentation)
        #expect(DisplayWidth.of(Character("\u{231A}")) == 2)
    }

    @Test func aPrefixEndsOnAGraphemeThatFits() {
        #expect(DisplayWidth.prefix("ab界cd", fitting: 3) == ("ab", 2))
        #expect(DisplayWidth.prefix("ab界cd", fitting: 4) == ("ab界", 4))
        #expect(DisplayWidth.prefix("e\u{301}e\u{301}x", fitting: 2) == ("e\u{301}e\u{301}", 2))
        #expect(DisplayWidth.truncated("Überweisung für 界界", to: 8) == "Überwei…")
    }
}
