import Foundation
import Testing

/// `export` and `import`: Mattermost's shape, no secrets out, all or nothing in.
@Suite("import and export")
struct ImportExportCLITests {
    static func write(_ text: String, to path: String, mode: Int = 0o600) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    @Test func exportHasMattermostsShapeAndNoSecrets() async throws {
        let sandbox = try Sandbox()
        try await sandbox.addConnection("Payroll", audiences: ["https://pay.example.com/*"], secret: "export-secret-1")
        try await sandbox.addCommand("pay", url: "https://pay.example.com/slash")
        let result = try await sandbox.bs(["export"])
        #expect(result.status == 0, "\(result)")
        #expect(!result.allOutput.contains("export-secret-1"))
        let json = try JSON.object(result.stdout)
        #expect((json["connections"] as? [[String: Any]])?.first?["oauth_token_url"] as? String == "https://idp.example.com/oauth/token")
        #expect((json["commands"] as? [[String: Any]])?.first?["trigger"] as? String == "pay")
        let file = sandbox.path("out.json")
        let toFile = try await sandbox.bs(["export", "--out", file])
        #expect(toFile.status == 0, "\(toFile)")
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func importIsAllOrNothingAndSaysWhy() async throws {
        let sandbox = try Sandbox()
        try await sandbox.addConnection("Existing", audiences: ["https://taken.example.com/*"])
        let file = sandbox.path("in.json")
        try Self.write("""
            {"connections": [
              {"name": "New", "client_id": "c", "client_secret": "import-secret", "oauth_token_url": "https://idp.example.com/t", "audiences": ["https://new.example.com/*"]},
              {"name": "Clash", "client_id": "c", "client_secret": "s", "oauth_token_url": "https://idp.example.com/t", "audiences": ["https://taken.example.com/*"]},
              {"name": "NoSecret", "client_id": "c", "oauth_token_url": "https://idp.example.com/t", "audiences": ["https://x.example.com/"]}
            ],
             "commands": [{"trigger": "has space", "url": "https://x.example.com/"}]}
            """, to: file)
        let before = try await sandbox.snapshot()
        let refused = try await sandbox.bs(["import", file])
        #expect(refused.status == Exit.invalidInput, "\(refused)")
        #expect(refused.stdout.contains("Refused connection \"Clash\": audiences: There is already an outgoing oauth connection for the provided audience: https://taken.example.com/*"))
        #expect(refused.stdout.contains("Refused connection \"NoSecret\": client_secret: Client Secret for the OAuth connection is required. Exports never carry secrets"))
        #expect(refused.stdout.contains("Refused command \"/has space\": trigger: A trigger word must not contain spaces"))
        #expect(refused.stderr.contains("3 items refused; nothing was imported"))
        #expect(!refused.allOutput.contains("import-secret"))
        #expect(try await sandbox.snapshot() == before) // nothing half-imported

        // A file with secrets that others can read is refused before anything else.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        let open = try await sandbox.bs(["import", file])
        expectFailure(open, status: Exit.invalidInput, prefix: "backstage: \(file) holds secrets and can be read by other users")
    }

    @Test func importAddsSkipsExactDuplicatesAndRoundTrips() async throws {
        let sandbox = try Sandbox()
        let file = sandbox.path("in.json")
        try Self.write("""
            {"connections": [{"name": "A", "client_id": "c", "client_secret": "s", "oauth_token_url": "https://idp.example.com/t", "audiences": ["https://a.example.com/*"]}],
             "commands": [{"trigger": "/Alpha", "url": "https://a.example.com/slash", "method": "G"}]}
            """, to: file)
        let first = try await sandbox.bs(["import", file])
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.contains("Imported 1 connections and 1 slash commands; skipped 0"))
        let again = try await sandbox.bs(["import", file])
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.contains("Skipped connection \"A\" (already there)"))
        #expect(again.stdout.contains("Skipped command \"/alpha\" (already there)"))
        let list = try await sandbox.bs(["commands", "show", "alpha", "--json"])
        #expect(try JSON.object(list.stdout).string("method") == "G")
    }

    @Test func tenThousandConnectionsImportInOneGo() async throws {
        let sandbox = try Sandbox()
        let items = (0..<10_000).map { index in
            #"{"name": "c\#(index)", "client_id": "c", "client_secret": "s", "oauth_token_url": "https://idp.example.com/t", "audiences": ["https://s\#(index).example.com/a/*", "https://s\#(index).example.com/b"]}"#
        }
        let file = sandbox.path("big.json")
        try Self.write(#"{"connections": ["# + items.joined(separator: ",") + "]}", to: file)
        let result = try await sandbox.bs(["import", file])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("Imported 10000 connections"))
        let count = try await sandbox.bs(["connections", "list", "--json"])
        #expect(try JSON.array(count.stdout).count == 10_000)
    }
}
