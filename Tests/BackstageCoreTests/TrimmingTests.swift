import Testing
@testable import BackstageCore

/// Trimming takes a shortcut for text with a plain ASCII character at both ends (issue 18); it
/// must trim exactly as the scalar-by-scalar way does, whatever the ends are.
@Suite("trimming whitespace")
struct TrimmingTests {
    /// Ends that are whitespace, control characters, ASCII, Unicode spaces, combining sequences.
    static let pieces = ["", " ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{2003}", "\u{3000}", "a", "Z", "~",
                         "\u{1F}", "\u{7F}", "\u{0}", "é", "e\u{301}", "\u{600}a", "漢", "x y"]

    @Test("the shortcut gives what the scalar-by-scalar trim gives, for every pair of ends")
    func sameAsScalars() {
        for first in Self.pieces {
            for middle in ["", "mid", " in between ", "ü"] {
                for last in Self.pieces {
                    let text = first + middle + last
                    #expect(text.trimmingWhitespace() == text.trimmingWhitespaceByScalars(), "\(Array(text.unicodeScalars))")
                }
            }
        }
    }

    @Test("examples")
    func examples() {
        #expect(" https://a.example.com/* ".trimmingWhitespace() == "https://a.example.com/*")
        #expect("https://a.example.com/*".trimmingWhitespace() == "https://a.example.com/*")
        #expect("\u{A0}x\u{3000}".trimmingWhitespace() == "x")
        #expect("x\u{85}".trimmingWhitespace() == "x")
        #expect(" \t\n".trimmingWhitespace() == "")
    }
}
