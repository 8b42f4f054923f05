import Foundation
import Testing
import TestSupport

extension ConsoleEndToEnd {
    /// `backstage --server URL --team T` opens the same console on a Mattermost server, on servers
    /// as admins meet them: the OAuth feature on, off, no permission, a server that goes away.
    @Suite("server mode")
    struct ConsoleServerModeTests {
        static func open(_ fake: FakeMattermost, _ workspace: Workspace, width: Int = 100, height: Int = 30,
                         _ body: (ConsoleSession) async throws -> Void) async throws {
            try await withConsole(workspace, environment: ["MM_ACCESS_TOKEN": fake.pat], extraArguments: ["--server", fake.url, "--team", fake.teamName],
                                  width: width, height: height, body)
        }

        static func seedConnection(_ fake: FakeMattermost, _ workspace: Workspace, audience: String) async throws {
            let seeded = try await workspace.cli(["connections", "add", "--name", "Remote", "--client-id", "cid", "--token-url", "https://idp.example.com/t",
                                                  "--audience", audience, "--client-secret-stdin", "--server", fake.url, "--team", fake.teamName],
                                                 stdin: "good-secret\n", environment: ["MM_ACCESS_TOKEN": fake.pat])
            try #require(seeded.status == 0, "\(seeded)")
        }

        @Test func theConsoleDrivesAServerWithTheFeatureOn() async throws {
            let fake = try await FakeMattermost()
            let workspace = try Workspace()
            try await Self.seedConnection(fake, workspace, audience: "https://remote.example.com/*")
            try await Self.open(fake, workspace) { console in
                try await console.waitFor("store: \(fake.url)", "team: \(fake.teamName)", "Remote")
                // v: this server validates only with the secret sent along: asked for, masked, kept.
                try await console.press("v")
                try await console.waitFor("Client Secret of \"Remote\"", "Kept in memory for this session only.")
                try await console.type("good-secret")
                let masked = try await console.waitFor("•••••••••••")
                #expect(!masked.contains("good-secret"))
                try await console.press("Enter")
                try await console.waitFor("Validated connection Remote: validated by the server", "✓ yes")
                // A new command goes to the --team team; the banner is the server's own answer.
                try await console.press("2")
                try await console.waitFor("No commands found")
                try await console.press("a")
                try await console.waitFor("Command Trigger Word")
                try await console.press("Tab", "Tab")
                try await console.type("remote")
                try await console.press("Tab")
                try await console.type("https://remote.example.com/slash")
                try await console.waitFor("Connected to \"Remote\" (the server says)")
                try await console.press("C-s")
                try await console.waitFor("Setup Successful")
                try await console.press("Enter")
                try await console.waitFor("/remote", "Connected to \"Remote\"")
                // T: the token's teams; another team shows its own commands.
                try await console.press("T")
                try await console.waitFor("\(fake.teamName)  (shown)", fake.otherTeamName)
                try await console.press("Down", "Enter")
                try await console.waitFor("team: \(fake.otherTeamName)", "No commands found")
            }
            #expect(fake.storedCommands.map { $0["team_id"] as? String } == [fake.teamID])
            await fake.shutdown()
        }

        @Test func slashCommandsWorkWhenTheOAuthFeatureIsOff() async throws {
            let fake = try await FakeMattermost()
            fake.update { $0.featureOn = false }
            fake.seedCommand(trigger: "deploy", url: "https://ci.example.com/deploy")
            let workspace = try Workspace()
            try await Self.open(fake, workspace) { console in
                try await console.waitFor("the feature is off", "(ServiceSettings.EnableOutgoingOAuthConnections)", "Slash commands work without it")
                let screen = try await console.waitFor("(could not be read)", "not checked (h)")
                #expect(!screen.contains("No Outgoing OAuth Connections found"))
                #expect(!screen.contains("healthy"))
                // The health check does not vouch for connections it could not read (doctor: exit 3).
                try await console.press("h")
                try await console.waitFor("Health: not checked", "Could not check: Outgoing OAuth Connections could not be read")
                try await console.press("Escape")
                try await console.press("2")
                try await console.waitFor("/deploy", "https://ci.example.com/deploy")
                try await console.press("a")
                try await console.waitFor("Command Trigger Word")
                try await console.press("Tab", "Tab")
                try await console.type("ship")
                try await console.press("Tab")
                try await console.type("https://ci.example.com/ship")
                // As in Mattermost, no connections: no banner.
                let form = try await console.waitFor("https://ci.example.com/ship")
                #expect(!form.contains("Not linked") && !form.contains("Asking the server"))
                #expect(!form.contains("outgoing OAuth connections.")) // the help does not offer what the server lacks
                try await console.press("C-s")
                try await console.waitFor("Setup Successful")
            }
            #expect(Set(fake.storedCommands.compactMap { $0["trigger"] as? String }) == ["deploy", "ship"])
            await fake.shutdown()
        }

        @Test func errorsNeverLookLikeEmptyLists() async throws {
            let fake = try await FakeMattermost()
            fake.update { $0.canManageConnections = false; $0.canManageCommands = false }
            let workspace = try Workspace()
            try await Self.open(fake, workspace, width: 60, height: 16) { console in
                let connections = try await console.waitFor("manage_outgoing_oauth_connections")
                #expect(!connections.contains("No Outgoing OAuth Connections found"))
                try await console.press("2")
                let commands = try await console.waitFor("manage_own_slash_commands")
                #expect(!commands.contains("No commands found"))
                // Granted meanwhile: F5 shows the lists.
                fake.update { $0.canManageConnections = true; $0.canManageCommands = true }
                try await console.press("F5")
                try await console.waitFor("No commands found")
                // The server goes away mid-session: the list says so, and that F5 tries again.
                await fake.shutdown()
                try await console.press("F5")
                try await console.waitFor("refused", "This may pass: F5 tries again.")
            }
        }
    }
}
