import Foundation
import Testing
import TestSupport

/// The CLI with --server: the same commands on a Mattermost server.
@Suite("server mode")
struct ServerModeCLITests {
    @Test func theSameCommandsWorkAgainstAServer() async throws {
        let fake = try await FakeMattermost()
        let sandbox = try Sandbox()
        let server = ["--server", fake.url, "--team", fake.teamName]
        let env = ["MM_ACCESS_TOKEN": fake.pat]
        let add = try await sandbox.run(["connections", "add", "--name", "Payroll", "--client-id", "cid", "--token-url", "https://idp.example.com/t",
                                         "--audience", "https://pay.example.com/*", "--client-secret-stdin"] + server,
                                        stdin: "good-secret\n", environment: env)
        #expect(add.status == 0, "\(add)")
        let list = try await sandbox.run(["connections", "list", "--json"] + server, environment: env)
        #expect(list.status == 0, "\(list)")
        #expect(list.stdout.contains("\"name\" : \"Payroll\""))
        #expect(!list.allOutput.contains("good-secret") && !list.allOutput.contains(fake.pat))
        let validate = try await sandbox.run(["connections", "validate", "Payroll"] + server, environment: env)
        #expect(validate.status == 0, "\(validate)")
        #expect(validate.stdout.contains("Validated connection (by the server"))
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
        // Nothing was written locally.
        #expect(!FileManager.default.fileExists(atPath: sandbox.db))
        await fake.shutdown()
    }

    @Test func theTokenNeverComesFromAnArgumentAndItsFileMustBePrivate() async throws {
        let fake = try await FakeMattermost()
        let sandbox = try Sandbox()
        let server = ["--server", fake.url, "--team", fake.teamName]
        let missing = try await sandbox.run(["connections", "list"] + server)
        expectFailure(missing, status: Exit.invalidInput, prefix: "backstage: server mode needs a personal access token: set MM_ACCESS_TOKEN or pass --token-file")
        let file = sandbox.path("pat")
        try fake.pat.write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        let open = try await sandbox.run(["connections", "list", "--token-file", file] + server)
        expectFailure(open, status: Exit.invalidInput, prefix: "backstage: \(file) can be read by other users; chmod 600 it")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        let fine = try await sandbox.run(["connections", "list", "--token-file", file] + server)
        #expect(fine.status == 0, "\(fine)")
        let expired = try await sandbox.run(["connections", "list"] + server, environment: ["MM_ACCESS_TOKEN": "expired"])
        #expect(expired.status == Exit.remoteFailure, "\(expired)")
        #expect(expired.stderr.contains("refused the personal access token (401)"))
        fake.update { $0.featureOn = false }
        let off = try await sandbox.run(["connections", "list"] + server, environment: ["MM_ACCESS_TOKEN": fake.pat])
        #expect(off.stderr.contains("ServiceSettings.EnableOutgoingOAuthConnections"), "\(off)")
        await fake.shutdown()
    }
}
