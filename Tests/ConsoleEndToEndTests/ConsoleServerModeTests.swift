import Foundation
import Testing
import TestSupport

extension ConsoleEndToEnd {
    /// `backstage --server URL --team T` opens the same console on a Mattermost server.
    @Suite("server mode")
    struct ConsoleServerModeTests {
        @Test func theConsoleDrivesAServer() async throws {
            let fake = try await FakeMattermost()
            let workspace = try Workspace()
            let seeded = try await workspace.cli(["connections", "add", "--name", "Remote", "--client-id", "cid", "--token-url", "https://idp.example.com/t",
                                                  "--audience", "https://remote.example.com/*", "--client-secret-stdin", "--server", fake.url, "--team", fake.teamName],
                                                 stdin: "good-secret\n", environment: ["MM_ACCESS_TOKEN": fake.pat])
            try #require(seeded.status == 0, "\(seeded)")
            try await withConsole(workspace, environment: ["MM_ACCESS_TOKEN": fake.pat], extraArguments: ["--server", fake.url, "--team", fake.teamName]) { console in
                try await console.waitFor("store: \(fake.url)", "team: \(fake.teamName)", "Remote")
                // v validates through the server, which holds the secret.
                try await console.press("v")
                try await console.waitFor("Validated connection Remote: validated by the server")
                try await console.press("d")
                try await console.waitFor("Are you sure you want to delete Remote?")
                try await console.press("y")
                try await console.waitFor("No Outgoing OAuth Connections found")
            }
            #expect(fake.requests.contains { $0.method == "DELETE" })
            await fake.shutdown()
        }
    }
}
