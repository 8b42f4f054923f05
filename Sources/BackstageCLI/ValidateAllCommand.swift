import BackstageCore
import Foundation

/// `connections validate --all`, and the validation `doctor --validate` runs first.
enum ValidateAllCommand {
    static func run(global: GlobalOptions, http: OutboundHTTP, concurrency: Int, json: Bool) async throws {
        let store = try await global.openStore()
        let connections = try await store.listConnections()
        let results = try await validateAll(connections, store: store, http: http, concurrency: concurrency, timeout: global.timeout)
        let progress = summary(results)
        if json {
            try Output.json(AllJSON(summary: progress.summary, allValidated: results.allSatisfy(\.gotToken), results: results.map(ResultJSON.init)))
        } else if connections.isEmpty {
            Output.line("No Outgoing OAuth Connections found")
        } else {
            for result in results { Output.line(result.line) }
            Output.info(progress.summary)
        }
        if !results.allSatisfy(\.gotToken) {
            throw CLIFailure(message: progress.summary, status: ExitStatus.remoteFailure, alreadyReported: true)
        }
    }

    /// Validates and records every connection, with a progress line on stderr when it is a
    /// terminal. On a server that needs each secret sent along, asks for them once, up front, when
    /// it can prompt; otherwise those connections are skipped, with the reason.
    static func validateAll(_ connections: [OutgoingOAuthConnection], store: any Store, http: OutboundHTTP,
                            concurrency: Int, timeout: Double) async throws -> [ValidateAll.Result] {
        let validation = ConnectionValidation(store: store, tokens: TokenClient(http: http))
        var given: [String: ConnectionCredentials] = [:]
        if let server = store.mattermostServer, SecretInput.stdinIsTerminal, !connections.isEmpty, await server.validationNeedsSecret() {
            Output.info("This server validates a saved connection only with its client secret sent along (MM-70208); an empty answer skips the connection.")
            for connection in connections {
                guard let secret = SecretInput.prompt("Client Secret of \"\(TerminalText.sanitized(connection.name))\""), !secret.isEmpty else { continue }
                let password = connection.grantType == .password ? SecretInput.prompt("Password of \"\(TerminalText.sanitized(connection.name))\"") : nil
                given[connection.id] = ConnectionCredentials(clientSecret: secret, password: password)
            }
        }
        let runner = ValidateAll(validation: validation, concurrency: concurrency, timeout: .milliseconds(Int64(timeout * 1000)))
        let showProgress = isatty(STDERR_FILENO) == 1
        let results = await runner.run(connections, given: given) { event in
            guard showProgress, case .finished(_, let progress) = event else { return }
            FileHandle.standardError.write(Data("\r\u{1B}[K\(progress.line)".utf8))
        }
        if showProgress && !connections.isEmpty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        return results
    }

    static func summary(_ results: [ValidateAll.Result]) -> ValidateAll.Progress { ValidateAll.Progress(results: results) }

    struct AllJSON: Encodable {
        let summary: String
        let allValidated: Bool
        let results: [ResultJSON]

        enum CodingKeys: String, CodingKey { case summary, results, allValidated = "all_validated" }
    }

    /// One connection: `validate --json`'s fields (ValidationJSON) with its `id`, `name`, `status` and `by_server`.
    struct ResultJSON: Encodable {
        let id: String
        let name: String
        /// validated, failed, timed_out, skipped, cancelled.
        let status: String
        let byServer: String?
        let validation: ValidationJSON

        init(_ result: ValidateAll.Result) {
            id = result.connection.id
            name = result.connection.name
            let error: String?
            var details: ConnectionValidation.Validated?
            switch result.status {
            case .validated(let validatedDetails): (status, error, details) = ("validated", nil, validatedDetails)
            case .failed(let reason, _): (status, error) = ("failed", reason)
            case .timedOut(let limit): (status, error) = ("timed_out", ValidateAll.noAnswer(limit))
            case .skipped(let reason): (status, error) = ("skipped", reason)
            case .cancelled: (status, error) = ("cancelled", "cancelled before it started")
            }
            byServer = details?.byServer
            validation = ValidationJSON(validated: result.gotToken,
                                        tokenType: details == nil || details?.byServer != nil ? nil : details?.tokenType ?? "Bearer",
                                        expiresIn: details?.expiresIn, scope: details?.scope,
                                        elapsedMs: details?.elapsed?.wholeMilliseconds, error: error)
        }

        enum CodingKeys: String, CodingKey { case id, name, status, byServer = "by_server" }

        func encode(to encoder: Encoder) throws {
            try validation.encode(to: encoder)
            var values = encoder.container(keyedBy: CodingKeys.self)
            try values.encode(id, forKey: .id)
            try values.encode(name, forKey: .name)
            try values.encode(status, forKey: .status)
            try values.encodeIfPresent(byServer, forKey: .byServer)
        }
    }
}
