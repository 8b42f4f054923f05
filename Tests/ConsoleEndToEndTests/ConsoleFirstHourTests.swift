import Foundation
import Testing

extension ConsoleEndToEnd {
    /// A new admin's first hour (issue 15), in the real binary: search finds what admins type,
    /// Esc clears a kept search, the selection follows a save, and the message log keeps every
    /// message whole.
    @Suite("first hour")
    struct FirstHourTests {
        @Test("search by audience host and client ID; Esc in the list clears a kept search")
        func searchEveryField() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                try await console.press("/")
                try await console.type("kyuyo.example")
                try await console.press("Enter")
                var screen = try await console.waitFor("(1 of 3 match \"kyuyo.example\")")
                #expect(screen.contains("給与システム"), "\(screen)")
                try await console.press("Escape")
                screen = try await console.waitFor(" Outgoing OAuth Connections  (3)")
                #expect(screen.contains(" alpha HR ") && screen.contains(" Zeta Analytics "), "\(screen)")
                // The selection stayed on the row that was found.
                #expect(screen.contains(" Client ID: cid-kyuyo "), "\(screen)")
                try await console.press("/")
                try await console.type("cid-zeta")
                try await console.press("Enter")
                try await console.waitFor("(1 of 3 match \"cid-zeta\")")
                // Commands by their linked connection's name.
                try await console.press("Escape", "2", "/")
                try await console.type("alpha hr")
                try await console.press("Enter")
                screen = try await console.waitFor("(1 of 2 match \"alpha hr\")")
                #expect(screen.contains("/\(Fixture.linkedTrigger)"), "\(screen)")
            }
        }

        @Test("a saved command is selected; F1 over a form shows the form's keys; F2 shows every message whole")
        func selectionHelpAndLog() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace, width: 80, height: 24) { console in
                try await console.waitForConnections(3)
                try await console.press("2")
                try await console.waitFor(" Slash Commands  (2)")
                try await console.press("a")
                try await console.waitFor("Slash Commands › Add")
                try await console.press("F1")
                var screen = try await console.waitFor("Keys (? or Esc closes)", "Slash command form")
                #expect(!screen.contains("Lists"), "the list's keys are not in reach: \(screen)")
                try await console.press("Escape")
                try await console.waitForAbsence("Keys (? or Esc closes)")
                // Title, Description, then the trigger, then the Request URL.
                try await console.press("Tab", "Tab")
                try await console.type("aaa")
                try await console.press("Tab")
                try await console.type("https://alpha.example.com/hooks/aaa")
                try await console.press("C-s")
                try await console.waitFor("Setup Successful")
                try await console.press("Enter")
                screen = try await console.waitFor(" Slash Commands  (3)", "Request URL: https://alpha.example.com/hooks/aaa")
                try await console.press("F2")
                screen = try await console.waitFor("Messages, newest first", "Saved /aaa")
                try await console.press("Escape")
                try await console.waitForAbsence("Messages, newest first")
            }
        }
    }
}
