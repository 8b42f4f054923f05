import Foundation
import Synchronization
import Testing
import TestSupport

extension ConsoleEndToEnd {
    /// One scripted session, console and CLI, with every place a secret could leak searched
    /// afterwards: screens, the pane's bytes, --json, the activity log, /proc/PID/cmdline and
    /// the database file outside the secret column.
    @Suite("secret hygiene")
    struct SecretHygieneTests {
        /// Distinctive per run, so any hit is a leak.
        static let secrets = (1...3).map { "cs\($0)-\(UUID().uuidString)" }
        static let tokenPrefix = "AT-\(UUID().uuidString.prefix(8))-"

        /// A token endpoint that accepts the three secrets, issues a numbered token each time,
        /// and answers a wrong secret with an error that echoes it (a careless provider).
        /// The tokens a server issued, readable from the test.
        final class Ledger: Sendable {
            let tokens = Mutex<[String]>([])
        }

        static func identityProvider(issued: Ledger) async throws -> ScriptedHTTPServer {
            try await ScriptedHTTPServer { request in
                let given = request.form["client_secret"] ?? ""
                if request.form["client_id"] == "hang-client" { return .hang }
                guard secrets.contains(given) else {
                    return .json(401, #"{"error":"invalid_client","error_description":"bad secret \#(given)"}"#)
                }
                let token = issued.tokens.withLock { list in
                    list.append(tokenPrefix + String(list.count + 1))
                    return list.last!
                }
                return .json(200, #"{"access_token":"\#(token)","token_type":"bearer","expires_in":3600}"#)
            }
        }

        /// Every printable stretch of 8+ bytes of a file (what `strings` shows).
        static func rawText(_ path: String) -> String {
            String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data(), as: UTF8.self)
        }

        @Test("enter, validate, save, edit, test-fire: no secret or token anywhere but the secret column")
        func scriptedSession() async throws {
            let issued = Ledger()
            let idp = try await Self.identityProvider(issued: issued)
            let receiver = try await ScriptedHTTPServer { request in
                .json(200, #"{"response_type":"ephemeral","text":"got \#(request.form["text"] ?? "")"}"#)
            }
            let workspace = try Workspace()
            let logPath = workspace.path("activity.log")
            let logged = ["BACKSTAGE_LOG": logPath]
            var haystack: [(place: String, text: String)] = []

            try await withConsole(workspace, environment: logged) { console in
                func look(_ place: String) async throws { haystack.append((place, try await console.capture(history: true))) }
                try await console.waitFor("No Outgoing OAuth Connections found")
                let pid = try await console.consolePID()
                haystack.append(("console cmdline", (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""))

                // Enter a wrong secret first: the provider echoes it in its error.
                try await console.press("a")
                try await console.waitFor("Outgoing OAuth Connections › Add")
                try await console.type("Hygiene")
                try await console.press("Tab")
                try await console.type("hygiene-client")
                try await console.press("Tab")
                try await console.type("wrong-" + Self.secrets[0])
                try await console.press("Tab")
                try await console.type(idp.url("/token"))
                try await console.press("Tab", "Tab")
                try await console.type(receiver.url("/slash/*"))
                try await console.press("C-t")
                try await console.waitFor("Connection not validated")
                try await look("wrong secret")
                // The right one: clear the field and type it.
                try await console.press("BTab", "BTab", "BTab", "C-u")
                try await console.type(Self.secrets[0])
                try await look("secret typed")
                try await console.press("C-t")
                try await console.waitFor("✓ Validated connection")
                try await console.press("C-s")
                try await console.waitFor("Setup Successful", "Client Secret: ********")
                try await look("confirm page")
                try await console.press("Enter")
                try await console.waitFor("Saved Hygiene")
                try await look("saved")

                // Edit: a new secret, validated and saved.
                try await console.press("e")
                try await console.waitFor("(unchanged)")
                try await console.press("Tab", "Tab")
                try await console.type(Self.secrets[1])
                try await console.press("C-t")
                try await console.waitFor("✓ Validated connection")
                try await look("edited")
                try await console.press("C-s")
                try await console.waitFor("Saved Hygiene")

                let added = try await workspace.cli(["commands", "add", "--trigger", "hyg", "--url", receiver.url("/slash/hyg"), "--json"],
                                                    environment: logged)
                #expect(added.status == 0, "\(added)")
                haystack.append(("commands add --json", added.stdout + added.stderr))

                // Test-fire from the console.
                try await console.press("2")
                try await console.waitFor("/hyg")
                try await console.press("r")
                try await console.waitFor("Text after /hyg")
                try await console.type("hello")
                try await console.press("Enter")
                try await console.waitFor("Test-fire /hyg — OK", "got hello")
                try await look("test-fired")
                try await console.press("Escape")
                try await console.waitForAbsence("Test-fire /hyg — OK")
                try await console.press("1")
                try await console.waitFor("Outgoing OAuth Connections  (1)")
                try await console.press("v")
                try await console.waitFor("Validated connection Hygiene: token_type Bearer")
                try await look("validated from the list")
                haystack.append(("pane bytes", console.output()))
                try await console.press("q")
                _ = try await console.waitForExit()
                try await look("after exit")
            }
            #expect(issued.tokens.withLock { $0.count } >= 3, "the console obtained tokens")

            // The CLI: rotate the secret from stdin, validate, test-fire, read back.
            for (arguments, stdin) in [
                (["connections", "edit", "Hygiene", "--client-secret-stdin", "--json"], Self.secrets[2] + "\n"),
                (["connections", "validate", "Hygiene", "--json"], nil),
                (["connections", "validate", "Hygiene"], nil),
                (["commands", "run", "hyg", "hi", "--json"], nil),
                (["commands", "run", "hyg", "hi"], nil),
                (["connections", "list", "--json"], nil), (["connections", "show", "Hygiene", "--json"], nil),
                (["commands", "list", "--json"], nil), (["export", "--out", "export.json"], nil),
            ] as [([String], String?)] {
                let result = try await workspace.cli(arguments, stdin: stdin, environment: logged)
                #expect(result.status == 0, "\(result)")
                haystack.append((arguments.joined(separator: " "), result.stdout + result.stderr))
            }
            haystack.append(("export.json", Self.rawText(workspace.path("export.json"))))

            // A CLI mid-request: its argv holds no secret (it came on stdin).
            let cli = Process()
            cli.executableURL = try E2E.backstage()
            cli.arguments = ["--db", workspace.db, "connections", "validate", "--token-url", idp.url("/token"), "--client-id", "hang-client",
                             "--client-secret-stdin", "--timeout", "5"]
            cli.environment = workspace.environment.merging(logged) { _, new in new }
            let stdin = Pipe()
            cli.standardInput = stdin
            cli.standardOutput = FileHandle.nullDevice
            cli.standardError = FileHandle.nullDevice
            try cli.run()
            try stdin.fileHandleForWriting.write(contentsOf: Data((Self.secrets[2] + "\n").utf8))
            try stdin.fileHandleForWriting.close()
            let deadline = Date().addingTimeInterval(E2E.deadline)
            while !idp.requests.contains(where: { $0.form["client_id"] == "hang-client" }) && Date() < deadline {
                try await Task.sleep(for: .milliseconds(20)) // poll for the request until the deadline
            }
            let cmdline = (try? String(contentsOfFile: "/proc/\(cli.processIdentifier)/cmdline", encoding: .utf8)) ?? ""
            #expect(cmdline.contains("hang-client"), "read the CLI's argv while it ran: \(cmdline.debugDescription)")
            haystack.append(("CLI cmdline", cmdline))
            cli.terminate()
            cli.waitUntilExit()

            // The activity log: there, 0600, one line per action, nothing secret.
            let log = Self.rawText(logPath)
            haystack.append(("activity log", log))
            let mode = try FileManager.default.attributesOfItem(atPath: logPath)[.posixPermissions] as? Int
            #expect(mode == 0o600, "log mode \(String(mode ?? 0, radix: 8))")
            for action in ["created connection \"Hygiene\"", "updated connection \"Hygiene\"", "validated connection \"Hygiene\"",
                           "failed: ", "created command /hyg", "test-fired command /hyg"] {
                #expect(log.contains(action), "the log has \(action): \(log)")
            }

            // The database, read through SQLite: every table, the secret column left out.
            let tables = try await Subprocess.run("/usr/bin/sqlite3", [workspace.db, "SELECT name FROM sqlite_master WHERE type = 'table'"])
            for table in tables.stdout.split(separator: "\n") where table != "connection_secrets" {
                let rows = try await Subprocess.run("/usr/bin/sqlite3", [workspace.db, "SELECT * FROM \"\(table)\""])
                haystack.append(("table \(table)", rows.stdout))
            }
            let others = try await Subprocess.run("/usr/bin/sqlite3", [workspace.db, "SELECT connection_id, credentials_password FROM connection_secrets"])
            haystack.append(("connection_secrets without client_secret", others.stdout))
            #expect(tables.stdout.contains("outgoing_oauth_connections"), "\(tables)")

            let tokens = issued.tokens.withLock { $0 }
            #expect(tokens.count >= 5, "console and CLI obtained tokens: \(tokens)")
            for (place, text) in haystack {
                for secret in Self.secrets {
                    #expect(!text.contains(secret), "client secret in \(place)")
                }
                #expect(!text.contains(Self.tokenPrefix), "an access token in \(place)")
            }
            // The raw files: tokens never, the live secret only as its one stored value, older
            // secrets not at all (overwritten, not left in free pages or the log).
            let raw = Self.rawText(workspace.db) + Self.rawText(workspace.db + "-wal")
            #expect(!raw.contains(Self.tokenPrefix), "an access token in the database files")
            #expect(!raw.contains(Self.secrets[0]) && !raw.contains(Self.secrets[1]), "a replaced secret is still in the database files")
            #expect(raw.ranges(of: Self.secrets[2]).count == 1, "the live secret once: \(raw.ranges(of: Self.secrets[2]).count)")
            await idp.shutdown()
            await receiver.shutdown()
        }

        @Test("the activity log is created 0600; a log others can read is refused, nothing is written")
        func logFileMode() async throws {
            let workspace = try Workspace()
            let fresh = workspace.path("new.log")
            let added = try await workspace.cli(["--log", fresh, "connections", "add", "--name", "L\u{1B}]0;PWNED\u{07}", "--client-id", "c",
                                                 "--token-url", "https://idp.example.com/t", "--audience", "https://l.example.com",
                                                 "--client-secret-stdin", "--json"], stdin: Self.secrets[0] + "\n")
            #expect(added.status == 0, "\(added)")
            let id = try #require((try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])?["id"] as? String)
            let mode = try FileManager.default.attributesOfItem(atPath: fresh)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let line = Self.rawText(fresh)
            #expect(line.contains("created connection \"L\" (id "), "one sanitised line: \(line.debugDescription)")
            #expect(!line.contains(Self.secrets[0]) && !line.contains("\u{1B}") && !line.contains("\u{07}"))
            #expect(line.split(separator: "\n").count == 1)

            let wide = workspace.path("wide.log")
            FileManager.default.createFile(atPath: wide, contents: nil, attributes: [.posixPermissions: 0o644])
            let refused = try await workspace.cli(["connections", "delete", id], environment: ["BACKSTAGE_LOG": wide])
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("refusing the log file") && refused.stderr.contains("chmod 600"), "\(refused)")
            #expect(try await workspace.connectionNames().count == 1, "nothing deleted when the log cannot be kept")
            #expect(Self.rawText(wide).isEmpty)
        }
    }
}
