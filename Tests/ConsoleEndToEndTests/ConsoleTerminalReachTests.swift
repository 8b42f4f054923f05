import Foundation
import Testing

extension ConsoleEndToEnd {
    /// The real binary where admins meet it over SSH: a C locale, no colour, a terminal type
    /// this host has no terminfo for.
    @Suite("terminal reach")
    struct TerminalReachTests {
        @Test("LANG=C LC_ALL=C: ASCII borders, marks, masks and arrows; not one byte above 0x7F reaches the terminal")
        func cLocale() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace, environment: ["LANG": "C", "LC_ALL": "C"]) { console in
                let list = try await console.waitForConnections(3)
                let lines = list.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                #expect(lines.first?.hasPrefix(" backstage - Integrations") == true, "header: \(list)")
                // The Japanese name cannot be shown: the painter writes "?" for each of its letters.
                #expect(lines.contains { $0.hasPrefix(" ??????") }, "the CJK row: \(list)")
                #expect(lines.contains { $0.hasPrefix("-----") }, "the rule above the details: \(list)")

                try await console.press("?")
                let help = try await console.waitFor("Keys (? or Esc closes)", "^/k", "v/j")
                #expect(help.contains("+-") && help.contains("-+"), "an ASCII box: \(help)")
                try await console.press("Escape")
                try await console.waitForAbsence("Keys (? or Esc closes)")

                try await console.press("d")
                let dialog = try await console.waitFor("Delete Outgoing OAuth Connection")
                #expect(ScreenText.lines(dialog, containing: "Delete Outgoing OAuth Connection").first?.contains("+-") == true, "\(dialog)")
                try await console.press("Escape")
                try await console.waitForAbsence("Delete Outgoing OAuth Connection")

                try await console.press("e")
                let form = try await console.waitFor("Outgoing OAuth Connections > Edit", "************  (unchanged)")
                #expect(!form.contains("?"), "every glyph of the form has an ASCII form: \(form)")
                try await console.press("Escape")
                try await console.waitForConnections(3)
                try await console.press("q")
                let exit = try await console.waitForExit()
                #expect(exit.status == 0, "\(exit)")

                let bytes = try Data(contentsOf: URL(fileURLWithPath: console.log))
                let high = bytes.indices.filter { bytes[$0] >= 0x80 }
                let first = high.first ?? 0
                let around = String(decoding: bytes[max(0, first - 40)..<min(bytes.count, first + 40)], as: UTF8.self)
                #expect(!bytes.isEmpty && high.isEmpty, "\(high.count) bytes above 0x7F, the first in \(around.debugDescription)")
            }
        }

        enum FewColours: String, CaseIterable, Sendable, CustomTestStringConvertible {
            case noColor = "NO_COLOR=1"
            case vt100 = "TERM=vt100"
            case linux = "TERM=linux (8 colours)"
            var testDescription: String { rawValue }
        }

        @Test("without colour every input field shows: the focused one reversed, the others underlined", arguments: FewColours.allCases)
        func monochromeFields(_ how: FewColours) async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            let term = switch how { case .noColor: "xterm-256color"; case .vt100: "vt100"; case .linux: "linux" }
            try await withConsole(workspace, term: .term(term), environment: how == .noColor ? ["NO_COLOR": "1"] : [:]) { console in
                try await console.waitForConnections(3)
                try await console.press("a")
                try await console.waitFor("Outgoing OAuth Connections › Add", "Specify the Client ID")
                let escaped = try await console.capture(escapes: true)
                if how == .linux {
                    // 8 colours: the fields' faint background is the screen's own, so they are underlined.
                    let rows = escaped.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    for label in ["Name", "Client ID", "Client Secret", "OAuth Token URL"] {
                        let index = try #require(rows.firstIndex { Self.plain($0).trimmingCharacters(in: .whitespaces) == label }, "\(escaped)")
                        #expect(!ScreenText.attributeSequences(rows[index + 1], parameter: 4).isEmpty, "\(label): \(rows[index + 1].debugDescription)")
                    }
                    return
                }
                #expect(ScreenText.colourSequences(escaped).isEmpty, "no colour: \(escaped.debugDescription)")
                let rows = escaped.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                /// The row under a field's label: the (empty) field.
                func field(_ label: String) -> String {
                    guard let index = rows.firstIndex(where: { Self.plain($0).trimmingCharacters(in: .whitespaces) == label }),
                          index + 1 < rows.count else { return "" }
                    return rows[index + 1]
                }
                let focused = field("Name")
                #expect(!ScreenText.attributeSequences(focused, parameter: 7).isEmpty, "the focused field is reversed: \(focused.debugDescription)")
                for label in ["Client ID", "Client Secret", "OAuth Token URL"] {
                    let row = field(label)
                    #expect(!ScreenText.attributeSequences(row, parameter: 4).isEmpty, "\(label): an empty field is underlined: \(row.debugDescription)")
                    #expect(ScreenText.attributeSequences(row, parameter: 7).isEmpty, "\(label): only the focused field is reversed: \(row.debugDescription)")
                }
                try await console.press("Tab")
                let moved = try await console.waitUntil("the focus on Client ID", escapes: true) { screen in
                    let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    guard let index = rows.firstIndex(where: { Self.plain($0).trimmingCharacters(in: .whitespaces) == "Client ID" }),
                          index + 1 < rows.count else { return false }
                    return !ScreenText.attributeSequences(rows[index + 1], parameter: 7).isEmpty
                }
                #expect(moved.contains("Client ID"))
            }
        }

        /// The row without its escape sequences.
        static func plain(_ row: String) -> String {
            row.replacingOccurrences(of: "\u{1B}\\[[0-9;:]*[A-Za-z]", with: "", options: .regularExpression)
        }

        @Test("a modern terminal this host has no terminfo for runs as xterm-256color, with a note",
              arguments: ["xterm-kitty", "wezterm"])
        func modernTerminalWithoutTerminfo(_ term: String) async throws {
            // The point is a name ncurses cannot find here; a host that has it tests nothing.
            try #require(Terminfo.entry(term) == nil, "this host has terminfo for \(term) at \(Terminfo.entry(term) ?? ""): pick a name it lacks")
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace, term: .term(term)) { console in
                let screen = try await console.waitFor(" Outgoing OAuth Connections  (3)",
                                                       "TERM=\(term) has no terminfo entry on this host: drawing as xterm-256color")
                #expect(screen.contains("backstage · Integrations"), "\(screen)")
                let escaped = try await console.capture(escapes: true)
                #expect(!ScreenText.colourSequences(escaped).isEmpty, "xterm-256color has colours: \(escaped.debugDescription)")
                try await console.press("q")
                let exit = try await console.waitForExit()
                #expect(exit.status == 0, "\(exit)")
                #expect(exit.terminalIsSane, "\(exit)")
            }
        }
    }
}

/// Where ncurses would find a terminal type's terminfo entry on this host, if anywhere.
enum Terminfo {
    static func entry(_ name: String) -> String? {
        guard let first = name.unicodeScalars.first else { return nil }
        let environment = ProcessInfo.processInfo.environment
        var directories = [environment["TERMINFO"], environment["HOME"].map { $0 + "/.terminfo" }].compactMap { $0 }
        directories += (environment["TERMINFO_DIRS"] ?? "").split(separator: ":").map(String.init)
        directories += ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo", "/usr/local/share/terminfo"]
        for directory in directories {
            // ncurses files an entry under its first letter, or that letter's hex code (macOS).
            for bucket in [String(first), String(format: "%02x", first.value)] {
                let path = "\(directory)/\(bucket)/\(name)"
                if FileManager.default.fileExists(atPath: path) { return path }
            }
        }
        return nil
    }
}
