import Foundation
import Synchronization
import Testing
import TestSupport

/// `connections validate` and `commands run` against real servers on 127.0.0.1.
@Suite("validate and run")
struct ValidateAndRunCLITests {
    static let secret = "cli-S3cret-value"

    /// An identity provider that accepts only `secret`, numbering its tokens.
    static func identityProvider() async throws -> ScriptedHTTPServer {
        let issued = Mutex(0)
        return try await ScriptedHTTPServer { request in
            guard request.form["client_secret"] == secret else {
                return .json(401, #"{"error":"invalid_client","error_description":"\u001b[31mbad client\u0007"}"#)
            }
            let number = issued.withLock { $0 += 1; return $0 }
            return .json(200, #"{"access_token":"AT-\#(number)-zzqq","token_type":"bearer","expires_in":300,"scope":"slash"}"#)
        }
    }

    static func expectNoSecrets(_ result: CLIResult, sourceLocation: SourceLocation = #_sourceLocation) {
        for leak in [secret, "AT-1-zzqq", "AT-2-zzqq", "-zzqq"] {
            #expect(!result.allOutput.contains(leak), "\(leak) leaked: \(result)", sourceLocation: sourceLocation)
        }
        #expect(!result.allBytes.contains(0x1B), "ESC reached the terminal: \(result)", sourceLocation: sourceLocation)
    }

    @Test func validateASavedConnectionRecordsTheOutcome() async throws {
        let idp = try await Self.identityProvider()
        let sandbox = try Sandbox()
        try await sandbox.addConnection("Weather", audiences: ["https://weather.example.com/*"], tokenURL: idp.url("/token"), secret: Self.secret)
        let ok = try await sandbox.bs(["connections", "validate", "Weather"])
        #expect(ok.status == 0, "\(ok)")
        #expect(ok.stdoutLines.first == "Validated connection")
        #expect(ok.stdout.contains("token_type: Bearer"))
        #expect(ok.stdout.contains("expires_in: 300 s"))
        #expect(ok.stdout.contains("scope: slash"))
        Self.expectNoSecrets(ok)
        let list = try await sandbox.bs(["connections", "list"])
        #expect(list.stdout.contains("Validation: Validated connection on "), "\(list)")
        let json = try JSON.array(try await sandbox.bs(["connections", "list", "--json"]).stdout)
        #expect(json.first?.object("last_validation")?["ok"] as? Bool == true)

        // A new secret makes it "not validated" again; the wrong one fails and says why.
        let edit = try await sandbox.bs(["connections", "edit", "Weather", "--client-secret-stdin"], stdin: "wrong-secret\n")
        #expect(edit.status == 0, "\(edit)")
        #expect(try await sandbox.bs(["connections", "show", "Weather"]).stdout.contains("Validation: not validated yet"))
        let bad = try await sandbox.bs(["connections", "validate", "Weather"])
        #expect(bad.status == Exit.remoteFailure, "\(bad)")
        #expect(bad.stdout.contains("Connection not validated: the token endpoint at 127.0.0.1 answered 401 Unauthorized: invalid_client"))
        #expect(bad.stdout.contains("bad client"))
        Self.expectNoSecrets(bad)
        #expect(!bad.allOutput.contains("wrong-secret"))
        #expect(try await sandbox.bs(["connections", "show", "Weather"]).stdout.contains("Validation: Connection not validated on "))
        await idp.shutdown()
    }

    /// The token is requested while the store opens (issue 18): still one request a validate,
    /// with the stored secret, and a secret given on stdin is the only one sent.
    @Test func validateSendsOneRequestWithTheSecretItShould() async throws {
        let idp = try await Self.identityProvider()
        let sandbox = try Sandbox()
        try await sandbox.addConnection("Weather", audiences: ["https://weather.example.com/*"], tokenURL: idp.url("/token"), secret: Self.secret)
        let ok = try await sandbox.bs(["connections", "validate", "weather", "--json"])
        #expect(ok.status == 0, "\(ok)")
        #expect(idp.requests.count == 1)
        #expect(idp.requests.last?.form["client_secret"] == Self.secret)
        let given = try await sandbox.bs(["connections", "validate", "Weather", "--client-secret-stdin"], stdin: "typed-secret\n")
        #expect(given.status == Exit.remoteFailure, "\(given)")
        #expect(idp.requests.count == 2, "the stored secret was not sent as well")
        #expect(idp.requests.last?.form["client_secret"] == "typed-secret")
        #expect(try await sandbox.bs(["connections", "show", "Weather"]).stdout.contains("Validation: Connection not validated on "))
        await idp.shutdown()
    }

    @Test func validateBeforeSavingReadsTheSecretFromStdin() async throws {
        let idp = try await Self.identityProvider()
        let sandbox = try Sandbox()
        let ok = try await sandbox.bs(["connections", "validate", "--token-url", idp.url("/token"), "--client-id", "cid",
                                       "--client-secret-stdin", "--json"], stdin: Self.secret + "\n")
        #expect(ok.status == 0, "\(ok)")
        let json = try JSON.object(ok.stdout)
        #expect(json["validated"] as? Bool == true)
        #expect(json.string("token_type") == "Bearer")
        #expect(json.int("expires_in") == 300)
        Self.expectNoSecrets(ok)
        #expect(idp.requests.first?.form["client_id"] == "cid")

        let refused = try await sandbox.bs(["connections", "validate", "--token-url", "ftp://x", "--client-id", "cid", "--client-secret-stdin"],
                                           stdin: Self.secret + "\n")
        expectFailure(refused, status: Exit.invalidInput, prefix: "backstage: oauth_token_url: Invalid oauth token url.")
        let nothingThere = try await sandbox.bs(["connections", "validate", "--token-url", "http://127.0.0.1:1/token", "--client-id", "c",
                                                 "--client-secret-stdin"], stdin: "x\n")
        #expect(nothingThere.status == Exit.remoteFailure, "\(nothingThere)")
        #expect(nothingThere.stdout.contains("127.0.0.1 refused the connection on port 1"), "\(nothingThere)")
        await idp.shutdown()
    }

    @Test func plainHTTPToAnotherHostIsFlagged() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run(["connections", "validate", "--token-url", "http://idp.invalid/token", "--client-id", "c",
                                            "--client-secret-stdin", "--connect-timeout", "2", "--db", sandbox.db], stdin: "x\n")
        #expect(result.stderr.contains("warning: http://idp.invalid/token is plain http to another machine"), "\(result)")
        #expect(result.stdout.contains("cannot resolve the host name idp.invalid"), "\(result)")
        #expect(result.status == Exit.remoteFailure)
    }

    @Test func runFiresWithAFreshBearerTokenEachTime() async throws {
        let idp = try await Self.identityProvider()
        let receiver = try await ScriptedHTTPServer { request in
            .json(200, #"{"response_type":"in_channel","text":"Forecast for \#(request.form["text"] ?? ""):\nsunny \u001b]0;title\u0007","attachments":[{"text":"more"}]}"#)
        }
        let sandbox = try Sandbox()
        try await sandbox.addConnection("Weather", audiences: [receiver.url("/slash/*")], tokenURL: idp.url("/token"), secret: Self.secret)
        try await sandbox.addCommand("weather", url: receiver.url("/slash/weather"))
        let first = try await sandbox.bs(["commands", "run", "weather", "paris", "tomorrow", "--channel", "ops", "--user", "alice"])
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.contains("OAuth:    Connected to \"Weather\""))
        #expect(first.stdout.contains("Request:  POST \(receiver.url("/slash/weather"))  (Authorization: Bearer ********)"))
        #expect(first.stdout.contains("Response: 200 OK"))
        #expect(first.stdout.contains("response_type: in_channel"))
        #expect(first.stdout.contains("Forecast for paris tomorrow:"))
        #expect(first.stdout.contains("attachment 1: more"))
        Self.expectNoSecrets(first)
        let second = try await sandbox.bs(["commands", "run", "/weather", "--json"])
        #expect(second.status == 0, "\(second)")
        Self.expectNoSecrets(second)
        let json = try JSON.object(second.stdout)
        #expect(json.object("oauth")?.string("status") == "obtained")
        #expect(json.object("response")?.int("status") == 200)
        #expect(json.object("fields")?.string("token") == "********")

        let seen = receiver.requests
        #expect(seen.map { $0.header("Authorization") } == ["Bearer AT-1-zzqq", "Bearer AT-2-zzqq"])
        #expect(seen.first?.form["channel_name"] == "ops")
        #expect(seen.first?.form["user_name"] == "alice")
        #expect(seen.first?.form["text"] == "paris tomorrow")
        await idp.shutdown()
        await receiver.shutdown()
    }

    @Test func aFailingTokenStepIsLoudAndTheCommandStillGoesOut() async throws {
        let idp = try await Self.identityProvider()
        let receiver = try await ScriptedHTTPServer { _ in .text(200, "ok") }
        let sandbox = try Sandbox()
        try await sandbox.addConnection("Weather", audiences: [receiver.url("/slash/*")], tokenURL: idp.url("/token"), secret: "not-the-secret")
        let command = try await sandbox.addCommand("weather", url: receiver.url("/slash/weather"))
        let result = try await sandbox.bs(["commands", "run", "weather"])
        #expect(result.status == Exit.remoteFailure, "\(result)")
        #expect(result.stdout.contains("!! TOKEN STEP FAILED for \"Weather\""))
        #expect(result.stdout.contains("invalid_client"))
        #expect(result.stdout.contains("Sent with the command token instead"))
        #expect(result.stderr.contains("the OAuth step failed"))
        #expect(receiver.requests.first?.header("Authorization") == "Token \(command.string("token") ?? "?")")
        Self.expectNoSecrets(result)
        await idp.shutdown()
        await receiver.shutdown()
    }

    @Test func aCommandThatFailsUsesMattermostsWords() async throws {
        let receiver = try await ScriptedHTTPServer { _ in .text(503, "down") }
        let sandbox = try Sandbox()
        try await sandbox.addCommand("weather", url: receiver.url("/slash/weather"), ["--method", "get"])
        let result = try await sandbox.bs(["commands", "run", "weather"])
        #expect(result.status == Exit.commandFailed, "\(result)")
        #expect(result.stdout.contains("Command with a trigger of 'weather' returned response 503 Service Unavailable."), "\(result)")
        #expect(result.stdoutLines.contains("          HTTP 503 Service Unavailable · 4 bytes (text/plain)"), "\(result)")
        #expect(result.stdoutLines.suffix(2) == ["          body:", "            down"], "\(result)")
        #expect(receiver.requests.first?.method == "GET")
        #expect(receiver.requests.first?.form["command"] == "/weather")
        await receiver.shutdown()
    }

    /// The CLI prints a failed reply's whole body (the console its first lines), with its size;
    /// `--json` carries it under "reply", sanitised and valid.
    @Test func aFailedCommandShowsItsWholeReply() async throws {
        let body = (1...40).map { "trace line \($0)" }.joined(separator: "\n")
        let receiver = try await ScriptedHTTPServer { _ in .text(500, body) }
        let sandbox = try Sandbox()
        try await sandbox.addCommand("weather", url: receiver.url("/slash/weather"))
        let result = try await sandbox.bs(["commands", "run", "weather"])
        #expect(result.status == Exit.commandFailed, "\(result)")
        #expect(result.stdoutLines.contains("          HTTP 500 Internal Server Error · \(body.utf8.count) bytes (text/plain)"), "\(result)")
        #expect(result.stdoutLines.suffix(40) == (1...40).map { "            trace line \($0)" }, "\(result)")
        #expect(!result.stdout.contains("more lines"), "\(result)")
        let json = try JSON.object(try await sandbox.bs(["commands", "run", "weather", "--json"]).stdout)
        let reply = try #require(json.object("reply"))
        #expect(reply.int("status") == 500 && reply.string("status_text") == "500 Internal Server Error")
        #expect(reply.int("bytes") == Int64(body.utf8.count))
        #expect(reply.string("body") == body)
        #expect(reply["location"] is NSNull)
        #expect(json["response"] is NSNull)
        await receiver.shutdown()
    }

    /// A 307 is not followed: its Location (password masked) and the note, in text and JSON.
    @Test func aRedirectingCommandSaysWhereAndThatItIsNotFollowed() async throws {
        let receiver = try await ScriptedHTTPServer { _ in
            .respond(status: 307, headers: [("Location", "https://ops:pa55word@new.example.com/slash")], body: [])
        }
        let sandbox = try Sandbox()
        try await sandbox.addCommand("weather", url: receiver.url("/slash/weather"))
        let result = try await sandbox.bs(["commands", "run", "weather"])
        #expect(result.status == Exit.commandFailed, "\(result)")
        #expect(result.stdout.contains("returned response 307 Temporary Redirect."), "\(result)")
        #expect(result.stdoutLines.contains("          HTTP 307 Temporary Redirect · no body"), "\(result)")
        #expect(result.stdoutLines.contains("          Location: https://ops:********@new.example.com/slash (redirects are not followed)"), "\(result)")
        #expect(receiver.requests.count == 1)
        let json = try await sandbox.bs(["commands", "run", "weather", "--json"])
        #expect(try JSON.object(json.stdout).object("reply")?.string("location") == "https://ops:********@new.example.com/slash")
        for output in [result, json] { #expect(!output.allOutput.contains("pa55word"), "\(output)") }
        await receiver.shutdown()
    }

    /// Escape sequences in a reply go whole, in text and in --json (which stays valid JSON).
    @Test func aHostileReplyReachesNoTerminal() async throws {
        let hostile = "\u{1B}]0;PWNED-TITLE\u{07}\u{1B}[2J\u{1B}[H\u{1B}[31;1mOut of cheese\u{1B}[0m\u{9B}5m\nbye\u{07}"
        let receiver = try await ScriptedHTTPServer { request in
            request.path == "/slash/ok" ? .text(200, hostile) : .text(500, hostile)
        }
        let sandbox = try Sandbox()
        try await sandbox.addCommand("fails", url: receiver.url("/slash/fails"))
        try await sandbox.addCommand("works", url: receiver.url("/slash/ok"))
        for arguments in [["commands", "run", "fails"], ["commands", "run", "works"], ["commands", "run", "fails", "--json"], ["commands", "run", "works", "--json"]] {
            let result = try await sandbox.bs(arguments)
            TerminalSafetyTests.expectClean(result)
            for residue in ["]0;", "PWNED", "[2J", "[31;1m", "[0m"] { #expect(!result.stdout.contains(residue), "\(residue): \(result)") }
            if arguments.last == "--json" {
                let json = try JSON.object(result.stdout)
                #expect(json.object("reply")?.string("body") == "Out of cheese\nbye", "\(result)")
            } else {
                #expect(result.stdoutLines.contains("            Out of cheese"), "\(result)")
            }
        }
        await receiver.shutdown()
    }
}
