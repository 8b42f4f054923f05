import ArgumentParser
import BackstageCore
import Foundation

struct ConnectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connections",
        abstract: "Outgoing OAuth connections: list, show, add, edit, delete, validate.",
        subcommands: [List.self, Show.self, Add.self, Edit.self, Delete.self, Validate.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List connections, sorted by name.")
        @Flag(help: "Mattermost's JSON (never with secrets).") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let store = try await global.openStore()
            let connections = try await store.listConnections()
            if json { return try Output.json(connections.map(\.forDisplay)) }
            let overlaps = AudienceMatcher(connections: connections).allOverlaps()
            Output.blocks(connections, empty: ListWording.noConnections) { connection in
                Describe.connection(connection, overlaps: overlaps.filter { $0.wildcardOwner.id == connection.id || $0.coveredOwner.id == connection.id })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one connection (never its secret).")
        @Argument(help: "The connection's name or id.") var nameOrId: String
        @Flag(help: "Mattermost's JSON (never with secrets).") var json = false
        @OptionGroup var global: GlobalOptions

        init() {}

        /// Made without the parser (`QuickAnswer`): every property set.
        init(nameOrId: String, json: Bool, global: GlobalOptions) {
            self.nameOrId = nameOrId
            self.json = json
            self.global = global
        }

        func run() async throws {
            let store = try await global.openStore()
            let connection = try await store.findConnection(nameOrId)
            // What uses it: computed from what each URL resolves to; a server confirms its part.
            // The local store reads only the commands its audiences cover.
            let inventory = try await LinkageOutput.loadInventory(store, usageOf: connection)
            let usedBy = (try? inventory.get())?.linkage.usedBy(connection.id) ?? []
            let confirmations = await store.confirmLinks(usedBy)
            if json {
                let loaded = try? inventory.get()
                let entries = usedBy.enumerated().map { index, user in
                    UsedByJSON(user: user, serverConfirms: confirmations.map { $0[index].confirms(connection.id) })
                }
                var unknown: String?
                if case .failure(let error) = inventory { unknown = "\(error)" }
                return try Output.json(ConnectionUsageJSON(
                    connection: connection, usedBy: loaded == nil ? nil : entries, webhooksChecked: loaded?.webhooks.isChecked ?? false,
                    webhooksNote: loaded?.webhooks.notCheckedNote, linkage: store.isServer ? "prediction" : "local", linkageUnknown: unknown))
            }
            let peers = try await store.overlapPeers(of: connection)
            Describe.connection(connection, overlaps: AudienceMatcher(connections: peers).overlaps(for: connection), detailed: true)
            LinkageOutput.printUsage(of: connection, inventory, confirmations: confirmations)
        }
    }

    /// The fields `add` and `edit` share; on `edit` only those given change.
    struct Fields: ParsableArguments {
        @Option(help: "Name, 1-64 characters.") var name: String?
        @Option(name: .customLong("client-id"), help: "Client ID, 1-255 characters.") var clientId: String?
        @Option(name: .customLong("token-url"), help: "OAuth Token URL (http:// or https://).") var tokenURL: String?
        @Option(name: .customLong("audience"), help: "An audience URL; repeat for several. A trailing * matches any URL with that prefix. On edit, replaces the list.")
        var audiences: [String] = []
        @Option(name: .customLong("grant-type"), help: "client_credentials (default) or password.") var grantType: String?
        @Option(help: "Username, for the password grant.") var username: String?
        @Flag(name: .customLong("client-secret-stdin"), help: "Read the client secret from standard input (first line).")
        var clientSecretStdin = false
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (the line after the client secret, if both are read).")
        var passwordStdin = false
        @Flag(help: "Print the saved connection as JSON.") var json = false

        func parsedGrantType() throws -> OutgoingOAuthConnection.GrantType? {
            guard let grantType else { return nil }
            guard let parsed = OutgoingOAuthConnection.GrantType(rawValue: grantType.lowercased()) else {
                throw CLIFailure.invalid("grant_type", "Invalid grant type. Use client_credentials or password.")
            }
            return parsed
        }

        /// Secrets from stdin or, when asked for and stdin is a terminal, from a prompt.
        func secrets(promptForSecret: Bool, promptForPassword: Bool) throws -> (secret: Secret?, password: Secret?) {
            let wanted = (clientSecretStdin ? 1 : 0) + (passwordStdin ? 1 : 0)
            var fromStdin = wanted > 0 ? try SecretInput.fromStdin(count: wanted) : []
            var secret = clientSecretStdin ? fromStdin.removeFirst() : nil
            var password = passwordStdin ? fromStdin.removeFirst() : nil
            if secret == nil && promptForSecret && !passwordStdin { secret = SecretInput.prompt("Client Secret") }
            if password == nil && promptForPassword && !clientSecretStdin { password = SecretInput.prompt("Password") }
            if clientSecretStdin && secret?.isEmpty == true {
                throw CLIFailure.invalid("client_secret", "Client Secret for the OAuth connection is required; standard input held an empty line.")
            }
            return (secret, password)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a connection.",
            discussion: "The client secret is read from standard input with --client-secret-stdin, or prompted for with echo off; never give it as an argument.")
        @OptionGroup var fields: Fields
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let grantType = try fields.parsedGrantType() ?? .clientCredentials
            let secrets = try fields.secrets(promptForSecret: true, promptForPassword: grantType == .password)
            let draft = OutgoingOAuthConnection(
                name: fields.name ?? "", clientId: fields.clientId ?? "", clientSecret: secrets.secret,
                credentialsUsername: fields.username, credentialsPassword: secrets.password,
                oauthTokenURL: fields.tokenURL ?? "", grantType: grantType, audiences: fields.audiences)
            let problems = draft.normalizedForSave().validationErrors()
            if secrets.secret == nil && !SecretInput.stdinIsTerminal && problems.first?.field == "client_secret" {
                throw CLIFailure.invalid("client_secret", "Client Secret for the OAuth connection is required. Pipe it in with --client-secret-stdin (never as an argument).")
            }
            if !problems.isEmpty { throw ValidationFailure(problems) } // before a database file is created for nothing
            let store = try await global.openStore()
            let saved = try await store.createConnection(draft)
            try await ConnectionsCommand.report(saved, verb: "Created", store: store, json: fields.json)
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit", abstract: "Change a connection; only the options given change. The stored secret is kept unless --client-secret-stdin is given.")
        @Argument(help: "The connection's name or id.") var nameOrId: String
        @OptionGroup var fields: Fields
        @Option(name: .customLong("expect-update-at"), help: "Refuse the change unless the stored update_at is still this value (milliseconds).")
        var expectedUpdateAt: Int64?
        @Flag(name: .customLong("dry-run"), help: "Check the change and print which commands' connection it changes, without saving.")
        var dryRun = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let store = try await global.openStore()
            let connections = try await store.listConnections()
            var connection = try StoreLookup.connection(nameOrId, in: connections)
            let basedOn = expectedUpdateAt ?? connection.updateAt
            let secrets = try fields.secrets(promptForSecret: false, promptForPassword: false)
            if let name = fields.name { connection.name = name }
            if let clientId = fields.clientId { connection.clientId = clientId }
            if let tokenURL = fields.tokenURL { connection.oauthTokenURL = tokenURL }
            if !fields.audiences.isEmpty { connection.audiences = fields.audiences }
            if let grantType = try fields.parsedGrantType() { connection.grantType = grantType }
            if let username = fields.username { connection.credentialsUsername = username }
            connection.clientSecret = secrets.secret
            connection.credentialsPassword = secrets.password
            if dryRun {
                // What the save would refuse, then what it would change; nothing is written.
                let draft = connection.normalizedForSave()
                var problems = draft.validationErrors(hasStoredSecret: true, hasStoredPassword: true)
                problems += AudienceMatcher(connections: connections).duplicateAudienceErrors(for: draft)
                if !problems.isEmpty { throw ValidationFailure(problems) }
                if basedOn != connection.updateAt {
                    throw StoreError.conflict(kind: "outgoing OAuth connection", name: connection.name, expected: basedOn, actual: connection.updateAt)
                }
                for warning in draft.warnings() { Output.warning(warning.description) }
            }
            // Only the audiences decide linkage: other edits change no command's connection.
            let impact = dryRun || !fields.audiences.isEmpty ? try await ConnectionsCommand.impact(of: .save(connection.normalizedForSave()), store: store) : nil
            if dryRun, let impact { return try ConnectionsCommand.reportDryRun(impact, json: fields.json) }
            let saved = try await store.updateConnection(connection, basedOn: basedOn)
            if let impact { ConnectionsCommand.printImpact(impact) }
            try await ConnectionsCommand.report(saved, verb: "Updated", store: store, json: fields.json)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a connection. Integrations using it then go out without its token.")
        @Argument(help: "The connection's name or id.") var nameOrId: String
        @Flag(name: .customLong("dry-run"), help: "Print which commands would lose or change their connection, without deleting.")
        var dryRun = false
        @Flag(help: "With --dry-run: the changes as JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let store = try await global.openStore()
            let connection = try StoreLookup.connection(nameOrId, in: try await store.listConnections())
            let impact = try await ConnectionsCommand.impact(of: .delete(id: connection.id), store: store)
            if dryRun { return try ConnectionsCommand.reportDryRun(impact, json: json) }
            try await store.deleteConnection(id: connection.id)
            ConnectionsCommand.printImpact(impact)
            Output.line("Deleted outgoing OAuth connection \"\(connection.name)\" (\(connection.id))")
        }
    }

    /// Every command (and, on a server, webhook) whose connection `change` would change, worked out
    /// before the change; the lists failing to load is said, and does not stop the change.
    static func impact(of change: ConnectionSetChange, store: any Store) async throws -> Result<(Impact, Inventory), MattermostError> {
        try await LinkageOutput.loadInventory(store).map { ($0.linkage.impact(of: change), $0) }
    }

    /// The impact on stderr, so stdout stays the result. Printed once the change is made (or for
    /// --dry-run at once), so a refused change prints only its refusal.
    static func printImpact(_ impact: Result<(Impact, Inventory), MattermostError>) {
        let heading = "Commands whose connection changes"
        switch impact {
        case .failure(let error):
            Output.info("\(heading): unknown (\(error))")
        case .success(let (impact, inventory)):
            LinkageOutput.printImpact(impact, heading: heading, isPrediction: inventory.isServer)
            if let note = inventory.webhooks.notCheckedNote { Output.info("  Note: \(note)") }
        }
    }

    /// `--dry-run`: the impact, and that nothing was saved (with --json, the changes on stdout).
    static func reportDryRun(_ impact: Result<(Impact, Inventory), MattermostError>, json: Bool) throws {
        printImpact(impact)
        if json { try Output.json((try? impact.get())?.0.changes.map(LinkageChangeJSON.init)) }
        Output.info("Dry run: nothing was saved")
    }

    /// After a save: the result, and a warning for every wildcard overlap with other connections.
    static func report(_ saved: OutgoingOAuthConnection, verb: String, store: any Store, json: Bool) async throws {
        for warning in saved.warnings() { Output.warning(warning.description) } // accepted, as Mattermost accepts it
        for overlap in AudienceMatcher(connections: try await store.overlapPeers(of: saved)).overlaps(for: saved) {
            Output.warning(overlap.description)
        }
        if json { return try Output.json(saved.forDisplay) }
        Output.line("\(verb) outgoing OAuth connection \"\(saved.name)\" (\(saved.id))")
    }
}
