import Foundation
import Testing

extension ConsoleEndToEnd {
    /// The same short session (start, switch tab, filter, quit) in the terminal types people use,
    /// and without colour.
    @Suite("terminal types and colour")
    struct TerminalTypeTests {
        /// Start-up, the commands tab, a kept filter, then q. Returns the screen, with its
        /// attribute escapes, as it was once the list had loaded.
        static func scenario(
            _ console: ConsoleSession, alternateScreen: Bool, sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> String {
            let screen = try await console.waitForConnections(3, sourceLocation: sourceLocation)
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines.first?.hasPrefix(" backstage · Integrations") == true, "header: \(screen)", sourceLocation: sourceLocation)
            #expect(lines.count > 6 && lines[4].hasPrefix(" alpha HR") && lines[6].hasPrefix(" 給与システム"), "rows: \(screen)",
                    sourceLocation: sourceLocation)
            let clientIDColumns = (4...6).map { ScreenText.column(of: "cid-", in: lines[$0]) }
            #expect(Set(clientIDColumns).count == 1 && clientIDColumns[0] != nil, "aligned: \(clientIDColumns)\n\(screen)",
                    sourceLocation: sourceLocation)
            #expect(lines.last(where: { !$0.isEmpty })?.hasPrefix(ScreenTests.hintBar) == true, "hint bar: \(screen)",
                    sourceLocation: sourceLocation)
            let escaped = try await console.capture(escapes: true)

            try await console.press("Tab")
            let commands = try await console.waitFor(" Slash Commands  (2)", "Connected to \"\(Fixture.linkedTo)\"", "Not linked",
                                                     sourceLocation: sourceLocation)
            #expect(ScreenText.lines(commands, containing: "/\(Fixture.unlinkedTrigger) ").first?.contains("Not linked") == true,
                    "\(commands)", sourceLocation: sourceLocation)
            try await console.press("/")
            try await console.type("dep")
            try await console.press("Enter")
            let filtered = try await console.waitFor(" Slash Commands  (1 of 2 match \"dep\")", sourceLocation: sourceLocation)
            #expect(!filtered.contains("/\(Fixture.unlinkedTrigger) "), "\(filtered)", sourceLocation: sourceLocation)

            try await console.press("q")
            let exit = try await console.waitForExit(sourceLocation: sourceLocation)
            try await LifecycleTests.expectSaneExit(exit, console: console, alternateScreen: alternateScreen, sourceLocation: sourceLocation)
            return escaped
        }

        @Test("start, tab, filter, quit", arguments: ["xterm-256color", "screen-256color", "linux"])
        func terminal(_ term: String) async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace, term: .term(term)) { console in
                // The Linux console has no alternate screen: the console's last frame stays behind.
                let escaped = try await Self.scenario(console, alternateScreen: term != "linux")
                let colours = ScreenText.colourSequences(escaped)
                #expect(!colours.isEmpty, "TERM=\(term) has colours, the console should use them:\n\(escaped.debugDescription)")
            }
        }

        enum NoColour: String, CaseIterable, Sendable, CustomTestStringConvertible {
            case environment = "NO_COLOR=1"
            case flag = "--no-color"
            var testDescription: String { rawValue }
        }

        @Test("without colour: the same session, no colour escapes, selection still marked", arguments: NoColour.allCases)
        func noColour(_ how: NoColour) async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace, environment: how == .environment ? ["NO_COLOR": "1"] : [:],
                                  extraArguments: how == .flag ? ["--no-color"] : []) { console in
                let escaped = try await Self.scenario(console, alternateScreen: true)
                let colours = ScreenText.colourSequences(escaped)
                #expect(colours.isEmpty, "\(how.rawValue) but colour escapes on screen: \(Set(colours).sorted())")
                // Monochrome marks the selected row and the header by reverse video instead.
                #expect(ScreenText.attributeSequences(escaped, parameter: 7).count > 0, "reverse video in use:\n\(escaped.debugDescription)")
            }
        }
    }
}

extension ScreenText {
    /// SGR sequences that carry `parameter` (e.g. 7 for reverse video, 1 for bold).
    static func attributeSequences(_ screen: String, parameter: Int) -> [String] {
        var found: [String] = []
        var rest = screen[...]
        while let start = rest.range(of: "\u{1B}[") {
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(where: { !($0.isNumber || $0 == ";") }) else { break }
            if after[end] == "m", after[..<end].split(separator: ";").compactMap({ Int($0) }).contains(parameter) {
                found.append("ESC[" + after[..<end] + "m")
            }
            rest = after[end...]
        }
        return found
    }
}
