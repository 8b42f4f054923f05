import Foundation
import Testing

/// `--actor`/`BACKSTAGE_ACTOR` in the activity log, `--readonly`/`BACKSTAGE_ROLE=read`, and
/// `SSH_ORIGINAL_COMMAND` under an sshd forced command.
@Suite("actor and read-only")
struct ActorCLITests {
    func activity(_ sandbox: Sandbox) throws -> String {
        try String(contentsOfFile: sandbox.path("activity.log"), encoding: .utf8)
    }

    @Test func theActorNamesEachLineOfTheActivityLog() async throws {
        let sandbox = try Sandbox()
        let added = try await sandbox.bs(["commands", "add", "--trigger", "ping", "--url", "https://x.example.com/p",
                                          "--actor", "alice", "--log", sandbox.path("activity.log")])
        #expect(added.status == 0, "\(added)")
        let fromEnvironment = try await sandbox.run(["commands", "add", "--trigger", "pong", "--url", "https://x.example.com/q", "--db", sandbox.db,
                                                     "--log", sandbox.path("activity.log")], environment: ["BACKSTAGE_ACTOR": "bob.ops"])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment)")
        let lines = try activity(sandbox).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains(" alice created command /ping") == true, "\(lines)")
        #expect(lines.last?.contains(" bob.ops created command /pong") == true, "\(lines)")
    }

    @Test func aBadActorNameIsRefused() async throws {
        let sandbox = try Sandbox()
        let refused = try await sandbox.bs(["commands", "list", "--actor", "Alice Smith"])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("actor"), "\(refused)")
    }

    @Test func readOnlyRefusesEveryChangeAndKeepsReads() async throws {
        let sandbox = try Sandbox()
        try await sandbox.addCommand("ping", url: "https://x.example.com/p")
        let before = try await sandbox.snapshot()
        let edits: [[String]] = [
            ["commands", "add", "--trigger", "pong", "--url", "https://x.example.com/q"],
            ["commands", "delete", "ping"],
            ["commands", "regen-token", "ping"],
            ["connections", "add", "--name", "N", "--client-id", "c", "--token-url", "https://idp.example.com/t",
             "--audience", "https://n.example.com/*", "--client-secret-stdin"],
        ]
        for edit in edits {
            let refused = try await sandbox.bs(edit + ["--readonly", "--actor", "carol"], stdin: "ro-secret-1\n")
            #expect(refused.status == 8, "\(edit): \(refused)")
            #expect(refused.stderr.contains("read-only: carol may look but not"), "\(refused)")
            #expect(!refused.stderr.contains("ro-secret-1"))
        }
        let byRole = try await sandbox.run(["commands", "add", "--trigger", "pang", "--url", "https://x.example.com/r", "--db", sandbox.db],
                                           environment: ["BACKSTAGE_ROLE": "read"])
        #expect(byRole.status == 8, "\(byRole)")
        #expect(try await sandbox.snapshot() == before)
        let listed = try await sandbox.bs(["commands", "list", "--readonly"])
        #expect(listed.status == 0 && listed.stdout.contains("ping"), "\(listed)")
    }

    @Test func sshOriginalCommandRunsAnAllowedSubcommandOnly() async throws {
        let sandbox = try Sandbox()
        try await sandbox.addCommand("ping", url: "https://x.example.com/p")
        let listed = try await sandbox.run(["--db", sandbox.db, "--actor", "alice"], environment: ["SSH_ORIGINAL_COMMAND": "commands list --json"])
        #expect(listed.status == 0, "\(listed)")
        #expect(try JSON.array(listed.stdout).count == 1)
        let refused = try await sandbox.run(["--db", sandbox.db], environment: ["SSH_ORIGINAL_COMMAND": "commands list --db /tmp/other.sqlite"])
        #expect(refused.status == 64 && refused.stderr.contains("--db is not allowed"), "\(refused)")
        let shell = try await sandbox.run(["--db", sandbox.db], environment: ["SSH_ORIGINAL_COMMAND": "commands list; rm -rf /"])
        #expect(shell.status == 64 && shell.stderr.contains("shell syntax"), "\(shell)")
    }
}
