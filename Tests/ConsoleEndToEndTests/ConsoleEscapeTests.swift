import Foundation
import Testing

extension ConsoleEndToEnd {
    /// Esc and the next key (or a resize) arriving in one read, as over a laggy SSH link: Esc is
    /// Esc, then the key, except where the layer on top binds that Alt key (Alt-b/Alt-f in a text
    /// field). Each key pair is sent in one tmux command, so the console reads both bytes at once.
    @Suite("Esc followed at once by a key")
    struct ConsoleEscapeTests {
        @Test("search line: Esc then 2 at once clears the filter and switches to tab 2")
        func escapeThenATabKeyOnTheSearchLine() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                try await console.press("/")
                try await console.waitFor(" Search: ")
                try await console.type("zeta")
                try await console.waitUntil("the list narrowed to Zeta") { screen in
                    screen.contains(" Search: zeta") && screen.contains(" Zeta Analytics ") && !screen.contains(" alpha HR ")
                }
                try await console.press("Escape", "2")
                let screen = try await console.waitFor(" Slash Commands  (2)")
                #expect(!screen.contains(" Search: "), "\(screen)")
                // The connections' filter was cleared, not kept.
                try await console.press("1")
                try await console.waitFor(" Outgoing OAuth Connections  (3)", " alpha HR ", " Zeta Analytics ")
            }
        }

        @Test("help: Esc then a resize at once closes the help and takes the new size")
        func escapeThenAResizeClosesTheHelp() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                for (width, height) in [(90, 28), (100, 30), (80, 24)] {
                    try await console.press("?")
                    try await console.waitFor("Keys (? or Esc closes)")
                    // One tmux command sequence: the Esc byte, then the window resized (SIGWINCH).
                    let sent = try await console.tmux(["send-keys", "-t", console.target, "Escape", ";",
                                                       "resize-window", "-t", console.target, "-x", String(width), "-y", String(height)])
                    try #require(sent.status == 0, "\(sent)")
                    // The rule under the list spans the width: the list was drawn again at the new size.
                    let rule = String(repeating: "─", count: width)
                    try await console.waitUntil("the help closed and the list drawn at \(width)x\(height)") { screen in
                        !screen.contains("Keys (? or Esc closes)") && screen.contains(" Outgoing OAuth Connections  (3)")
                            && screen.contains(rule) && !screen.contains(rule + "─")
                    }
                }
            }
        }

        @Test("form: Esc then b or f at once in a text field is still Alt-b / Alt-f")
        func escapeThenBInATextFieldIsAltB() async throws {
            let workspace = try Workspace()
            try await withConsole(workspace) { console in
                try await console.waitFor("No Outgoing OAuth Connections found")
                try await console.press("a")
                try await console.waitFor("Outgoing OAuth Connections › Add")
                try await console.type("hello world")
                try await console.waitFor("hello world")
                try await console.press("Escape", "b")
                try await console.type("X")
                try await console.waitFor("hello Xworld")
                try await console.press("Escape", "f")
                try await console.type("Y")
                let screen = try await console.waitFor("hello XworldY")
                #expect(!screen.contains("Discard unsaved changes?"), "\(screen)")
                #expect(screen.contains("Outgoing OAuth Connections › Add"), "\(screen)")
            }
        }

        /// The layer on top when the ESC is read decides, even when the key before it, in the same
        /// read, changed that layer: `a` opens the form, whose Name field has Alt-b.
        @Test("a key that opens a form, then Esc b, all at once: Alt-b in the form")
        func theLayerOnTopWhenEscIsReadDecides() async throws {
            let workspace = try Workspace()
            try await withConsole(workspace) { console in
                try await console.waitFor("No Outgoing OAuth Connections found")
                try await console.press("a", "Escape", "b")
                try await console.type("Zq9")
                let screen = try await console.waitFor("Outgoing OAuth Connections › Add", "Zq9")
                #expect(!screen.contains("bZq9"), "b was typed, not read as Alt-b: \(screen)")
                try await console.press("Escape")
                try await console.waitFor("Discard unsaved changes?")
            }
        }
    }
}
