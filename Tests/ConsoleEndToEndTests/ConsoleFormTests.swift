import Foundation
import Synchronization
import Testing
import TestSupport

/// The forms in the real binary, against a real token server and command receiver on 127.0.0.1.
extension ConsoleEndToEnd {
    @Suite("forms")
    struct ConsoleFormTests {
        static let secret = "Sup3r-s3cret-e2e"

        static func identityProvider() async throws -> ScriptedHTTPServer {
            let issued = Mutex(0)
            return try await ScriptedHTTPServer { request in
                guard request.form["client_secret"] == secret else { return .json(401, #"{"error":"invalid_client"}"#) }
                let number = issued.withLock { $0 += 1; return $0 }
                return .json(200, #"{"access_token":"AT-e2e-\#(number)","token_type":"bearer","expires_in":3600}"#)
            }
        }

        @Test func createAConnectionByTypingValidateItAndSaveIt() async throws {
            let idp = try await Self.identityProvider()
            let workspace = try Workspace()
            try await withConsole(workspace) { console in
                try await console.waitFor("No Outgoing OAuth Connections found")
                try await console.press("a")
                try await console.waitFor("Outgoing OAuth Connections › Add")
                try await console.type("Payroll")
                try await console.press("Tab")
                try await console.type("payroll-client")
                try await console.press("Tab")
                try await console.type(Self.secret)
                try await console.press("Tab")
                try await console.type(idp.url("/oauth/token"))
                try await console.press("Tab", "Tab")
                try await console.type("https://pay.example.com/*")
                try await console.waitFor("https://pay.example.com/*")
                // Not validated: Mattermost's dialog asks first; n goes back.
                try await console.press("C-s")
                try await console.waitFor("This connection has not been validated, Do you want to save anyway?")
                try await console.press("n")
                try await console.waitForAbsence("Do you want to save anyway?")
                try await console.press("C-t")
                try await console.waitFor("✓ Validated connection", "token_type Bearer, expires_in 3600 s")
                try await console.press("C-s")
                // Mattermost's confirm page, then the list.
                try await console.waitFor("Setup Successful", "Client Secret: ********", "Audience URL(s): https://pay.example.com/*")
                try await console.press("Enter")
                try await console.waitFor("Saved Payroll", "✓ yes")
                // Reopened, the secret is a fixed mask.
                try await console.press("e")
                try await console.waitFor("(unchanged)")
                try await console.press("Escape")
                try await console.waitFor("Outgoing OAuth Connections  (1)")
                // No capture and no byte the console wrote ever held the secret or a token.
                let everything = console.output() + (try await console.capture(history: true))
                #expect(!everything.contains(Self.secret))
                #expect(!everything.contains("AT-e2e-"))
            }
            #expect(idp.requests.first?.form["client_id"] == "payroll-client")
            let json = try await workspace.cli(["connections", "list", "--json"])
            #expect(json.stdout.contains("\"last_validation\""))
            #expect(!json.stdout.contains(Self.secret))
            await idp.shutdown()
        }

        @Test func theBannerFlipsWhileTheURLIsTypedThenTheCommandFires() async throws {
            let idp = try await Self.identityProvider()
            let receiver = try await ScriptedHTTPServer { request in
                .json(200, #"{"response_type":"ephemeral","text":"pong \#(request.form["text"] ?? "")"}"#)
            }
            let workspace = try Workspace()
            let added = try await workspace.cli(["connections", "add", "--name", "Pinger", "--client-id", "cid", "--token-url", idp.url("/token"),
                                                 "--audience", receiver.url("/slash/*"), "--client-secret-stdin"], stdin: Self.secret + "\n")
            try #require(added.status == 0, "\(added)")
            try await withConsole(workspace) { console in
                try await console.waitFor("Pinger")
                try await console.press("2")
                try await console.waitFor("No commands found")
                try await console.press("a")
                try await console.waitFor("Slash Commands › Add")
                try await console.press("Tab", "Tab")
                try await console.type("ping")
                try await console.press("Tab")
                try await console.type(receiver.url("/slas"))
                try await console.waitFor("Not linked to an OAuth connection")
                try await console.type("h/ping")
                try await console.waitFor("Connected to \"Pinger\"")
                try await console.press("C-s")
                try await console.waitFor("Setup Successful", "Token: ")
                try await console.press("Enter")
                try await console.waitFor("/ping", "Connected to \"Pinger\"")
                try await console.press("r")
                try await console.waitFor("Text after /ping")
                try await console.type("hello")
                try await console.press("Enter")
                try await console.waitFor("Test-fire /ping — OK", "Response: 200 OK", "pong hello")
                let screen = try await console.capture()
                #expect(!screen.contains("AT-e2e-"))
                try await console.press("Escape")
            }
            #expect(receiver.requests.first?.header("Authorization") == "Bearer AT-e2e-1")
            await idp.shutdown()
            await receiver.shutdown()
        }

        /// A failing command's reply is shown: status, size, the body's first 20 lines without
        /// escape-sequence residue; a 307 names its Location (password masked), not followed.
        @Test func aFailedTestFireShowsTheReplyAndARedirectItsLocation() async throws {
            let body = "\u{1B}]0;PWNED-TITLE\u{07}\u{1B}[2J\u{1B}[H\u{1B}[31;1mline 1\n" + (2...30).map { "line \($0)" }.joined(separator: "\n")
            let receiver = try await ScriptedHTTPServer { request in
                request.path == "/moved" ? .respond(status: 307, headers: [("Location", "https://u:pw99@x.example/a")], body: [])
                    : .text(500, body)
            }
            let workspace = try Workspace()
            try await workspace.addCommand("boom", url: receiver.url("/boom"))
            try await workspace.addCommand("moved", url: receiver.url("/moved"))
            try await withConsole(workspace, height: 40) { console in
                try await console.press("2")
                try await console.waitFor("/boom", "/moved")
                try await console.press("r")
                try await console.waitFor("Text after /boom")
                try await console.press("Enter")
                let failed = try await console.waitFor("Test-fire /boom — FAILED", "HTTP 500 Internal Server Error · \(body.utf8.count) bytes", "line 20")
                #expect(failed.contains("10 more lines"), "\(failed)")
                #expect(!failed.contains("line 21"), "\(failed)")
                for residue in ["]0;", "PWNED", "[2J", "[31;1m"] { #expect(!failed.contains(residue), "\(residue): \(failed)") }
                try await console.press("Escape")
                try await console.waitForAbsence("Test-fire /boom")
                try await console.press("Down")
                try await console.press("r")
                try await console.waitFor("Text after /moved")
                try await console.press("Enter")
                let moved = try await console.waitFor("Test-fire /moved — FAILED", "Location: https://u:********@x.example/a (redirects are not followed)")
                #expect(!moved.contains("pw99"), "\(moved)")
                try await console.press("Escape")
            }
            #expect(receiver.requests.count == 2)
            await receiver.shutdown()
        }

        @Test func aHangingTokenServerNeverFreezesTheFormAndEscCancels() async throws {
            let idp = try await ScriptedHTTPServer { _ in .hang }
            let workspace = try Workspace()
            try await withConsole(workspace) { console in
                try await console.waitFor("No Outgoing OAuth Connections found")
                try await console.press("a")
                try await console.waitFor("Outgoing OAuth Connections › Add")
                try await console.type("Hang")
                try await console.press("Tab")
                try await console.type("cid")
                try await console.press("Tab")
                try await console.type("s")
                try await console.press("Tab")
                try await console.type(idp.url("/token"))
                try await console.press("C-t")
                try await console.waitFor("Validating... (Esc cancels)")
                // Typing still echoes while the token request hangs.
                try await console.press("BTab", "BTab", "BTab")
                try await console.type("+typed-while-waiting")
                try await console.waitFor("Hang+typed-while-waiting", "Validating... (Esc cancels)")
                try await console.press("Escape")
                try await console.waitFor("Validation cancelled")
                try await console.waitForAbsence("Validating...")
                try await console.press("Escape")
                try await console.waitFor("Discard unsaved changes?")
                try await console.press("y")
                try await console.waitFor("No Outgoing OAuth Connections found")
            }
            #expect(try await workspace.connectionNames().isEmpty)
            await idp.shutdown()
        }

        /// tmux sends Home and End as ESC [1~ and ESC [4~ whatever TERM says; they move the
        /// cursor instead of typing "4~" into the field.
        @Test func homeAndEndMoveInAFieldWhateverTheTerminalSends() async throws {
            let workspace = try Workspace()
            try await withConsole(workspace) { console in
                try await console.waitFor("No Outgoing OAuth Connections found")
                try await console.press("a")
                try await console.waitFor("Outgoing OAuth Connections › Add")
                try await console.type("abc")
                try await console.press("Home")
                try await console.type("X")
                try await console.press("End")
                try await console.type("Y")
                let screen = try await console.waitFor("XabcY")
                #expect(!screen.contains("~"), "an escape sequence was typed: \(screen)")
            }
        }
    }
}
