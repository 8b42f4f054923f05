import Foundation
import Synchronization
import Testing
import TestSupport
@testable import BackstageCore

/// Test-fire against a real token server and a real command receiver on 127.0.0.1.
@Suite("Command runner")
struct CommandRunnerTests {
    struct World {
        let idp: ScriptedHTTPServer
        let receiver: ScriptedHTTPServer
        let http: OutboundHTTP
        let connections: [OutgoingOAuthConnection]
        let team = Team(id: MattermostID.make(), name: "main")

        func command(_ path: String = "/slash/weather", method: SlashCommand.Method = .post) -> SlashCommand {
            SlashCommand(id: MattermostID.make(), token: "cmdtoken0000000000000000aa", teamId: team.id,
                         trigger: "weather", method: method, url: receiver.url(path))
        }

        func run(_ command: SlashCommand, text: String = "paris tomorrow") async throws -> TestFireResult {
            try await CommandRunner(tokens: TokenClient(http: http)).run(
                command, text: text, context: TestContext(team: team, channelName: "ops", userName: "alice"),
                connections: connections, credentials: { _ in ConnectionCredentials(clientSecret: Secret("s3cret"), password: nil) })
        }

        func shutdown() async {
            await http.shutdown()
            await idp.shutdown()
            await receiver.shutdown()
        }
    }

    static func world(idp: @escaping @Sendable (ScriptedHTTPServer.Request) -> ScriptedHTTPServer.Reply,
                      receiver: @escaping @Sendable (ScriptedHTTPServer.Request) -> ScriptedHTTPServer.Reply,
                      audience: (ScriptedHTTPServer) -> String = { $0.url("/slash/*") }) async throws -> World {
        let idpServer = try await ScriptedHTTPServer(idp)
        let receiverServer = try await ScriptedHTTPServer(receiver)
        let connection = OutgoingOAuthConnection(id: "conn1", createAt: 1, name: "Weather IdP", clientId: "cid",
                                                 oauthTokenURL: idpServer.url("/token"), audiences: [audience(receiverServer)])
        return World(idp: idpServer, receiver: receiverServer, http: OutboundHTTP(settings: HTTPSettings(totalTimeout: .seconds(5))),
                     connections: [connection])
    }

    static let counter = Counter()

    final class Counter: Sendable {
        private let value = Mutex(0)
        func next() -> Int { value.withLock { $0 += 1; return $0 } }
    }

    @Test func everyFireGetsAFreshTokenSentAsBearer() async throws {
        let world = try await Self.world(
            idp: { _ in .json(200, #"{"access_token":"token-\#(Self.counter.next())","token_type":"bearer","expires_in":60}"#) },
            receiver: { _ in .json(200, #"{"response_type":"in_channel","text":"Sunny"}"#) })
        let first = try await world.run(world.command())
        let second = try await world.run(world.command())
        #expect(first.commandSucceeded && second.commandSucceeded)
        let authorizations = world.receiver.requests.compactMap { $0.header("Authorization") }
        #expect(authorizations.count == 2)
        #expect(authorizations.allSatisfy { $0.hasPrefix("Bearer token-") })
        #expect(Set(authorizations).count == 2) // a new token for every request
        #expect(world.idp.requests.count == 2)
        guard case .obtained(let connection, _, let tokenType, let expiresIn, _, _) = first.oauth else { Issue.record("no token"); return }
        #expect(connection.name == "Weather IdP")
        #expect(tokenType == "Bearer" && expiresIn == 60)
        guard case .answered(200, _, _, _, let response) = first.outcome else { Issue.record("no answer"); return }
        #expect(response == CommandResponse(responseType: "in_channel", text: "Sunny"))
        await world.shutdown()
    }

    @Test func theReceiverSeesEveryMattermostField() async throws {
        let world = try await Self.world(idp: { _ in .json(200, #"{"access_token":"t"}"#) }, receiver: { _ in .text(200, "plain reply") })
        let command = world.command()
        let result = try await world.run(command)
        let request = try #require(world.receiver.requests.first)
        #expect(request.method == "POST")
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(request.header("Accept") == "application/json")
        let form = request.form
        #expect(Set(form.keys) == ["token", "team_id", "team_domain", "channel_id", "channel_name", "user_id", "user_name",
                                   "command", "text", "trigger_id", "root_id", "response_url"])
        #expect(form["token"] == command.token)
        #expect(form["team_id"] == world.team.id && form["team_domain"] == "main")
        #expect(form["channel_name"] == "ops" && form["user_name"] == "alice")
        #expect(MattermostID.isValid(form["channel_id"] ?? "") && MattermostID.isValid(form["user_id"] ?? ""))
        #expect(form["command"] == "/weather")
        #expect(form["text"] == "paris tomorrow")
        #expect(form["response_url"]?.hasPrefix("http://localhost:8065/hooks/commands/") == true)
        // Keys go out sorted, as Go's url.Values.Encode writes them.
        let keys = request.bodyText.split(separator: "&").map { String($0.split(separator: "=")[0]) }
        #expect(keys == keys.sorted())
        // A reply that is not JSON becomes the text, as in Mattermost.
        guard case .answered(200, _, _, _, let response) = result.outcome else { Issue.record("no answer"); return }
        #expect(response.text == "plain reply")
        #expect(result.fields.first { $0.0 == "token" }?.1 == "********")
        await world.shutdown()
    }

    @Test func getCarriesTheFieldsInTheQuery() async throws {
        let world = try await Self.world(idp: { _ in .json(200, #"{"access_token":"t"}"#) }, receiver: { _ in .json(200, #"{"text":"ok"}"#) })
        _ = try await world.run(world.command("/slash/weather?existing=1", method: .get))
        let request = try #require(world.receiver.requests.first)
        #expect(request.method == "GET")
        #expect(request.body.isEmpty)
        #expect(request.query.hasPrefix("existing=1&")) // appended with & when a query exists
        #expect(request.form["command"] == "/weather")
        #expect(request.form["text"] == "paris tomorrow")
        #expect(request.header("Authorization") == "Bearer t")
        await world.shutdown()
    }

    @Test func aFailedTokenStepStillSendsTheCommandWithItsToken() async throws {
        let world = try await Self.world(idp: { _ in .json(401, #"{"error":"invalid_client"}"#) }, receiver: { _ in .json(200, #"{"text":"ok"}"#) })
        let command = world.command()
        let result = try await world.run(command)
        #expect(result.oauthFailed)
        #expect(result.commandSucceeded)
        #expect(result.authorizationScheme == "Token")
        #expect(world.receiver.requests.first?.header("Authorization") == "Token \(command.token)")
        guard case .failed(_, _, let reason) = result.oauth else { Issue.record("expected failure"); return }
        #expect(reason.contains("invalid_client"))
        await world.shutdown()
    }

    @Test func anUnlinkedCommandUsesItsTokenAndReportsNearMisses() async throws {
        let world = try await Self.world(idp: { _ in .json(200, #"{"access_token":"t"}"#) }, receiver: { _ in .json(200, "{}") },
                                         audience: { $0.url("/slash/weather/") })
        let command = world.command()
        let result = try await world.run(command)
        #expect(world.idp.requests.isEmpty)
        #expect(world.receiver.requests.first?.header("Authorization") == "Token \(command.token)")
        guard case .notLinked(let misses) = result.oauth else { Issue.record("expected not linked"); return }
        #expect(misses.first?.reasons == [.trailingSlash])
        await world.shutdown()
    }

    /// app/command.go DoCommandRequest: non-200 is "returned response {resp.Status}." with the
    /// trigger without its slash (spec D6); the reply is read through a 1 MiB LimitReader, so a
    /// longer text reply is cut and accepted, a longer JSON one no longer parses and fails (spec D5).
    @Test func commandFailuresUseMattermostsWords() async throws {
        let huge = [UInt8](repeating: 65, count: 2 << 20)
        let world = try await Self.world(idp: { _ in .json(200, #"{"access_token":"t"}"#) }, receiver: { request in
            switch request.path {
            case "/slash/500": return .text(500, "boom")
            case "/slash/badjson": return .json(200, "{not json")
            case "/slash/huge": return .respond(status: 200, headers: [("Content-Type", "text/plain")], body: huge)
            case "/slash/hugejson": return .respond(status: 200, headers: [("Content-Type", "application/json")],
                                                    body: Array(#"{"text":""#.utf8) + huge + Array(#""}"#.utf8))
            case "/slash/exact": return .respond(status: 200, headers: [("Content-Type", "text/plain")], body: [UInt8](repeating: 66, count: 1 << 20))
            default: return .reset
            }
        })
        func run(_ path: String) async throws -> TestFireResult { try await world.run(world.command(path)) }
        func message(_ path: String) async throws -> String {
            let result = try await run(path)
            #expect(!result.commandSucceeded)
            switch result.outcome {
            case .failed(let message, _): return message
            case .answered(let status, _, _, _, _): return "answered \(status)"
            }
        }
        #expect(try await message("/slash/500") == "Command with a trigger of 'weather' returned response 500 Internal Server Error.")
        let failed = try await run("/slash/500")
        if case .failed(_, let cause) = failed.outcome { #expect(cause == "HTTP 500 Internal Server Error · 4 bytes (text/plain)") }
        #expect(failed.reply?.body == "boom") // the body is shown below the cause
        #expect(try await message("/slash/badjson") == "Command with a trigger of 'weather' failed.")
        #expect(try await message("/slash/hugejson") == "Command with a trigger of 'weather' failed.")
        #expect(try await message("/slash/reset") == "Command with a trigger of 'weather' failed.")
        let cut = try await run("/slash/huge")
        #expect(cut.commandSucceeded && cut.replyCut)
        guard case .answered(_, _, _, _, let response) = cut.outcome else { Issue.record("not answered"); return }
        #expect(response.text?.utf8.count == 1 << 20)
        #expect(cut.reportLines.contains { $0.text.contains("reply cut at 1 MiB") })
        let exact = try await run("/slash/exact")
        #expect(exact.commandSucceeded && !exact.replyCut)
        await world.shutdown()
    }

    /// Every status shows its body: the console its first lines, the CLI all of them, with the
    /// size; a long line (a minified page) is cut in the console only.
    @Test func aFailedReplyShowsItsBodyAndSize() async throws {
        let body = (1...30).map { "line \($0) of the stack trace" }.joined(separator: "\n") + "\n\n"
        let long = String(repeating: "x", count: 1000)
        let world = try await Self.world(idp: { _ in .json(200, #"{"access_token":"t"}"#) }, receiver: { request in
            switch request.path {
            case "/slash/long": return .text(502, long, contentType: "text/html")
            case "/slash/empty": return .respond(status: 500, headers: [], body: [])
            default: return .text(500, body)
            }
        })
        let result = try await world.run(world.command())
        let reply = try #require(result.reply)
        #expect(reply.status == 500 && reply.byteCount == body.utf8.count)
        #expect(reply.headline == "HTTP 500 Internal Server Error · \(body.utf8.count) bytes (text/plain)")
        let console = result.reportLines.map(\.text)
        #expect(console.contains("Response: Command with a trigger of 'weather' returned response 500 Internal Server Error."))
        #expect(console.contains("          HTTP 500 Internal Server Error · \(body.utf8.count) bytes (text/plain)"))
        #expect(console.contains("          body:"))
        #expect(console.contains("            line 1 of the stack trace"))
        #expect(console.contains("            line 20 of the stack trace"))
        #expect(!console.contains("            line 21 of the stack trace"))
        #expect(console.last == "            … 10 more lines (backstage commands run shows them all)")
        let cli = result.reportLines(body: .whole).map(\.text)
        #expect(cli.last == "            line 30 of the stack trace", "every line, and no blank ones from the body's end")

        let cut = try await world.run(world.command("/slash/long"))
        #expect(cut.reportLines.contains { $0.text == "            " + String(repeating: "x", count: 400) + "…" })
        #expect(cut.reportLines(body: .whole).contains { $0.text == "            " + long })

        let empty = try await world.run(world.command("/slash/empty"))
        #expect(empty.reportLines.contains { $0.text == "          HTTP 500 Internal Server Error · no body" })
        #expect(!empty.reportLines.contains { $0.text.hasSuffix("body:") })
        await world.shutdown()
    }

    /// Redirects are not followed (a token must not travel to a URL nobody configured): the
    /// report says so and where it pointed, a password in the Location masked.
    @Test func aRedirectShowsItsLocationAndThatItIsNotFollowed() async throws {
        let world = try await Self.world(idp: { _ in .json(200, #"{"access_token":"t"}"#) }, receiver: { request in
            request.path == "/slash/bare" ? .respond(status: 302, headers: [], body: [])
                : .respond(status: 307, headers: [("Location", "https://admin:hunter2@elsewhere.example.com/slash?x=1")],
                           body: Array("Moved\r\n".utf8))
        })
        let result = try await world.run(world.command())
        #expect(world.receiver.requests.count == 1)
        #expect(result.reply?.location == "https://admin:********@elsewhere.example.com/slash?x=1")
        let lines = result.reportLines.map(\.text)
        #expect(lines.contains("Response: Command with a trigger of 'weather' returned response 307 Temporary Redirect."))
        #expect(lines.contains("          Location: https://admin:********@elsewhere.example.com/slash?x=1 (redirects are not followed)"))
        #expect(lines.contains("            Moved"))
        #expect(!lines.joined().contains("hunter2"))
        let bare = try await world.run(world.command("/slash/bare"))
        #expect(bare.reportLines.contains { $0.text == "          no Location header; redirects are not followed" })
        await world.shutdown()
    }

    /// A hostile body loses whole escape sequences, not just their ESC: no `]0;` or `[2J` residue.
    @Test func escapeSequencesInABodyGoWhole() async throws {
        let hostile = "\u{1B}]0;PWNED-TITLE\u{07}\u{1B}[2J\u{1B}[H\u{1B}[31;1mError\u{1B}[0m: \u{9B}1mdisk full\r\nsecond\u{1B}P+q\u{1B}\\ line"
        let world = try await Self.world(idp: { _ in .json(200, #"{"access_token":"t"}"#) }, receiver: { _ in
            .respond(status: 500, headers: [("Content-Type", "text/plain")], body: Array(hostile.utf8))
        })
        let result = try await world.run(world.command())
        #expect(result.reply?.body == "Error: disk full\nsecond line")
        for line in result.reportLines(body: .whole).map(\.text) {
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(line)")
            for residue in ["]0;", "PWNED", "[2J", "[H", "[31;1m", "+q"] { #expect(!line.contains(residue), "\(line)") }
        }
        #expect(result.reportLines.map(\.text).contains("            Error: disk full"))
        await world.shutdown()
    }
}
