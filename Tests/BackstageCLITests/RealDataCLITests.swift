import Foundation
import Testing
import TestSupport

/// Real data always loads (spec 0.0): every value a Mattermost server accepts and stores, however
/// odd, lists, shows, edits (another field), exports and re-imports without an error, in the
/// embedded store and on a server. The odd values come from spec D4 and D7 (Go's ParseRequestURI
/// and the model validators in server/public/model/outgoing_oauth_connection.go and command.go).
@Suite("real data always loads")
struct RealDataCLITests {
    /// Connections Mattermost accepts: a name of spaces, a `*` inside an audience, the same
    /// audience twice, a port of 99999, a space in a path, `*` in a host, a password in a URL, a
    /// password-grant username of one space.
    nonisolated(unsafe) static let oddConnections: [[String: Any]] = [
        ["name": "   ", "client_id": "c1", "oauth_token_url": "https://idp.example.com:99999/token",
         "audiences": ["https://odd.example.com/a*b", "https://odd.example.com/a*b"]],
        ["name": "Spaces", "client_id": "c2", "oauth_token_url": "https://idp.example.com/path with space",
         "audiences": ["https://*.example.com/hook", "https://spaces.example.com/a b/*"]],
        ["name": "Creds", "client_id": "c3", "oauth_token_url": "https://svc:hunter2@idp.example.com/token", "grant_type": "password",
         "credentials_username": " ", "audiences": ["https://creds.example.com/"]],
    ]

    /// Commands Mattermost accepts: every trigger character, a settings-gated built-in, a port of
    /// 99999, a 64-byte title, and no limit on username, icon URL or autocomplete texts.
    nonisolated(unsafe) static let oddCommands: [[String: Any]] = [
        ["trigger": "a_b-c.d/e", "url": "https://hooks.example.com:99999/x", "display_name": String(repeating: "t", count: 64)],
        ["trigger": "test", "url": "https://hooks.example.com/test", "username": String(repeating: "u", count: 100),
         "icon_url": "https://icons.example.com/" + String(repeating: "i", count: 1500), "auto_complete": true,
         "auto_complete_hint": String(repeating: "h", count: 2000), "auto_complete_desc": String(repeating: "d", count: 300)],
    ]

    static func bundle(secrets: Bool) throws -> Data {
        let connections = oddConnections.map { connection -> [String: Any] in
            var copy = connection
            if secrets {
                copy["client_secret"] = "s3cret"
                if copy["grant_type"] as? String == "password" { copy["credentials_password"] = "pw" }
            }
            return copy
        }
        let commands = oddCommands.map { command -> [String: Any] in
            var copy = command
            copy["method"] = "P"
            return copy
        }
        return try JSONSerialization.data(withJSONObject: ["connections": connections, "commands": commands])
    }

    static func write(_ data: Data, to path: String) throws {
        FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600])
    }

    /// Adds the secrets an export never carries, so the file imports into another store.
    static func withSecrets(_ export: String) throws -> Data {
        var object = try JSON.object(export)
        object["connections"] = (object["connections"] as? [[String: Any]] ?? []).map { connection in
            var copy = connection
            copy["client_secret"] = "s3cret"
            if copy["grant_type"] as? String == "password" { copy["credentials_password"] = "pw" }
            return copy
        }
        return try JSONSerialization.data(withJSONObject: object)
    }

    @Test func inTheEmbeddedStore() async throws {
        let sandbox = try Sandbox()
        try Self.write(try Self.bundle(secrets: true), to: sandbox.path("odd.json"))
        let imported = try await sandbox.bs(["import", sandbox.path("odd.json")])
        #expect(imported.status == 0, "\(imported)")
        #expect(imported.stdout.contains("Imported 3 connections and 2 slash commands"), "\(imported)")
        #expect(imported.stderr.contains("warning:"), "odd values are warned about: \(imported)")
        try await Self.everyItemLoads(sandbox.bs)
        // Exported, then imported again: exact duplicates are skipped; into a fresh store, all added.
        let export = try await sandbox.bs(["export"])
        #expect(export.status == 0, "\(export)")
        #expect(export.stdout.contains("hunter2"), "an export keeps URLs exact, so a backup restores them")
        try Self.write(Data(export.stdout.utf8), to: sandbox.path("export.json"))
        let again = try await sandbox.bs(["import", sandbox.path("export.json")])
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.contains("skipped 5 exact duplicates"), "\(again)")
        let fresh = try Sandbox()
        try Self.write(try Self.withSecrets(export.stdout), to: fresh.path("restore.json"))
        let restored = try await fresh.bs(["import", fresh.path("restore.json")])
        #expect(restored.status == 0, "\(restored)")
        #expect(restored.stdout.contains("Imported 3 connections and 2 slash commands"), "\(restored)")
        try await Self.everyItemLoads(fresh.bs)
    }

    @Test func onAServer() async throws {
        let fake = try await FakeMattermost()
        for connection in Self.oddConnections { fake.seedConnection(connection) }
        for command in Self.oddCommands { fake.seedCommand(trigger: command["trigger"] as! String, url: command["url"] as! String, command) }
        let sandbox = try Sandbox()
        let server = ["--server", fake.url, "--team", fake.teamName]
        let run: (([String], String?) async throws -> CLIResult) = { arguments, stdin in
            try await sandbox.run(arguments + server, stdin: stdin, environment: ["MM_ACCESS_TOKEN": fake.pat])
        }
        try await Self.everyItemLoads(run)
        let export = try await run(["export"], nil)
        #expect(export.status == 0, "\(export)")
        // What a server holds imports into the embedded store.
        try Self.write(try Self.withSecrets(export.stdout), to: sandbox.path("from-server.json"))
        let local = try await sandbox.bs(["import", sandbox.path("from-server.json")])
        #expect(local.status == 0, "\(local)")
        #expect(local.stdout.contains("Imported 3 connections and 2 slash commands"), "\(local)")
        await fake.shutdown()
    }

    /// Lists and shows every item (text and --json), then edits one other field of each.
    static func everyItemLoads(_ run: ([String], String?) async throws -> CLIResult) async throws {
        let connections = try await run(["connections", "list", "--json"], nil)
        #expect(connections.status == 0, "\(connections)")
        #expect(!connections.stdout.contains("hunter2"), "a password in a URL is masked in --json")
        #expect(try await run(["connections", "list"], nil).status == 0)
        for connection in try JSON.array(connections.stdout) {
            let id = try #require(connection.string("id"))
            let show = try await run(["connections", "show", id], nil)
            #expect(show.status == 0, "\(show)")
            #expect(!show.stdout.contains("hunter2"))
            let edit = try await run(["connections", "edit", id, "--client-id", "edited-\(id.prefix(4))"], nil)
            #expect(edit.status == 0, "\(edit)")
        }
        let commands = try await run(["commands", "list", "--json"], nil)
        #expect(commands.status == 0, "\(commands)")
        #expect(try await run(["commands", "list"], nil).status == 0)
        for command in try JSON.array(commands.stdout) {
            let trigger = try #require(command.string("trigger"))
            #expect(try await run(["commands", "show", trigger], nil).status == 0)
            let edit = try await run(["commands", "edit", trigger, "--description", "edited"], nil)
            #expect(edit.status == 0, "\(edit)")
        }
    }
}
