/// Validate Connection, said once for the console and the CLI: a token requested here with the
/// token client (the embedded store), or by the server itself (a Mattermost store, which validates
/// as it will in production). Logged, and for a saved connection recorded, in one place.
public struct ConnectionValidation: Sendable {
    /// Where saved connections and their secrets are; nil validates a draft with no store open.
    public let store: (any Store)?
    public let tokens: TokenClient
    let log: ActivityLog?

    public init(store: (any Store)?, tokens: TokenClient, log: ActivityLog? = nil) {
        self.store = store
        self.tokens = tokens
        self.log = log ?? store?.activityLog
    }

    public enum Outcome: Sendable, Equatable {
        /// A token was obtained. `details`: "token_type Bearer, expires_in 3600 s", or who validated.
        case validated(Validated)
        /// `failure`: what the server said, when it was not an answer about the credentials (a
        /// refused token, a missing permission, the feature off, the server unreachable).
        case notValidated(reason: String, failure: MattermostError? = nil)
        /// Server mode: this server validates a saved connection only with its secret sent along.
        case needsSecret(serverVersion: String)
    }

    public struct Validated: Sendable, Equatable {
        public let tokenType: String?
        public let expiresIn: Int?
        public let scope: String?
        public let elapsed: Duration?
        /// The server that fetched the token, when it was not backstage.
        public let byServer: String?
        public let cleartextWarning: Bool

        /// One line: "token_type Bearer, expires_in 3600 s, scope x" or "validated by the server at …".
        public var details: String {
            if let byServer { return "validated by the server at \(byServer)" }
            var details = "token_type \(tokenType ?? "Bearer")"
            if let expiresIn { details += ", expires_in \(expiresIn) s" }
            if let scope { details += ", scope \(TerminalText.sanitized(scope))" }
            if cleartextWarning { details += " (warning: plain http, the secret travelled unencrypted)" }
            return details
        }
    }

    /// A connection as a form or the CLI has it. For a saved one (`storedId`), secrets not typed
    /// come from `given` (typed earlier this session), else from the store; a server uses its own
    /// unless it needs them sent along (MM-70208).
    public func validate(_ draft: OutgoingOAuthConnection, storedId: String?, given: ConnectionCredentials? = nil) async -> Outcome {
        var draft = draft
        if draft.clientSecret == nil, let given {
            draft.clientSecret = given.clientSecret
            draft.credentialsPassword = draft.credentialsPassword ?? given.password
        }
        let outcome: Outcome
        if let server = store?.mattermostServer {
            outcome = await validateOnServer(server, draft, saved: storedId != nil)
        } else {
            outcome = await validateHere(draft, storedId: storedId)
        }
        logged(outcome, draft)
        return outcome
    }

    private func logged(_ outcome: Outcome, _ draft: OutgoingOAuthConnection) {
        switch outcome {
        case .validated(let validated): log?.validated(draft, ok: true, detail: validated.details)
        case .notValidated(let reason, _): log?.validated(draft, ok: false, detail: reason)
        case .needsSecret: break
        }
    }

    /// A saved connection, with what the store holds (or `given`), the outcome recorded.
    public func validateSaved(id: String, given: ConnectionCredentials? = nil) async throws -> (OutgoingOAuthConnection, Outcome) {
        guard let store else { throw StoreError.notFound(kind: "outgoing OAuth connection", key: id) }
        let connection = try await store.connection(id: id)
        return (connection, try await validateSaved(connection, given: given))
    }

    /// The same for a saved connection the caller has just read from the store (the CLI's lookup
    /// by name): one read fewer.
    public func validateSaved(_ connection: OutgoingOAuthConnection, given: ConnectionCredentials? = nil) async throws -> Outcome {
        let outcome = await validate(connection, storedId: connection.id, given: given)
        try await record(outcome, connectionId: connection.id)
        return outcome
    }

    /// A saved connection whose token was requested before the store was open, with what the
    /// store holds now (`EarlyValidation`): logged and recorded as `validateSaved` does.
    public func validateSaved(_ connection: OutgoingOAuthConnection, requestedEarly outcome: Outcome) async throws -> Outcome {
        logged(outcome, connection)
        try await record(outcome, connectionId: connection.id)
        return outcome
    }

    /// Keeps the outcome of a saved connection's Validate in the store (nothing when nothing was
    /// tried); returns what was recorded, for a row to show without reloading.
    @discardableResult
    public func record(_ outcome: Outcome, connectionId: String) async throws -> ValidationRecord? {
        guard let store, let record = ValidationRecord(outcome) else { return nil }
        try await store.recordValidation(connectionId: connectionId, record)
        return record
    }

    private func validateHere(_ draft: OutgoingOAuthConnection, storedId: String?) async -> Outcome {
        do {
            var secret = draft.clientSecret
            var password = draft.credentialsPassword
            if let id = storedId, let store, secret == nil || (draft.grantType == .password && password == nil) {
                let stored = try await store.credentials(forConnection: id)
                secret = secret ?? stored.clientSecret
                password = password ?? stored.password
            }
            let request = TokenRequest(connection: draft, credentials: ConnectionCredentials(clientSecret: secret ?? Secret(""), password: password))
            let token = try await tokens.fetchToken(request)
            return .validated(Validated(tokenType: token.tokenType, expiresIn: token.expiresIn, scope: token.scope, elapsed: token.elapsed,
                                        byServer: nil, cleartextWarning: request.sendsSecretInClear))
        } catch {
            return .notValidated(reason: TerminalText.sanitized("\(error)"))
        }
    }

    private func validateOnServer(_ server: MattermostStore, _ draft: OutgoingOAuthConnection, saved: Bool) async -> Outcome {
        if draft.clientSecret == nil, saved, await server.validationNeedsSecret() {
            return .needsSecret(serverVersion: await server.serverVersion().map { "\($0)" } ?? "of unknown version")
        }
        do {
            try await server.validateOnServer(draft)
            return .validated(Validated(tokenType: nil, expiresIn: nil, scope: nil, elapsed: nil, byServer: server.location, cleartextWarning: false))
        } catch let error as MattermostError {
            // A default server keeps the identity provider's reason in its logs.
            let credentialsRefused = error.kind == .other || (error.kind == .temporary && !(error.isTransport))
            let reason = TerminalText.sanitized("\(error)") + (credentialsRefused ? "; a default server keeps the identity provider's reason in its logs" : "")
            return .notValidated(reason: reason, failure: credentialsRefused ? nil : error)
        } catch {
            return .notValidated(reason: TerminalText.sanitized("\(error)"))
        }
    }
}

extension ValidationRecord {
    /// What is recorded of an outcome: now, and whether a token came; nil when nothing was tried.
    public init?(_ outcome: ConnectionValidation.Outcome) {
        switch outcome {
        case .validated: self = .validatedNow()
        case .notValidated(let reason, _): self = .notValidatedNow(reason)
        case .needsSecret: return nil
        }
    }

    public static func validatedNow() -> ValidationRecord { ValidationRecord(at: Milliseconds.now(), ok: true, message: "Validated connection") }
    public static func notValidatedNow(_ reason: String) -> ValidationRecord { ValidationRecord(at: Milliseconds.now(), ok: false, message: reason) }
}

extension ConnectionValidation.Outcome {
    /// The form's and the list's line for a server that needs the secret sent along.
    public static func needsSecretReason(_ version: String) -> String {
        "type the Client Secret first: this server (\(version)) validates only with the secret sent along (MM-70208)"
    }
}
