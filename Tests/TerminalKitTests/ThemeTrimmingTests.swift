import Testing
@testable import TerminalKit

/// A theme line's trim takes a shortcut for plain ASCII ends (issue 18); it must trim exactly as
/// the character-by-character way does, whatever the ends are.
@Suite("theme trimming")
struct ThemeTrimmingTests {
    static let pieces = ["", " ", "\t", "\n", "\r\n", "\u{0B}", "\u{85}", "\u{A0}", "\u{2003}", "\u{3000}", "a", "Z", "~", "#",
                         "\u{1F}", "\u{7F}", "é", "e\u{301}", "\u{600}a", "漢", "x = y"]

    @Test("the shortcut gives what the character-by-character trim gives, for every pair of ends")
    func sameAsCharacters() {
        for first in Self.pieces {
            for middle in ["", "fg = red", " = "] {
                for last in Self.pieces {
                    let text = first + middle + last
                    #expect(text.themeTrimmed() == text.themeTrimmedByCharacters(), "\(Array(text.unicodeScalars))")
                }
            }
        }
    }
}
