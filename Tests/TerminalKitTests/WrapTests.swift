import Testing
@testable import TerminalKit

/// `Widgets.wrap` keeps every character, in order, and no line is wider than asked.
@Suite("Wrapping")
struct WrapTests {
    @Test func everyLineFitsAndNothingIsLost() {
        var generator = SystemRandomNumberGenerator()
        let words = ["a", "token", "https://payroll.example.jp/api/very/long/path/that/needs/breaking", "給与システム", "給与明細書",
                     "Near", "miss:", "🙂", "x"]
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...25, using: &generator)).map { _ in words.randomElement(using: &generator)! }.joined(separator: " ")
            let width = Int.random(in: 2...40, using: &generator)
            let lines = Widgets.wrap(text, width: width)
            for line in lines { #expect(DisplayWidth.of(line) <= width, "\(line) wider than \(width)") }
            #expect(lines.joined().filter { $0 != " " } == text.filter { $0 != " " }, "\(text) at \(width): \(lines)")
        }
    }
}
