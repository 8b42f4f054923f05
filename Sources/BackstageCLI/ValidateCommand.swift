import ArgumentParser
import BackstageCore
import Foundation

extension ConnectionsCommand {
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate", abstract: "Request a token from the Token URL, as Mattermost will: a saved connection, or one not saved yet.",
            discussion: """
                backstage connections validate Payroll
                printf '%s\\n' "$SECRET" | backstage connections validate --token-url URL --client-id ID --client-secret-stdin
                backstage connections validate --all [--json] [--concurrency 4] [--timeout 30]

                Prints "Validated connection" with token_type, expires_in and scope (never the token), or \
                "Connection not validated" and why. Exit 0 only when a token was obtained (6 when it was not). \
                With --all, every saved connection, N at a time (--concurrency, default 4), each within \
                --timeout seconds; one line per connection; exit 0 when all got a token, 6 when any did not.
                """)
        @Argument(help: "A saved connection's name or id; leave out to validate the options given.") var nameOrId: String?
        @Option(name: .customLong("token-url"), help: "OAuth Token URL (without a saved connection).") var tokenURL: String?
        @Option(name: .customLong("client-id"), help: "Client ID (without a saved connection).") var clientId: String?
        @Option(name: .customLong("grant-type"), help: "client_credentials (default) or password.") var grantType: String?
        @Option(help: "Username, for the password grant.") var username: String?
        @Flag(name: .customLong("client-secret-stdin"), help: "Read the client secret from standard input (first line).")
        var clientSecretStdin = false
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (after the client secret).")
        var passwordStdin = false
        @Flag(help: "JSON: {validated, token_type, expires_in, scope, elapsed_ms, error}; with --all, {summary, all_validated, results: [...]}.")
        var json = false
        @Flag(help: "Validate every saved connection.") var all = false
        @Option(help: ArgumentHelp("With --all: how many to validate at once.", valueName: "n")) var concurrency: Int = Self.defaultConcurrency
        @OptionGroup var global: GlobalOptions

        static let defaultConcurrency = 4

        init() {}

        /// `validate NAME` with nothing else, made without the parser (`QuickAnswer`): every property set.
        init(saved nameOrId: String, json: Bool, global: GlobalOptions) {
            self.nameOrId = nameOrId
            tokenURL = nil
            clientId = nil
            grantType = nil
            username = nil
            clientSecretStdin = false
            passwordStdin = false
            self.json = json
            all = false
            concurrency = Self.defaultConcurrency
            self.global = global
        }

        func run() async throws {
            if all {
                guard nameOrId == nil, tokenURL == nil, clientId == nil, grantType == nil, username == nil, !clientSecretStdin, !passwordStdin else {
                    throw CLIFailure(message: "--all validates every saved connection: give no connection, --token-url, --client-id or secrets with it", status: 64)
                }
                guard concurrency >= 1 else { throw CLIFailure(message: "--concurrency must be at least 1", status: 64) }
                return try await OutboundHTTP.using(try global.httpSettings()) { http in
                    try await ValidateAllCommand.run(global: global, http: http, concurrency: concurrency, json: json)
                }
            }
            try await OutboundHTTP.using(try global.httpSettings()) { http in try await validate(http) }
        }

        private func validate(_ http: OutboundHTTP) async throws {
            let tokens = TokenClient(http: http)
            if let nameOrId {
                guard tokenURL == nil, clientId == nil, grantType == nil, username == nil else {
                    throw CLIFailure(message: "give either a saved connection or --token-url/--client-id, not both", status: 64)
                }
                let early = earlyRequest(nameOrId, tokens: tokens)
                let store = try await global.openStore()
                let connection = try await store.findConnection(nameOrId)
                let validation = ConnectionValidation(store: store, tokens: tokens)
                warnIfCleartext(connection.oauthTokenURL)
                var outcome: ConnectionValidation.Outcome
                if let requested = await early?.outcome(for: connection, in: store) {
                    outcome = try await validation.validateSaved(connection, requestedEarly: requested)
                } else {
                    outcome = try await validation.validateSaved(connection, given: try givenSecrets(for: connection))
                }
                if case .needsSecret(let version) = outcome {
                    // A current server (MM-70208) validates only with the secret sent along.
                    guard let typed = SecretInput.prompt("Client Secret of \"\(connection.name)\"") else {
                        throw CLIFailure(message: "this server (\(version)) validates a saved connection only with its client secret sent along (MM-70208): give it with --client-secret-stdin", status: ExitStatus.invalidInput)
                    }
                    let password = connection.grantType == .password ? SecretInput.prompt("Password") : nil
                    outcome = try await validation.validateSaved(connection, given: ConnectionCredentials(clientSecret: typed, password: password))
                }
                return try report(outcome)
            }
            let draft = try draftConnection()
            // Before saving, too: on a server, the server checks the credentials given.
            let store = global.server != nil ? try await global.openStore() : nil
            let validation = ConnectionValidation(store: store, tokens: tokens, log: try store?.activityLog ?? global.activityLog())
            warnIfCleartext(draft.oauthTokenURL)
            try report(await validation.validate(draft, storedId: nil))
        }

        /// A local file's connection, with its stored secrets, has its token requested while the
        /// store opens (issue 18); not with secrets given on stdin, nor a server's.
        private func earlyRequest(_ key: String, tokens: TokenClient) -> EarlyValidation? {
            guard !clientSecretStdin, !passwordStdin, global.server == nil else { return nil }
            return EarlyValidation.start(path: DatabaseFile.location(option: global.db).path, key: key, tokens: tokens)
        }

        private func warnIfCleartext(_ tokenURL: String) {
            if HTTPURL.isCleartextToAnotherMachine(tokenURL) {
                Output.warning("\(HTTPURL.maskingCredentials(tokenURL)) is plain http to another machine: the client secret travels unencrypted")
            }
        }

        /// The secrets given on stdin for a saved connection, if any (they replace the stored ones).
        private func givenSecrets(for connection: OutgoingOAuthConnection) throws -> ConnectionCredentials? {
            guard clientSecretStdin || passwordStdin else { return nil }
            guard clientSecretStdin else { throw CLIFailure(message: "--password-stdin needs --client-secret-stdin (the client secret comes first)", status: 64) }
            var lines = try SecretInput.fromStdin(count: passwordStdin ? 2 : 1)
            return ConnectionCredentials(clientSecret: lines.removeFirst(), password: lines.first)
        }

        /// The connection given by options, checked by the same rules as saving except the
        /// audiences (Mattermost validates without them).
        private func draftConnection() throws -> OutgoingOAuthConnection {
            let grant: OutgoingOAuthConnection.GrantType
            switch grantType?.lowercased() {
            case nil, "client_credentials": grant = .clientCredentials
            case "password": grant = .password
            default: throw CLIFailure.invalid("grant_type", "Invalid grant type. Use client_credentials or password.")
            }
            let wanted = (clientSecretStdin ? 1 : 0) + (passwordStdin ? 1 : 0)
            var lines = wanted > 0 ? try SecretInput.fromStdin(count: wanted) : []
            let secret = clientSecretStdin ? lines.removeFirst() : SecretInput.prompt("Client Secret")
            let password = passwordStdin ? lines.removeFirst() : (grant == .password ? SecretInput.prompt("Password") : nil)
            let draft = OutgoingOAuthConnection(name: "validate", clientId: clientId ?? "", clientSecret: secret,
                                                credentialsUsername: username, credentialsPassword: password,
                                                oauthTokenURL: tokenURL ?? "", grantType: grant, audiences: ["https://unused"])
                .normalizedForSave()
            if let problem = draft.validationErrors().first {
                throw CLIFailure(message: problem.description, status: ExitStatus.invalidInput)
            }
            var withoutAudiences = draft
            withoutAudiences.audiences = []
            return withoutAudiences
        }

        private func report(_ outcome: ConnectionValidation.Outcome) throws {
            switch outcome {
            case .validated(let validated):
                if json {
                    return try Output.json(ValidationJSON(validated: true, tokenType: validated.tokenType, expiresIn: validated.expiresIn,
                                                          scope: validated.scope, elapsedMs: validated.elapsed?.wholeMilliseconds, error: nil))
                }
                if let server = validated.byServer { return Output.line("Validated connection (by the server at \(server))") }
                Output.line("Validated connection")
                Output.line("  token_type: \(validated.tokenType ?? "Bearer")")
                Output.line("  expires_in: \(validated.expiresIn.map { "\($0) s" } ?? "not given")")
                Output.line("  scope: \(validated.scope ?? "not given")")
                Output.line("  time: \(validated.elapsed?.wholeMilliseconds ?? 0) ms")
            case .notValidated(let reason, let failure):
                if let failure { throw failure } // not an answer about the credentials: exit 8, 9 or 75
                if json {
                    try Output.json(ValidationJSON(validated: false, tokenType: nil, expiresIn: nil, scope: nil, elapsedMs: nil, error: reason))
                } else {
                    Output.line("Connection not validated: \(reason)")
                }
                throw CLIFailure(message: "Connection not validated", status: ExitStatus.remoteFailure, alreadyReported: true)
            case .needsSecret(let version):
                throw CLIFailure(message: ConnectionValidation.Outcome.needsSecretReason(version), status: ExitStatus.invalidInput)
            }
        }
    }
}

struct ValidationJSON: Encodable {
    let validated: Bool
    let tokenType: String?
    let expiresIn: Int?
    let scope: String?
    let elapsedMs: Int?
    let error: String?

    enum CodingKeys: String, CodingKey {
        case validated, scope, error
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case elapsedMs = "elapsed_ms"
    }
}
