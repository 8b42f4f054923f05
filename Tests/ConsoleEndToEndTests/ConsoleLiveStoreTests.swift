import Foundation
import Testing
import TestSupport

/// The console notices what the CLI (or another admin) changes, with no key pressed.
extension ConsoleEndToEnd {
    @Suite("live store")
    struct ConsoleLiveStoreTests {
        @Test func aConnectionAddedByTheCLIAppearsInTheOpenList() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                try await console.press("Down") // Zeta Analytics; Beta Billing will be sorted above it
                try await console.waitFor("Client ID: cid-zeta")
                try await workspace.addConnection("Beta Billing", clientId: "cid-beta", audience: "https://beta.example.com/*")
                // No key: the console notices the file changed, and the selection stays on Zeta.
                let screen = try await console.waitForConnections(4)
                #expect(screen.contains("Beta Billing"))
                #expect(screen.contains("Client ID: cid-zeta"), "the selection moved: \(screen)")
            }
        }

        @Test func anOpenCommandFormsBannerFollowsAConnectionAddedByTheCLI() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                try await console.press("2")
                try await console.waitFor("/\(Fixture.linkedTrigger)")
                try await console.press("a")
                try await console.waitFor("Slash Commands › Add")
                try await console.press("Tab", "Tab")
                try await console.type("payslip")
                try await console.press("Tab")
                try await console.type("https://payroll.example.net/payslip")
                try await console.waitFor("Not linked to an OAuth connection")
                try await workspace.addConnection("Payroll", clientId: "cid-payroll", audience: "https://payroll.example.net/*")
                let screen = try await console.waitFor("Connected to \"Payroll\"")
                #expect(screen.contains("https://payroll.example.net/payslip")) // what was typed stays
                #expect(!screen.contains("Not linked to an OAuth connection"))
            }
        }

        @Test func anOpenFormSaysItsConnectionWasChangedByTheCLIBeforeTheSaveAsks() async throws {
            let workspace = try Workspace()
            try await Fixture.seed(workspace)
            try await withConsole(workspace) { console in
                try await console.waitForConnections(3)
                try await console.press("e") // alpha HR
                try await console.waitFor("Outgoing OAuth Connections › Edit")
                try await console.press("C-e")
                try await console.type(" (mine)")
                let renamed = try await workspace.cli(["connections", "edit", "alpha HR", "--name", "alpha HR (CLI)"])
                try #require(renamed.status == 0, "\(renamed)")
                try await console.waitFor("Changed elsewhere at", "since you opened it (Name); saving will ask what to keep")
                try await console.waitFor("alpha HR (mine)")
                try await console.press("C-s")
                try await console.waitFor("“alpha HR” was changed by someone else since you opened it.", "They changed: Name.")
                try await console.press("n")
                let deleted = try await workspace.cli(["connections", "delete", "alpha HR (CLI)"])
                try #require(deleted.status == 0, "\(deleted)")
                try await console.waitFor("Deleted elsewhere since you opened it; saving will ask what to keep")
            }
        }

        @Test func aServerIsReadAgainEveryRefreshInterval() async throws {
            let fake = try await FakeMattermost()
            let workspace = try Workspace()
            try await withConsole(workspace, environment: ["MM_ACCESS_TOKEN": fake.pat],
                                  extraArguments: ["--server", fake.url, "--team", fake.teamName, "--refresh", "0.5"]) { console in
                try await console.waitFor("No Outgoing OAuth Connections found")
                fake.seedConnection(["name": "Made in the web app", "client_id": "c", "oauth_token_url": "https://idp.example.com/t",
                                     "audiences": ["https://web.example.com/"]])
                try await console.waitFor("Made in the web app", "Outgoing OAuth Connections  (1)")
            }
            await fake.shutdown()
        }

        @Test func aBadRefreshIsRefusedWithTheOptionNamed() async throws {
            let workspace = try Workspace()
            let refused = try await workspace.cli(["--refresh=-1"])
            #expect(refused.status == 64, "\(refused)")
            #expect(refused.stderr.contains("--refresh must be 0 (off) or a positive number of seconds"))
        }
    }
}
