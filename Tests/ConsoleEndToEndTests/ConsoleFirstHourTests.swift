import Foundation
import Testing
import TestSupport

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

extension ConsoleEndToEnd {
    /// Issue 16 in the real binary: V against a real token server, the health line and `h`.
    @Suite("impact and health")
    struct ImpactAndHealthTests {
        @Test("V validates every connection against the IdP; the header's health line opens with h")
        func validateAllAndHealth() async throws {
            let idp = try await ConsoleFormTests.identityProvider()
            let workspace = try Workspace()
            for (name, secret) in [("Good IdP", ConsoleFormTests.secret), ("Wrong secret", "nope")] {
                let result = try await workspace.cli(["connections", "add", "--name", name, "--client-id", "c", "--token-url", idp.url("/token"),
                                                      "--audience", "https://\(name.prefix(4).lowercased()).example.com/*", "--client-secret-stdin"],
                                                     stdin: secret + "\n")
                try #require(result.status == 0, "\(result)")
            }
            // A command one letter-case away from the good connection's audience: a near miss.
            try await workspace.addCommand("deploy", url: "https://Good.example.com/deploy")
            try await withConsole(workspace) { console in
                try await console.waitFor(" Outgoing OAuth Connections  (2)", "(h)")
                try await console.press("V")
                let screen = try await console.waitFor("1 validated · 1 failed")
                #expect(screen.contains("yes") && screen.contains("no"), "both rows show their outcome: \(screen)")
                try await console.press("h")
                let health = try await console.waitFor("Health: ")
                #expect(health.contains("Fix:"), "\(health)")
                #expect(health.contains("deploy"), "the near miss names the command: \(health)")
                try await console.press("Escape")
                try await console.waitForAbsence("Health: ")
                // Deleting the good connection lists what it breaks... nothing resolves to it (a near miss is not a link).
                try await console.press("d")
                let dialog = try await console.waitFor("Are you sure you want to delete Good IdP?")
                #expect(dialog.contains("No slash command changes its connection."), "\(dialog)")
                try await console.press("n")
            }
            let stored = try await workspace.cli(["connections", "list", "--json"])
            #expect(stored.stdout.contains("\"ok\" : true") || stored.stdout.contains("\"ok\":true"), "the outcomes were recorded: \(stored)")
        }

        @Test("V against an IdP that never answers: the progress line, keys keep working, Esc stops what has not started")
        func validateAllHangingAndCancelled() async throws {
            let hanging = try await ScriptedHTTPServer { _ in .hang }
            let workspace = try Workspace()
            for index in 1...5 {
                let result = try await workspace.cli(["connections", "add", "--name", "Slow \(index)", "--client-id", "c", "--token-url", hanging.url("/token"),
                                                      "--audience", "https://slow\(index).example.com/*", "--client-secret-stdin"], stdin: "s\n")
                try #require(result.status == 0, "\(result)")
            }
            try await withConsole(workspace) { console in
                try await console.waitFor(" Outgoing OAuth Connections  (5)")
                try await console.press("V")
                // Four run at once, the fifth waits; the rows turn their spinners.
                var screen = try await console.waitFor("Validating 0/5", "checking")
                // Keys keep working meanwhile.
                try await console.press("G")
                screen = try await console.waitFor(" Client ID: c ", "Audience URLs: https://slow5.example.com/*")
                try await console.press("Escape")
                screen = try await console.waitFor("Cancelled after 0 of 5")
                #expect(!screen.contains("Validating 0/5"), "\(screen)")
                try await console.press("q")
            }
        }
    }
}
