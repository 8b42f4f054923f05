import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// Columns as tmux 3.3 lays text out (checked against it): libc `wcwidth` per code point,
/// zero-width ones joining the previous cell, and an emoji after a ZWJ joining too.
enum PaneColumns {
    private static let wcwidth: @convention(c) (Int32) -> Int32 = {
        _ = setlocale(LC_CTYPE, "C.UTF-8")
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "wcwidth") else { return { _ in 1 } }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()

    static func width(_ text: Substring) -> Int {
        var total = 0
        var afterJoiner = false
        for scalar in text.unicodeScalars {
            if !(afterJoiner && scalar.properties.isEmojiPresentation) { total += max(0, Int(wcwidth(Int32(bitPattern: scalar.value)))) }
            afterJoiner = scalar.value == 0x200D
        }
        return total
    }

    static func column(of needle: String, in line: String) -> Int? {
        guard let range = line.range(of: needle) else { return nil }
        return width(line[..<range.lowerBound])
    }

    /// The column of the last `needle` in `line`.
    static func lastColumn(of needle: String, in line: String) -> Int? {
        guard let range = line.range(of: needle, options: .backwards) else { return nil }
        return width(line[..<range.lowerBound])
    }
}

extension ConsoleEndToEnd {
    /// Names, URLs and server replies full of escape sequences, controls, bidi overrides,
    /// zero-width and wide characters, and 10,000-character strings: the screen stays aligned
    /// and the terminal interprets none of it.
    @Suite("hostile text")
    struct HostileTextTests {
        static let long = String(repeating: "ＷｉｄｅＬｏｎｇ", count: 400) + String(repeating: "x", count: 6_800) // 10,000 characters
        /// What a hostile server or admin can put in text, all in one string.
        static let poison = "\u{1B}]0;PWNED\u{07}\u{1B}]2;PWNED\u{1B}\\\u{1B}[2J\u{1B}[31m\u{9B}7m\u{9D}0;PWNED\u{9C}\u{202E}desrever\u{202C}"
            + "z\u{200B}w\u{200D}j\u{FEFF}\u{2060}漢字😀❤️👍🏽👩‍👩‍👧🇯🇵e\u{301}"
        static let names = [
            "osc\u{1B}]0;PWNED\u{07}title", "csi\u{1B}[2J\u{1B}[31mred", "c1\u{9B}7m\u{9D}2;PWNED\u{9C}x",
            "rtl\u{202E}desrever\u{202C}ok", "zw\u{200B}a\u{200D}b\u{FEFF}c\u{2060}d", "wide漢字😀❤️👍🏽👩‍👩‍👧🇯🇵é",
        ]

        /// Every line fits the pane; nothing reached the terminal that it would interpret; and,
        /// unless `residueShown` (an edit field shows the stored value as it is, its control
        /// characters dropped, so what is left of a sequence can be seen and deleted), no residue
        /// of a sequence is on screen either: whole sequences go.
        static func expectUninterpreted(_ console: ConsoleSession, width: Int, residueShown: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let screen = try await console.capture()
            for line in screen.split(separator: "\n") {
                #expect(PaneColumns.width(line) <= width, "line wider than the pane: \(line)", sourceLocation: sourceLocation)
            }
            for residue in ["PWNED", "]0;", "]2;", "[2J", "[31m"] where !residueShown {
                #expect(!screen.contains(residue), "residue of an escape sequence on screen: \(residue)\n\(screen)", sourceLocation: sourceLocation)
            }
            #expect(!(try await console.display("#{pane_title}")).contains("PWNED"), "the window title was changed", sourceLocation: sourceLocation)
            let bytes = console.output()
            #expect(!bytes.contains("\u{1B}]"), "an OSC sequence reached the terminal", sourceLocation: sourceLocation)
            #expect(!bytes.contains("\u{1B}[7m") && !bytes.contains("\u{1B}[31mred"), "a stored SGR reached the terminal", sourceLocation: sourceLocation)
            let bad = bytes.unicodeScalars.filter { (0x80...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }
            #expect(bad.isEmpty, "C1 or bidi controls reached the terminal: \(bad.map { String($0.value, radix: 16) })", sourceLocation: sourceLocation)
        }

        /// Rows `rows` of `screen` each have a box border `│` at `column` and none after it.
        static func expectRightBorder(_ screen: String, rows: ClosedRange<Int>, at column: Int, sourceLocation: SourceLocation = #_sourceLocation) {
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for row in rows where row < lines.count {
                #expect(PaneColumns.lastColumn(of: "│", in: lines[row]) == column, "row \(row) border: \(lines[row])", sourceLocation: sourceLocation)
            }
        }

        @Test("hostile names and a 10,000-character audience: aligned list, details, dialogs and edit forms; title untouched")
        func hostileNames() async throws {
            let workspace = try Workspace()
            for (index, name) in Self.names.enumerated() {
                let audience = index == 0 ? "https://long.example.com/" + String(repeating: "a", count: 10_000) + "/*" : "https://h\(index).example.com/漢字/*"
                let added = try await workspace.cli(["connections", "add", "--name", name, "--client-id", "cid-\(index)",
                                                     "--token-url", "https://idp\(index).example.com/t", "--audience", audience,
                                                     "--client-secret-stdin"], stdin: "s\n")
                try #require(added.status == 0, "\(added)")
            }
            try await withConsole(workspace) { console in
                let screen = try await console.waitForConnections(Self.names.count)
                let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                let rows = lines.filter { $0.contains("cid-") && $0.contains("https://idp") }
                #expect(rows.count == Self.names.count, "\(screen)")
                let clientColumns = rows.map { PaneColumns.column(of: "cid-", in: $0) }
                let tokenColumns = rows.map { PaneColumns.column(of: "https://idp", in: $0) }
                #expect(Set(clientColumns).count == 1 && clientColumns.first! != nil, "Client ID column: \(clientColumns)\n\(screen)")
                #expect(Set(tokenColumns).count == 1 && tokenColumns.first! != nil, "Token URL column: \(tokenColumns)\n\(screen)")
                #expect(lines.last(where: { !$0.isEmpty })?.hasPrefix(" Tab tabs") == true, "hint bar on the last row: \(screen)")
                try await Self.expectUninterpreted(console, width: 100)

                // Every row selected in turn (details pane), and the delete dialog of each.
                for _ in Self.names {
                    try await console.press("d")
                    let dialog = try await console.waitFor("Are you sure you want to delete")
                    let dialogLines = dialog.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    let top = try #require(dialogLines.firstIndex { $0.contains("╭") || $0.contains("┌") }, "\(dialog)")
                    let bottom = try #require(dialogLines.lastIndex { $0.contains("╰") || $0.contains("└") }, "\(dialog)")
                    let edge = try #require(PaneColumns.lastColumn(of: "┐", in: dialogLines[top]) ?? PaneColumns.lastColumn(of: "╮", in: dialogLines[top]))
                    Self.expectRightBorder(dialog, rows: (top + 1)...(bottom - 1), at: edge)
                    try await Self.expectUninterpreted(console, width: 100)
                    try await console.press("n")
                    try await console.waitForAbsence("Are you sure you want to delete")
                    try await console.press("j")
                }
                // Each one in the edit form (the 10,000-character audience in its multi-line field).
                try await console.press("g")
                for _ in Self.names {
                    try await console.press("e")
                    try await console.waitFor("Outgoing OAuth Connections › Edit", "(unchanged)")
                    try await Self.expectUninterpreted(console, width: 100, residueShown: true)
                    try await console.press("Escape")
                    try await console.waitForAbsence("Outgoing OAuth Connections › Edit")
                    try await console.press("j")
                }
                // Tiny sizes with the same text.
                try await console.resize(width: 60, height: 16)
                try await console.waitFor(" Outgoing OAuth Connections  (\(Self.names.count))")
                try await Self.expectUninterpreted(console, width: 60)
                try await console.press("q")
                _ = try await console.waitForExit()
            }
            #expect(try await workspace.connectionNames().count == Self.names.count)
        }

        @Test("hostile server replies (token error, command reply) of 10,000 characters: one status line, an aligned result box")
        func hostileReplies() async throws {
            let idp = try await ScriptedHTTPServer { _ in
                .json(401, "{\"error\":\"invalid_client\",\"error_description\":\(Self.jsonString(Self.poison + Self.long))}")
            }
            let receiver = try await ScriptedHTTPServer { _ in .text(200, Self.poison + "\n" + Self.long + "\n" + Self.poison, contentType: "text/plain") }
            let workspace = try Workspace()
            let added = try await workspace.cli(["connections", "add", "--name", "Target", "--client-id", "cid", "--token-url", idp.url("/token"),
                                                 "--audience", "https://elsewhere.example.com/*", "--client-secret-stdin"], stdin: "s\n")
            try #require(added.status == 0, "\(added)")
            let command = try await workspace.cli(["commands", "add", "--trigger", "poison", "--url", receiver.url("/slash")])
            try #require(command.status == 0, "\(command)")
            try await withConsole(workspace) { console in
                try await console.waitForConnections(1)
                try await console.press("v")
                let failed = try await console.waitFor("Connection not validated (Target)")
                let lines = failed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                #expect(lines.filter { $0.contains("Connection not validated (Target)") }.count == 1, "one status line: \(failed)")
                #expect(lines.last(where: { !$0.isEmpty })?.hasPrefix(" Tab tabs") == true, "hint bar still last: \(failed)")
                try await Self.expectUninterpreted(console, width: 100)

                try await console.press("2")
                try await console.waitFor("/poison")
                try await console.press("r")
                try await console.waitFor("Text after /poison")
                try await console.type("go")
                try await console.press("Enter")
                let result = try await console.waitFor("Test-fire /poison")
                let resultLines = result.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                let top = try #require(resultLines.firstIndex { $0.contains("Test-fire /poison") }, "\(result)")
                let bottom = try #require(resultLines.lastIndex { $0.contains("╰") || $0.contains("└") }, "\(result)")
                #expect(result.contains("WideLong") || result.contains("ＷｉｄｅＬｏｎｇ"), "the reply is shown: \(result)")
                Self.expectRightBorder(result, rows: (top + 1)...(bottom - 1), at: 98)
                try await Self.expectUninterpreted(console, width: 100)
                try await console.press("Escape")
                try await console.waitForAbsence("Test-fire /poison")
                try await console.press("q")
                _ = try await console.waitForExit()
            }
            await idp.shutdown()
            await receiver.shutdown()
        }

        static func jsonString(_ text: String) -> String {
            String(decoding: try! JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed]), as: UTF8.self)
        }
    }
}
