import BackstageCore
import Foundation

/// Everything the CLI prints goes through here: text is stripped of control characters before it
/// reaches a terminal, JSON uses Mattermost's field names and never carries a secret.
enum Output {
    static func line(_ text: String = "") {
        print(TerminalText.sanitized(text))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(("backstage: " + TerminalText.sanitized(text) + "\n").utf8))
    }

    static func warning(_ text: String) {
        FileHandle.standardError.write(Data(("backstage: warning: " + TerminalText.sanitized(text) + "\n").utf8))
    }

    /// A plain line on stderr (impact lists, progress), so stdout stays the result.
    static func info(_ text: String) {
        FileHandle.standardError.write(Data((TerminalText.sanitized(text) + "\n").utf8))
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data(("backstage: note: " + TerminalText.sanitized(text) + "\n").utf8))
    }

    /// Each item in a block of its own, a blank line between; `empty` when there is none.
    static func blocks<Item>(_ items: [Item], empty: String, _ describe: (Item) -> Void) {
        if items.isEmpty { return line(empty) }
        for (index, item) in items.enumerated() {
            if index > 0 { line() }
            describe(item)
        }
    }

    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(Data(terminalSafeJSON(String(decoding: data, as: UTF8.self)).utf8))
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// JSON escapes C0 controls but not C1 controls or bidi overrides, which a terminal may act on:
    /// write those as \u escapes too, so the data stays exact and the terminal stays safe.
    static func terminalSafeJSON(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069:
                output.append(contentsOf: String(format: "\\u%04x", scalar.value).unicodeScalars)
            default:
                output.append(scalar)
            }
        }
        return String(output)
    }

}
