import Foundation
import Synchronization
import Testing
import TestSupport

/// The CLI with --server, on servers as admins meet them: the OAuth feature on, off or unlicensed,
/// a token without permissions, a revoked token, an unknown team, a server that went away. Each
/// case asserts what the admin reads and the exit status (BackstageCommand's table).
@Suite("server mode")
struct ServerModeCLITests {
    static func server(_ fake: FakeMattermost, team: String? = nil) -> [String] { ["--server", fake.url, "--team", team ?? fake.teamName] }
    static func env(_ fake: FakeMattermost) -> [String: String] { ["MM_ACCESS_TOKEN": fake.pat] }

    @Test func theSameCommandsWorkAgainstAServer() async throws {
        let fake = try await FakeMattermost()
        let sandbox = try Sandbox()
        let server = Self.server(fake), env = Self.env(fake)
        let add = try await sandbox.run(["connections", "add", "--name", "Payroll", "--client-id", "cid", "--token-url", "https://idp.example.com/t",
                                         "--audience", "https://pay.example.com/*", "--client-secret-stdin"] + server,
                                        stdin: "good-secret\n", environment: env)
        #expect(add.status == 0, "\(add)")
        let list = try await sandbox.run(["connections", "list", "--json"] + server, environment: env)
        #expect(list.status == 0, "\(list)")
        #expect(list.stdout.contains("\"name\" : \"Payroll\""))
        #expect(!list.allOutput.contains("good-secret") && !list.allOutput.contains(fake.pat))
        // A current server (MM-70208) validates a saved connection only with the secret sent along.
        let unasked = try await sandbox.run(["connections", "validate", "Payroll"] + server, environment: env)
        #expect(unasked.status == Exit.invalidInput, "\(unasked)")
        #expect(unasked.stderr.contains("this server (11.11.0) validates a saved connection only with its client secret sent along (MM-70208): give it with --client-secret-stdin"))
        let validate = try await sandbox.run(["connections", "validate", "Payroll", "--client-secret-stdin"] + server, stdin: "good-secret\n", environment: env)
        #expect(validate.status == 0, "\(validate)")
        #expect(validate.stdout.contains("Validated connection (by the server"))
        // The outcome is kept locally, so the list says what the console's Validated column says.
        let shown = try await sandbox.run(["connections", "show", "Payroll"] + server, environment: env)
        #expect(shown.stdout.contains("Validation: Validated connection on"), "\(shown)")
        // Before saving, too: the server checks the credentials given.
        let draft = try await sandbox.run(["connections", "validate", "--token-url", "https://idp.example.com/t", "--client-id", "cid",
                                           "--client-secret-stdin"] + server, stdin: "wrong\n", environment: env)
        #expect(draft.status == Exit.remoteFailure, "\(draft)")
        #expect(draft.stdout.contains("Connection not validated: the server answered 400"), "\(draft)")
        #expect(!draft.allOutput.contains("wrong\n"))
        let command = try await sandbox.run(["commands", "add", "--trigger", "pay", "--url", "https://pay.example.com/slash"] + server, environment: env)
        #expect(command.status == 0, "\(command)")
        #expect(command.stdout.contains("Connected to \"Payroll\""))
        let commands = try await sandbox.run(["commands", "list"] + server, environment: env)
        #expect(commands.stdout.contains("/pay"), "\(commands)")
        #expect(commands.stderr.isEmpty, "\(commands)")
        let commandsJSON = try await sandbox.run(["commands", "list", "--json"] + server, environment: env)
        let linked = try JSON.array(commandsJSON.stdout).first?.object("connection")
        #expect(linked?.string("name") == "Payroll" && linked?.string("audience") == "https://pay.example.com/*", "\(commandsJSON)")
        // Nothing was written to a local database; the cache holds no secret.
        #expect(!FileManager.default.fileExists(atPath: sandbox.db))
        let cache = try String(contentsOfFile: sandbox.home + "/.local/share/backstage/server-validations.json", encoding: .utf8)
        #expect(cache.contains("Validated connection") && !cache.contains("good-secret"))
        await fake.shutdown()
    }

    @Test func anOlderServerValidatesWithTheSecretItHolds() async throws {
        let fake = try await FakeMattermost()
        fake.update { $0.version = "10.11.4" }
        let sandbox = try Sandbox()
        let add = try await sandbox.run(["connections", "add", "--name", "Payroll", "--client-id", "cid", "--token-url", "https://idp.example.com/t",
                                         "--audience", "https://pay.example.com/*", "--client-secret-stdin"] + Self.server(fake),
                                        stdin: "good-secret\n", environment: Self.env(fake))
        #expect(add.status == 0, "\(add)")
        let validate = try await sandbox.run(["connections", "validate", "Payroll"] + Self.server(fake), environment: Self.env(fake))
        #expect(validate.status == 0, "\(validate)")
        await fake.shutdown()
    }

    /// Most servers have no Outgoing OAuth connections: slash commands still work fully, exit 0;
    /// connection commands exit 9 and say why (without advising a setting that needs a licence).
    @Test(arguments: [false, true]) func slashCommandsWorkWithoutTheOAuthFeature(licensedButOff: Bool) async throws {
        let fake = try await FakeMattermost()
        fake.update { if licensedButOff { $0.featureOn = false } else { $0.licensed = false } }
        let receiver = try await ScriptedHTTPServer { _ in .text(200, "deployed") }
        let sandbox = try Sandbox()
        let server = Self.server(fake), env = Self.env(fake)
        let add = try await sandbox.run(["commands", "add", "--trigger", "deploy", "--url", receiver.url("/deploy")] + server, environment: env)
        #expect(add.status == 0, "\(add)")
        #expect(add.stdout.contains("Created slash command /deploy"))
        #expect(add.stderr.components(separatedBy: "linkage").count <= 2)
        let list = try await sandbox.run(["commands", "list"] + server, environment: env)
        #expect(list.status == 0, "\(list)")
        #expect(list.stdout.contains("/deploy"))
        #expect(list.stderr.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 1, "\(list)") // noted once
        #expect(list.stderr.contains("backstage: note: which OAuth connection each command uses is unknown: Outgoing OAuth connections are not available on this server"))
        // --json: null for "unknown" too, with the same note on stderr (stdout stays JSON).
        let listJSON = try await sandbox.run(["commands", "list", "--json"] + server, environment: env)
        #expect(try JSON.array(listJSON.stdout).first?["connection"] is NSNull, "\(listJSON)")
        #expect(listJSON.stderr.contains("which OAuth connection each command uses is unknown"), "\(listJSON)")
        for arguments in [["commands", "show", "deploy"], ["commands", "edit", "deploy", "--title", "Deploy"], ["commands", "regen-token", "deploy"],
                          ["commands", "run", "deploy"], ["commands", "list", "--json"], ["export"], ["commands", "delete", "deploy"]] {
            let result = try await sandbox.run(arguments + server, environment: env)
            #expect(result.status == 0, "\(result)")
        }
        #expect(receiver.requests.first?.header("Authorization")?.hasPrefix("Token ") == true)
        let connections = try await sandbox.run(["connections", "list"] + server, environment: env)
        #expect(connections.status == Exit.notAvailable, "\(connections)")
        if licensedButOff {
            #expect(connections.stderr.contains("the feature is off (ServiceSettings.EnableOutgoingOAuthConnections)"), "\(connections)")
        } else {
            #expect(connections.stderr.contains("needs an Enterprise licence"), "\(connections)")
            #expect(!connections.stderr.contains("ServiceSettings"), "\(connections)")
        }
        await receiver.shutdown()
        await fake.shutdown()
    }

    @Test func notAllowedNotFoundAndGoneHaveTheirOwnExitStatus() async throws {
        let fake = try await FakeMattermost()
        let sandbox = try Sandbox()
        let server = Self.server(fake), env = Self.env(fake)
        // The team is found in any letter case, as the server lower-cases it; an unknown one is 3.
        #expect(try await sandbox.run(["commands", "list"] + Self.server(fake, team: "OPS"), environment: env).status == 0)
        let team = try await sandbox.run(["commands", "list"] + Self.server(fake, team: "nope"), environment: env)
        #expect(team.status == Exit.notFound, "\(team)")
        #expect(team.stderr.contains("team \"nope\" was not found on the server (404)"))
        fake.update { $0.canManageConnections = false; $0.canManageCommands = false }
        let connections = try await sandbox.run(["connections", "list"] + server, environment: env)
        #expect(connections.status == Exit.notAllowed, "\(connections)")
        #expect(connections.stderr.contains("manage_outgoing_oauth_connections"))
        let commands = try await sandbox.run(["commands", "list"] + server, environment: env)
        #expect(commands.status == Exit.notAllowed, "\(commands)")
        #expect(commands.stderr.contains("manage_own_slash_commands on team \(fake.teamName)"), "\(commands)")
        fake.update { $0.canManageCommands = true; $0.commandsEnabled = false }
        let disabled = try await sandbox.run(["commands", "list"] + server, environment: env)
        #expect(disabled.status == Exit.notAvailable, "\(disabled)")
        #expect(disabled.stderr.contains("Slash commands are disabled on this server (ServiceSettings.EnableCommands)"))
        fake.revokeToken()
        let revoked = try await sandbox.run(["commands", "list"] + server, environment: env)
        #expect(revoked.status == Exit.notAllowed, "\(revoked)")
        #expect(revoked.stderr.contains("refused the personal access token (401)"))
        await fake.shutdown()
        let gone = try await sandbox.run(["commands", "list"] + server, environment: env)
        #expect(gone.status == Exit.temporaryFailure, "\(gone)")
        #expect(gone.stderr.contains("refused the connection"), "\(gone)")
    }

    @Test func theTokenNeverComesFromAnArgumentAndItsFileMustBePrivate() async throws {
        let fake = try await FakeMattermost()
        let sandbox = try Sandbox()
        let server = Self.server(fake)
        let missing = try await sandbox.run(["connections", "list"] + server)
        expectFailure(missing, status: Exit.invalidInput, prefix: "backstage: server mode needs a personal access token: set MM_ACCESS_TOKEN or pass --token-file")
        let file = sandbox.path("pat")
        try (fake.pat + "\n").write(toFile: file, atomically: true, encoding: .utf8) // a trailing newline is trimmed
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        let open = try await sandbox.run(["connections", "list", "--token-file", file] + server)
        expectFailure(open, status: Exit.invalidInput, prefix: "backstage: \(file) can be read by other users; chmod 600 it")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        let fine = try await sandbox.run(["connections", "list", "--token-file", file] + server)
        #expect(fine.status == 0, "\(fine)")
        let expired = try await sandbox.run(["connections", "list"] + server, environment: ["MM_ACCESS_TOKEN": "expired"])
        #expect(expired.status == Exit.notAllowed, "\(expired)")
        #expect(expired.stderr.contains("refused the personal access token (401)"))
        await fake.shutdown()
    }

    /// A test-fire on a server sends what Mattermost would: the token's user, the team, the
    /// channel's real id; the token step uses the secret given on stdin, or is skipped and said so.
    @Test func testFireOnAServer() async throws {
        let fake = try await FakeMattermost()
        let idp = try await ScriptedHTTPServer { request in
            request.form["client_secret"] == "good-secret"
                ? .json(200, #"{"access_token":"AT-server-zzqq","token_type":"Bearer","expires_in":60}"#)
                : .json(401, #"{"error":"invalid_client"}"#)
        }
        let receiver = try await ScriptedHTTPServer { _ in .text(200, "ok") }
        let sandbox = try Sandbox()
        let server = Self.server(fake), env = Self.env(fake)
        let add = try await sandbox.run(["connections", "add", "--name", "Receiver", "--client-id", "cid", "--token-url", idp.url("/token"),
                                         "--audience", receiver.url("/slash/*"), "--client-secret-stdin"] + server,
                                        stdin: "good-secret\n", environment: env)
        #expect(add.status == 0, "\(add)")
        #expect(try await sandbox.run(["commands", "add", "--trigger", "fire", "--url", receiver.url("/slash/fire")] + server, environment: env).status == 0)
        let skipped = try await sandbox.run(["commands", "run", "fire"] + server, environment: env)
        #expect(skipped.status == 0, "\(skipped)")
        #expect(skipped.stdout.contains("token step SKIPPED for \"Receiver\""), "\(skipped)")
        #expect(skipped.stdout.contains("--client-secret-stdin"))
        #expect(receiver.requests.last?.header("Authorization")?.hasPrefix("Token ") == true)
        let fired = try await sandbox.run(["commands", "run", "fire", "hello", "--client-secret-stdin", "--channel", "payroll"] + server,
                                          stdin: "good-secret\n", environment: env)
        #expect(fired.status == 0, "\(fired)")
        let sent = try #require(receiver.requests.last)
        #expect(sent.header("Authorization") == "Bearer AT-server-zzqq")
        #expect(sent.form["user_id"] == fake.userID && sent.form["user_name"] == fake.userName)
        #expect(sent.form["team_id"] == fake.teamID && sent.form["team_domain"] == fake.teamName)
        #expect(sent.form["channel_name"] == "payroll" && sent.form["channel_id"] == "chan00000000000000000000pp")
        #expect(sent.form["response_url"]?.hasPrefix(fake.url + "/hooks/commands/") == true)
        #expect(!fired.allOutput.contains("good-secret") && !fired.allOutput.contains("AT-server"))
        let noChannel = try await sandbox.run(["commands", "run", "fire", "--channel", "nope"] + server, environment: env)
        #expect(noChannel.status == Exit.notFound, "\(noChannel)")
        await receiver.shutdown()
        await idp.shutdown()
        await fake.shutdown()
    }
}
