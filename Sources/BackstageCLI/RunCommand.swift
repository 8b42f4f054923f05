import ArgumentParser
import BackstageCore
import Foundation

extension CommandsCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run", abstract: "Test-fire a slash command exactly as Mattermost sends it: a fresh token, then the request.",
            discussion: """
                backstage commands run payslip march --channel payroll

                The connection whose audience covers the command URL gives a new token, sent as \
                "Authorization: Bearer <token>"; without one (not linked, or the token step failed) the \
                command token is sent as "Authorization: Token <token>", as Mattermost does. Exit 0 when the \
                command answered 200 and any OAuth step worked; 6 when the OAuth step failed; 7 when the \
                command itself failed.

                On a server (--server) the payload names the token's user, the command's team and the \
                channel's real id. A server never returns a connection's secret: give it with \
                --client-secret-stdin for the token step; without it the step is skipped and said so (the \
                exit status then depends on the command alone).
                """)
        @Argument(help: "The trigger (with or without /) or id.") var trigger: String
        @Argument(help: "The text after the trigger (put -- before text that starts with a dash).") var text: [String] = []
        @Option(help: "Channel name in the payload (on a server: a channel of the command's team).") var channel: String = "town-square"
        @Option(help: "User name in the payload (default: $USER; on a server: the token's user).") var user: String?
        @Option(name: .customLong("site-url"), help: "Mattermost's SiteURL, for response_url (default: the server, else http://localhost:8065).")
        var siteURL: String?
        @Flag(name: .customLong("client-secret-stdin"), help: "The linked connection's client secret, from standard input (server mode: the server never returns it; locally: instead of the stored one).")
        var clientSecretStdin = false
        @Flag(name: .customLong("password-stdin"), help: "The password-grant password, from standard input (after the client secret).")
        var passwordStdin = false
        @Flag(help: "JSON of both steps and the response (never a token).") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let store = try await global.openStore()
            let command = try await CommandsCommand.TeamScope.find(trigger, global, in: store)
            let context = try await store.testContext(for: command, channelName: channel, userName: user, siteURL: siteURL)
            // Only the linked connection is read (by index, locally), then only its secrets.
            let (resolved, unavailable) = try await store.resolveAudienceIfAvailable(command.url)
            if let unavailable { Output.note("no OAuth step: \(unavailable); Mattermost then sends the command token") }
            let linkage = resolved ?? AudienceResolution(command.url, among: [])
            if let connection = linkage.connection, HTTPURL.isCleartextToAnotherMachine(connection.oauthTokenURL) {
                Output.warning("\(HTTPURL.maskingCredentials(connection.oauthTokenURL)) is plain http to another machine: the client secret travels unencrypted")
            }
            let credentials = try givenCredentials()
            let result = try await OutboundHTTP.using(try global.httpSettings()) { http in
                try await CommandRunner(tokens: TokenClient(http: http)).run(
                    command, text: text.joined(separator: " "), context: context, linkage: linkage,
                    credentials: { id in try await store.testFireCredentials(connectionId: id, given: credentials) })
            }
            store.activityLog?.testFired(result)
            if json { try Output.json(TestFireJSON(result)) } else { TestFireReport.print(result) }
            if result.oauthFailed {
                throw CLIFailure(message: "the OAuth step failed: the command went out with its command token instead", status: ExitStatus.remoteFailure)
            }
            if !result.commandSucceeded {
                throw CLIFailure(message: "the command failed", status: ExitStatus.commandFailed, alreadyReported: true)
            }
        }

        /// The secrets given on stdin, if any.
        private func givenCredentials() throws -> ConnectionCredentials? {
            guard clientSecretStdin || passwordStdin else { return nil }
            guard clientSecretStdin else { throw CLIFailure(message: "--password-stdin needs --client-secret-stdin (the client secret comes first)", status: 64) }
            var lines = try SecretInput.fromStdin(count: passwordStdin ? 2 : 1)
            let secret = lines.removeFirst()
            return ConnectionCredentials(clientSecret: secret, password: lines.first)
        }
    }
}

enum TestFireReport {
    static func print(_ result: TestFireResult) {
        // The whole reply (up to the 1 MiB Mattermost reads): a terminal scrolls, a pager pages.
        for line in result.reportLines(body: .whole) { Output.line(line.text) }
    }
}

/// `commands run --json`.
struct TestFireJSON: Encodable {
    let result: TestFireResult

    init(_ result: TestFireResult) { self.result = result }

    enum Keys: String, CodingKey {
        case command, url, method, oauth, authorization, fields, response, reply, error
    }

    func encode(to encoder: Encoder) throws {
        var values = encoder.container(keyedBy: Keys.self)
        try values.encode("/" + result.command.trigger, forKey: .command)
        try values.encode(result.url, forKey: .url)
        try values.encode(result.method, forKey: .method)
        try values.encode(result.authorizationScheme, forKey: .authorization)
        try values.encode(Dictionary(result.fields, uniquingKeysWith: { first, _ in first }), forKey: .fields)
        var oauth: [String: JSONValue] = [:]
        switch result.oauth {
        case .notLinked(let misses):
            oauth = ["status": "not_linked", "near_misses": .array(misses.map { .string($0.hint) })]
        case .obtained(let connection, let audience, let tokenType, let expiresIn, let scope, let elapsed):
            oauth = ["status": "obtained", "connection": .string(connection.name), "connection_id": .string(connection.id),
                     "audience": .string(audience), "token_type": .string(tokenType),
                     "expires_in": expiresIn.map { .number($0) } ?? .null, "scope": scope.map { .string($0) } ?? .null,
                     "elapsed_ms": .number(elapsed.wholeMilliseconds)]
        case .skipped(let connection, let audience, let reason):
            oauth = ["status": "skipped", "connection": .string(connection.name), "connection_id": .string(connection.id),
                     "audience": .string(audience), "reason": .string(reason)]
        case .failed(let connection, let audience, let reason):
            oauth = ["status": "failed", "connection": .string(connection.name), "connection_id": .string(connection.id),
                     "audience": .string(audience), "error": .string(reason)]
        }
        try values.encode(oauth, forKey: .oauth)
        switch result.outcome {
        case .answered(let status, _, let elapsed, let contentType, let response):
            var reply: [String: JSONValue] = ["status": .number(status), "elapsed_ms": .number(elapsed.wholeMilliseconds),
                                              "content_type": contentType.map { .string($0) } ?? .null]
            reply["response_type"] = .string(response.responseType.flatMap { $0.isEmpty ? nil : $0 } ?? "ephemeral")
            reply["text"] = response.text.map { .string(TerminalText.sanitizedKeepingLines($0)) } ?? .null
            reply["username"] = response.username.map { .string(TerminalText.sanitized($0)) } ?? .null
            reply["goto_location"] = response.gotoLocation.map { .string(TerminalText.sanitized($0)) } ?? .null
            reply["attachments"] = .array((response.attachments ?? []).map { .string(TerminalText.sanitized($0.text ?? $0.fallback ?? "")) })
            reply["reply_cut"] = .bool(result.replyCut)
            try values.encode(reply, forKey: .response)
            try values.encodeNil(forKey: .error) // only 200 is answered; anything else is .failed
        case .failed(let message, let cause):
            try values.encodeNil(forKey: .response)
            try values.encode("\(message) \(cause)", forKey: .error)
        }
        if let reply = result.reply {
            try values.encode([
                "status": .number(reply.status), "status_text": .string(reply.statusText), "bytes": .number(reply.byteCount),
                "content_type": reply.contentType.map { .string($0) } ?? .null, "location": reply.location.map { .string($0) } ?? .null,
                "body": .string(reply.body), "reply_cut": .bool(result.replyCut),
            ] as [String: JSONValue], forKey: .reply)
        } else {
            try values.encodeNil(forKey: .reply)
        }
    }
}

/// A small JSON value, for outputs with mixed types.
enum JSONValue: Encodable, ExpressibleByStringLiteral {
    case string(String), number(Int), bool(Bool), array([JSONValue]), null

    init(stringLiteral value: String) { self = .string(value) }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }
}
