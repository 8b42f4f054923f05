/// `connections validate NAME` on a local file: the connection and its secrets are read with
/// SQLite's own calls before GRDB opens the file, and the token is requested at once, so that the
/// request and the store's open run at the same time (issue 18: they ran one after the other).
/// The answer counts only if the store, once open, holds the same connection and secrets;
/// otherwise it is dropped and the connection validated as before.
public final class EarlyValidation: Sendable {
    private let found: OutgoingOAuthConnection
    private let credentials: ConnectionCredentials
    private let request: Task<ConnectionValidation.Outcome, Never>

    /// nil when the early read cannot answer (see `SQLiteStore.earlyConnection`): nothing is sent.
    public static func start(path: String, key: String, tokens: TokenClient) -> EarlyValidation? {
        guard let (found, credentials) = SQLiteStore.earlyConnection(path: path, key: key) else { return nil }
        return EarlyValidation(found: found, credentials: credentials, tokens: tokens)
    }

    private init(found: OutgoingOAuthConnection, credentials: ConnectionCredentials, tokens: TokenClient) {
        self.found = found
        self.credentials = credentials
        var draft = found
        draft.clientSecret = credentials.clientSecret
        draft.credentialsPassword = credentials.password
        // As `validateHere` requests it for a saved connection with the store's secrets.
        request = Task { await ConnectionValidation(store: nil, tokens: tokens).validate(draft, storedId: nil) }
    }

    /// The request's outcome if `store` holds `connection` as it was read, secrets and all; nil
    /// (once the request has ended, so that nothing is left in flight) when anything differs.
    public func outcome(for connection: OutgoingOAuthConnection, in store: any Store) async -> ConnectionValidation.Outcome? {
        var same = connection == found && store.mattermostServer == nil
        if same { same = (try? await store.credentials(forConnection: connection.id)) == credentials }
        let outcome = await request.value
        return same ? outcome : nil
    }
}
