import PropertyBased
import Testing
@testable import BackstageCore

/// Whole escape sequences go, as a terminal would read them (ECMA-48, xterm's ctlseqs), in their
/// 7-bit (`ESC x`) and C1 forms: no residue such as `]0;title` or `[31m` is left on screen.
@Suite("Terminal text")
struct TerminalTextTests {
    static func clean(_ text: String) -> String { TerminalText.sanitized(text) }

    @Test func aTitleAClearAndAColourLeaveOnlyTheText() {
        #expect(Self.clean("\u{1B}]0;PWNED-TITLE\u{07}\u{1B}[2J\u{1B}[H\u{1B}[31;1mhello") == "hello")
        #expect(TerminalText.sanitizedKeepingLines("\u{1B}]0;PWNED-TITLE\u{07}\u{1B}[2J\u{1B}[H\u{1B}[31;1mhello") == "hello")
    }

    @Test func controlSequencesGoWhole() {
        #expect(Self.clean("a\u{1B}[31;1mb") == "ab")
        #expect(Self.clean("a\u{9B}31;1mb") == "ab")              // C1 CSI
        #expect(Self.clean("a\u{1B}[?25lb\u{1B}[?1049h") == "ab")  // private parameters
        #expect(Self.clean("a\u{1B}[2 qb") == "ab")                // intermediate (DECSCUSR)
        #expect(Self.clean("a\u{1B}[!pb\u{9B}0\"qc") == "abc")     // intermediates, 7-bit and C1
        #expect(Self.clean("a\u{1B}[b") == "a")                    // `b` is a final byte (REP)
        #expect(Self.clean("a\u{1B}[31") == "a")                   // unterminated at the end
    }

    @Test func aControlSequenceEndsAtAByteThatCannotBelongToIt() {
        #expect(Self.clean("a\u{1B}[31\u{07}b") == "ab")           // the BEL ends it and goes
        #expect(Self.clean("a\u{1B}[31\nb") == "a b")              // the newline ends it and is a space
        #expect(Self.clean("a\u{1B}[3étude") == "aétude")          // not ASCII: ends it and stays
        #expect(Self.clean("a\u{1B}[3\u{1B}[4mb") == "ab")         // ESC starts the next one
    }

    @Test func controlStringsGoUpToTheirTerminator() {
        // OSC: BEL, ESC \ or ST.
        #expect(Self.clean("a\u{1B}]0;title\u{07}b") == "ab")
        #expect(Self.clean("a\u{1B}]8;;https://x.example\u{1B}\\link\u{1B}]8;;\u{1B}\\b") == "alinkb")
        #expect(Self.clean("a\u{1B}]2;title\u{9C}b") == "ab")
        #expect(Self.clean("a\u{9D}0;title\u{07}b\u{9D}0;t\u{9C}c") == "abc")
        // DCS, SOS, PM, APC: ESC \ or ST; BEL is theirs.
        #expect(Self.clean("a\u{1B}Pq#0;2;0;0;0\u{07}x\u{1B}\\b") == "ab")
        #expect(Self.clean("a\u{90}1$r0m\u{9C}b") == "ab")
        #expect(Self.clean("a\u{1B}Xsos\u{1B}\\b\u{98}sos\u{9C}c") == "abc")
        #expect(Self.clean("a\u{1B}^pm\u{1B}\\b\u{9E}pm\u{9C}c") == "abc")
        #expect(Self.clean("a\u{1B}_apc\u{1B}\\b\u{9F}apc\u{9C}c") == "abc")
        // ESC and another letter inside one ends it and starts a new sequence.
        #expect(Self.clean("a\u{1B}]0;t\u{1B}[31mb") == "ab")
    }

    @Test func unterminatedControlStringsRunToTheEnd() {
        #expect(Self.clean("a\u{1B}]0;PWNED title and all the rest") == "a")
        #expect(Self.clean("a\u{9D}0;rest") == "a")
        #expect(Self.clean("a\u{1B}Pq#0;2;0;0;0") == "a")
        #expect(Self.clean("a\u{90}qqq") == "a")
        #expect(Self.clean("a\u{1B}_apc\u{07}still apc") == "a")
        // A line break inside one is the sequence's, not a line of the text.
        #expect(TerminalText.sanitizedKeepingLines("one\n\u{1B}]0;x\ny\nz") == "one\n")
        #expect(TerminalText.sanitizedKeepingLines("one\n\u{1B}]0;x\ny\u{07}two\nthree") == "one\ntwo\nthree")
    }

    @Test func singleShiftsTakeOneCharacter() {
        #expect(Self.clean("a\u{1B}OPb") == "ab")                  // SS3 (F1)
        #expect(Self.clean("a\u{8F}Pb") == "ab")
        #expect(Self.clean("a\u{1B}Nxb\u{8E}yc") == "abc")         // SS2
        #expect(Self.clean("a\u{1B}O\u{1B}[31mb") == "ab")         // not a control: ESC starts anew
        #expect(Self.clean("a\u{8F}") == "a")
    }

    @Test func shortEscapeSequencesGoWhole() {
        #expect(Self.clean("a\u{1B}(Bb") == "ab")                  // designate G0
        #expect(Self.clean("a\u{1B}7b\u{1B}8c") == "abc")          // save and restore the cursor
        #expect(Self.clean("a\u{1B}cb") == "ab")                   // full reset
        #expect(Self.clean("a\u{1B}#8b\u{1B} Fc") == "abc")        // intermediates
        #expect(Self.clean("a\u{1B}") == "a")                      // a lone ESC at the end
        #expect(Self.clean("a\u{1B}(") == "a")
        #expect(Self.clean("a\u{1B}\u{1B}[1mb") == "ab")
        #expect(Self.clean("a\u{1B}éb") == "aéb")                  // ESC then no sequence: ESC goes
    }

    @Test func theRestIsAsBefore() {
        #expect(Self.clean("a\tb\nc\rd\u{7}e\u{7F}f\u{85}g\u{0}h") == "a b c defgh")
        #expect(Self.clean("x\u{202E}gnp\u{202C}.exe\u{2066}y") == "xgnp.exey")
        #expect(TerminalText.sanitizedKeepingLines("a\tb\nc\r\nd\re\n") == "a b\nc\nd e\n")
        #expect(TerminalText.sanitizedKeepingLines("a\u{1B}\nb") == "a\nb")
        #expect(TerminalText.sanitizedKeepingLines("a\r") == "a ")
    }

    @Test func textWithoutControlsComesBackTheSameString() {
        for text in ["", "Payroll", "conn 042 — Café 給与システム 🚀 naïve", "two\nlines", String(repeating: "long name ", count: 20)] {
            let lines = TerminalText.sanitizedKeepingLines(text)
            #expect(lines == text)
            if !text.contains("\n") { #expect(Self.clean(text) == text) }
        }
        // Not a copy: the same storage (the common path builds nothing).
        let long = String(repeating: "Outgoing connection ", count: 10)
        let cleaned = Self.clean(long)
        #expect(long.utf8.withContiguousStorageIfAvailable { $0.baseAddress } == cleaned.utf8.withContiguousStorageIfAvailable { $0.baseAddress })
    }
}

@Suite("Terminal text properties")
struct TerminalTextProperties {
    /// Pieces that make and break sequences, and ordinary text; seeds past them are scattered scalars.
    static let pieces: [String] = [
        "\u{1B}", "[", "]", "P", "X", "^", "_", "N", "O", "(", "#", " ", "\\", "\u{07}", "\u{9B}", "\u{9C}",
        "\u{9D}", "\u{90}", "\u{98}", "\u{9E}", "\u{9F}", "\u{8E}", "\u{8F}", "\u{85}", "\u{7F}", "\u{0}",
        "\n", "\r", "\t", "\r\n", "0", ";", "31", "?", "m", "B", "a", "é", "e\u{301}", "漢", "👩\u{200D}👧",
        "❤\u{FE0F}", "\u{202E}", "\u{200B}", "\u{1F3FD}", "\u{E0041}", "~", "\u{18}",
    ]

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    static func text(_ seeds: [Int]) -> String {
        var text = ""
        for seed in seeds {
            if seed < pieces.count {
                text += pieces[seed]
            } else if let scalar = Unicode.Scalar(UInt32(seed * 7919 % 0x10FFFF)) {
                text.unicodeScalars.append(scalar)
            }
        }
        return text
    }

    @Test func noControlCharacterSurvivesAndOnceIsEnough() async {
        await propertyCheck(count: 1000, input: Gen.int(in: 0...120).array(of: 0...40)) { seeds in
            let text = Self.text(seeds)
            let once = TerminalText.sanitized(text)
            #expect(!once.unicodeScalars.contains(where: Self.isControl), "\(text.debugDescription) → \(once.debugDescription)")
            #expect(TerminalText.sanitized(once) == once)
            let lines = TerminalText.sanitizedKeepingLines(text)
            #expect(!lines.unicodeScalars.contains { $0 != "\n" && Self.isControl($0) }, "\(text.debugDescription) → \(lines.debugDescription)")
            #expect(TerminalText.sanitizedKeepingLines(lines) == lines)
            // Lines kept or not, the same text is left.
            #expect(Array(lines.unicodeScalars.filter { $0 != "\n" && $0 != " " }) == Array(once.unicodeScalars.filter { $0 != " " }))
        }
    }
}
