import SeededRandom
import Testing
import TerminalKit

/// `concatenated(separator:)` stands in for the standard library's `joined(separator:)` on the
/// first frame's path: it must give the same text for any strings and separator.
@Suite("concatenated")
struct ConcatenatedTests {
    @Test func givesWhatJoinedGives() {
        let pieces = ["", "a", ", ", "\n", "給与", "é", "e\u{301}", "👩‍💻", " ", "/"]
        var random = SplitMix(seed: 0xC0_11)
        for _ in 0..<2_000 {
            let parts = (0..<Int.random(in: 0..<6, using: &random)).map { _ in
                (0..<Int.random(in: 0..<4, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            }
            let separator = pieces.randomElement(using: &random)!
            #expect(parts.concatenated(separator: separator) == parts.joined(separator: separator), "\(parts) with \(separator.debugDescription)")
        }
        #expect(["a", "b", "c"].concatenated(separator: ", ") == "a, b, c")
        #expect([String]().concatenated(separator: ", ") == "")
    }
}
