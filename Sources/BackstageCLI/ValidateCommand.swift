import ArgumentParser
import BackstageCore
import Foundation

extension ConnectionsCommand {
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Request a token from the Token URL, as Mattermost will: a saved connection, or one not saved yet.",
            discussion: """
                backstage connections validate Payroll
                printf '%s\\n' "$SECRET" | backstage connections validate --token-url URL --client-id ID --client-secret-stdin

                Prints "Validated connection" with token_type, expires_in and scope (never the token), or \
                "Connection not validated" and why. Exit 0 only when a token was obtained (6 when it was not).
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A saved connection's name or id; leave out to validate the options given.") var nameOrId: String?
        @Option(name: .customLong("token-url"), help: "OAuth Token URL (without a saved connection).") var tokenURL: String?
        @Option(name: .customLong("client-id"), help: "Client ID (without a saved connection).") var clientId: String?
        @Option(name: .customLong("grant-type"), help: "client_credentials (default) or password.") var grantType: String?
        @Option(help: "Username, for the password grant.") var username: String?
        @Flag(name: .customLong("client-secret-stdin"), help: "Read the client secret from standard input (first line).")
        var clientSecretStdin = false
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (after the client secret).")
        var passwordStdin = false
        @Flag(help: "JSON: {validated, token_type, expires_in, scope, elapsed_ms, error}.") var json = false

        func run() async throws {
            try await OutboundHTTP.using(try global.httpSettings()) { http in try await validate(http) }
        }

        private func validate(_ http: OutboundHTTP) async throws {
            let request: TokenRequest
            var saved: (store: any Store, connection: OutgoingOAuthConnection)?
            if let nameOrId {
                guard tokenURL == nil, clientId == nil, grantType == nil, username == nil else {
                    throw CLIFailure(message: "give either a saved connection or --token-url/--client-id, not both", status: 64)
                }
                let store = try await global.openStore()
                let connection = try StoreLookup.connection(nameOrId, in: try await store.listConnections())
                let given = try givenSecrets(for: connection)
                if let server = store.mattermostServer {
                    var draft = connection
                    draft.clientSecret = given?.clientSecret
                    draft.credentialsPassword = given?.password
                    if given == nil, await server.validationNeedsSecret() {
                        let version = await server.serverVersion().map { "\($0)" } ?? "of unknown version"
                        guard let typed = SecretInput.prompt("Client Secret of \"\(connection.name)\"") else {
                            throw CLIFailure(message: "this server (\(version)) validates a saved connection only with its client secret sent along (MM-70208): give it with --client-secret-stdin", status: ExitStatus.invalidInput)
                        }
                        draft.clientSecret = typed
                        if connection.grantType == .password { draft.credentialsPassword = SecretInput.prompt("Password") }
                    }
                    return try await validateOnServer(server, draft, saved: store)
                }
                let credentials: ConnectionCredentials
                if let given { credentials = given } else { credentials = try await store.credentials(forConnection: connection.id) }
                request = TokenRequest(connection: connection, credentials: credentials)
                saved = (store, connection)
            } else {
                request = try draftRequest()
                if global.server != nil, case let store = try await global.openStore(), let server = store.mattermostServer {
                    let draft = OutgoingOAuthConnection(name: "validate", clientId: request.clientId, clientSecret: request.clientSecret,
                                                        credentialsUsername: request.username, credentialsPassword: request.password,
                                                        oauthTokenURL: request.tokenURL, grantType: request.grantType, audiences: [])
                    return try await validateOnServer(server, draft, saved: nil)
                }
            }
            if request.sendsSecretInClear {
                Output.warning("\(request.tokenURL) is plain http to another machine: the client secret travels unencrypted")
            }
            let outcome: Result<AccessToken, TokenError>
            do { outcome = .success(try await TokenClient(http: http).fetchToken(request)) } catch { outcome = .failure(error) }
            let logged = saved?.connection ?? OutgoingOAuthConnection(name: "validate", clientId: request.clientId, oauthTokenURL: request.tokenURL, audiences: [])
            switch outcome {
            case .success(let token):
                try (saved?.store.activityLog ?? global.activityLog())?.validated(logged, ok: true, detail: "token_type \(token.tokenType)")
            case .failure(let error):
                try (saved?.store.activityLog ?? global.activityLog())?.validated(logged, ok: false, detail: error.description)
            }
            if let saved {
                let record: ValidationRecord
                switch outcome {
                case .success: record = ValidationRecord(at: Milliseconds.now(), ok: true, message: "Validated connection")
                case .failure(let error): record = ValidationRecord(at: Milliseconds.now(), ok: false, message: error.description)
                }
                try await saved.store.recordValidation(connectionId: saved.connection.id, record)
            }
            try report(outcome)
        }

        /// The secrets given on stdin for a saved connection, if any (they replace the stored ones).
        private func givenSecrets(for connection: OutgoingOAuthConnection) throws -> ConnectionCredentials? {
            guard clientSecretStdin || passwordStdin else { return nil }
            guard clientSecretStdin else { throw CLIFailure(message: "--password-stdin needs --client-secret-stdin (the client secret comes first)", status: 64) }
            var lines = try SecretInput.fromStdin(count: passwordStdin ? 2 : 1)
            return ConnectionCredentials(clientSecret: lines.removeFirst(), password: lines.first)
        }

        /// The server fetches the token with what it holds (or what is given), as it will in production.
        /// The outcome of a saved connection is kept locally (the server keeps none).
        private func validateOnServer(_ server: MattermostStore, _ connection: OutgoingOAuthConnection, saved store: (any Store)?) async throws {
            let log = try store?.activityLog ?? global.activityLog()
            do {
                try await server.validateOnServer(connection)
                log?.validated(connection, ok: true, detail: "by the server at \(server.location)")
                try? await store?.recordValidation(connectionId: connection.id, ValidationRecord(at: Milliseconds.now(), ok: true, message: "Validated connection"))
            } catch let error as MattermostError where error.kind == .notAllowed || error.kind == .notAvailable || isUnreachable(error) {
                throw error // not an answer about the credentials: exit 8, 9 or 75
            } catch {
                log?.validated(connection, ok: false, detail: "\(error)")
                try? await store?.recordValidation(connectionId: connection.id, ValidationRecord(at: Milliseconds.now(), ok: false, message: "\(error)"))
                let reason = "\(error); a default server keeps the identity provider's reason in its logs"
                if json { try Output.json(ValidationJSON(validated: false, tokenType: nil, expiresIn: nil, scope: nil, elapsedMs: nil, error: reason)) } else {
                    Output.line("Connection not validated: \(reason)")
                }
                throw CLIFailure(message: "Connection not validated", status: ExitStatus.remoteFailure, alreadyReported: true)
            }
            if json { try Output.json(ValidationJSON(validated: true, tokenType: nil, expiresIn: nil, scope: nil, elapsedMs: nil, error: nil)) } else {
                Output.line("Validated connection (by the server at \(server.location))")
            }
        }

        private func draftRequest() throws -> TokenRequest {
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
            // The same rules as saving, except the audiences (Mattermost validates without them).
            let draft = OutgoingOAuthConnection(name: "validate", clientId: clientId ?? "", clientSecret: secret,
                                                credentialsUsername: username, credentialsPassword: password,
                                                oauthTokenURL: tokenURL ?? "", grantType: grant, audiences: ["https://unused"])
                .normalizedForSave()
            if let problem = draft.validationErrors().first {
                throw CLIFailure(message: problem.description, status: ExitStatus.invalidInput)
            }
            return TokenRequest(connection: draft, credentials: ConnectionCredentials(clientSecret: secret ?? Secret(""), password: password))
        }

        private func report(_ outcome: Result<AccessToken, TokenError>) throws {
            switch outcome {
            case .success(let token):
                if json {
                    try Output.json(ValidationJSON(validated: true, tokenType: token.tokenType, expiresIn: token.expiresIn,
                                                   scope: token.scope, elapsedMs: token.elapsed.wholeMilliseconds, error: nil))
                    return
                }
                Output.line("Validated connection")
                Output.line("  token_type: \(token.tokenType)")
                Output.line("  expires_in: \(token.expiresIn.map { "\($0) s" } ?? "not given")")
                Output.line("  scope: \(token.scope ?? "not given")")
                Output.line("  time: \(token.elapsed.wholeMilliseconds) ms")
            case .failure(let error):
                if json {
                    try Output.json(ValidationJSON(validated: false, tokenType: nil, expiresIn: nil, scope: nil, elapsedMs: nil, error: error.description))
                } else {
                    Output.line("Connection not validated: \(error)")
                }
                throw CLIFailure(message: "Connection not validated", status: ExitStatus.remoteFailure, alreadyReported: true)
            }
        }
    }
}

private func isUnreachable(_ error: MattermostError) -> Bool {
    if case .transport = error { return true }
    return false
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
