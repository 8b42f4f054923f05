import ArgumentParser
import BackstageCore
import Foundation

struct CommandsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commands",
        abstract: "Slash commands: list, show, add, edit, delete, regen-token, run (test-fire), and match a URL to a connection.",
        subcommands: [List.self, Show.self, Add.self, Edit.self, Delete.self, RegenToken.self, Match.self, Run.self]
    )

    /// `--team` (a global option, shared with server mode) as the commands use it.
    enum TeamScope {
        /// The team named, or nil for every team.
        static func resolve(_ global: GlobalOptions, in store: any Store) async throws -> Team? {
            guard let team = global.team else { return nil }
            return try await store.team(named: team, createIfMissing: false)
        }

        static func find(_ key: String, _ global: GlobalOptions, in store: any Store) async throws -> SlashCommand {
            let team = try await resolve(global, in: store)
            return try await store.findCommand(key, teamId: team?.id)
        }
    }

    /// The command `show`, `edit`, `delete` and `regen-token` act on, found in `--team` (or any team).
    struct CommandKey: ParsableArguments {
        @Argument(help: "The trigger (with or without /) or id.") var triggerOrId: String

        func find(_ global: GlobalOptions, in store: any Store) async throws -> SlashCommand {
            try await TeamScope.find(triggerOrId, global, in: store)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List slash commands with the connection each one is linked to.")
        @Flag(help: "Mattermost's JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let store = try await global.openStore()
            let commands = try await store.listCommands(teamId: try await TeamScope.resolve(global, in: store)?.id)
            let context = try await DisplayContext(store)
            context.noteUnknownLinkage()
            if json { return try Output.json(commands.map { LinkedCommandJSON(command: $0, link: context.matcher.match($0.url)) }) }
            Output.blocks(commands, empty: ListWording.noCommands) { command in
                Describe.command(command, teamName: context.teamName(command.teamId), link: context.link(command.url))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one slash command, with its token.")
        @OptionGroup var key: CommandKey
        @Flag(help: "Mattermost's JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        init() {}

        /// Made without the parser (`QuickAnswer`): every property set.
        init(triggerOrId: String, json: Bool, global: GlobalOptions) {
            key = CommandKey()
            key.triggerOrId = triggerOrId
            self.json = json
            self.global = global
        }

        func run() async throws {
            let store = try await global.openStore()
            let command = try await key.find(global, in: store)
            if json { return try Output.json(command.forDisplay) }
            // Its own URL's linkage only: the store's index answers it without loading every connection.
            let (resolution, unavailable) = try await store.resolveAudienceIfAvailable(command.url)
            if let unavailable { DisplayContext.noteUnknownLinkage(unavailable) }
            let link = resolution.flatMap { $0.hasConnections ? $0.result : nil }
            Describe.command(command, teamName: try await DisplayContext.teamNames(store)[command.teamId] ?? command.teamId, link: link, detailed: true)
        }
    }

    /// The fields `add` and `edit` share; on `edit` only those given change.
    struct Fields: ParsableArguments {
        @Option(help: "Command Trigger Word: no spaces, no leading /, 1-128 characters.") var trigger: String?
        @Option(help: "Request URL (http:// or https://).") var url: String?
        @Option(help: "Request Method: post or get.") var method: String?
        @Option(help: "Title, up to 64 characters.") var title: String?
        @Option(help: "Description, up to 128 characters.") var description: String?
        @Option(help: "Response Username.") var username: String?
        @Option(name: .customLong("icon-url"), help: "Response Icon URL.") var iconURL: String?
        @Flag(inversion: .prefixedNo, help: "Show the command in the autocomplete list.") var autocomplete: Bool?
        @Option(help: "Autocomplete Hint (needs autocomplete on).") var hint: String?
        @Option(name: .customLong("autocomplete-description"), help: "Autocomplete Description (needs autocomplete on).")
        var autocompleteDescription: String?
        @Flag(help: "Print the saved command as JSON.") var json = false

        func apply(to command: inout SlashCommand) throws {
            if let trigger { command.trigger = trigger }
            if let url { command.url = url }
            if let method {
                switch method.lowercased() {
                case "post", "p": command.method = .post
                case "get", "g": command.method = .get
                default: throw CLIFailure.invalid("method", "Invalid Method. Use post or get.")
                }
            }
            if let title { command.displayName = title }
            if let description { command.description = description }
            if let username { command.username = username }
            if let iconURL { command.iconURL = iconURL }
            if let autocomplete { command.autoComplete = autocomplete }
            if let hint { command.autoCompleteHint = hint }
            if let autocompleteDescription { command.autoCompleteDesc = autocompleteDescription }
            // Mattermost drops them without autocomplete: silently losing what was typed would mislead.
            let orphans = [("--hint", hint), ("--autocomplete-description", autocompleteDescription)]
                .filter { $0.1.map { !$0.isEmpty } ?? false }.map(\.0)
            if !orphans.isEmpty && !command.autoComplete {
                throw CLIFailure(message: "\(orphans.joined(separator: " and ")) need\(orphans.count == 1 ? "s" : "") autocomplete on: add --autocomplete "
                                 + "(Mattermost keeps the hint and description only for a command shown in the autocomplete list)",
                                 status: ExitStatus.invalidInput)
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a slash command; its token is generated.")
        @OptionGroup var fields: Fields
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            var command = SlashCommand(trigger: "", url: "")
            try fields.apply(to: &command)
            try command.normalizedForSave().validate() // before creating a team for nothing
            let store = try await global.openStore()
            let team = global.team ?? Team.defaultName
            command.teamId = try await store.team(named: team, createIfMissing: true).id
            let saved = try await store.createCommand(command)
            for warning in saved.warnings() { Output.warning(warning.description) }
            if fields.json { return try Output.json(saved.forDisplay) }
            Output.line("Created slash command /\(saved.trigger) in team \(team) (\(saved.id))")
            Output.line("Token: \(saved.token)")
            let context = try await DisplayContext(store)
            context.noteUnknownLinkage()
            if let link = context.link(saved.url) { Describe.linkage(link, indent: "OAuth: ") }
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change a slash command; only the options given change.")
        @OptionGroup var key: CommandKey
        @OptionGroup var fields: Fields
        @Option(name: .customLong("expect-update-at"), help: "Refuse the change unless the stored update_at is still this value (milliseconds).")
        var expectedUpdateAt: Int64?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let store = try await global.openStore()
            var command = try await key.find(global, in: store)
            let basedOn = expectedUpdateAt ?? command.updateAt
            try fields.apply(to: &command)
            let saved = try await store.updateCommand(command, basedOn: basedOn)
            for warning in saved.warnings() { Output.warning(warning.description) }
            if fields.json { return try Output.json(saved.forDisplay) }
            Output.line("Updated slash command /\(saved.trigger) (\(saved.id))")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a slash command.")
        @OptionGroup var key: CommandKey
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let store = try await global.openStore()
            let command = try await key.find(global, in: store)
            try await store.deleteCommand(id: command.id)
            Output.line("Deleted slash command /\(command.trigger) (\(command.id))")
        }
    }

    struct RegenToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "regen-token", abstract: "Give a slash command a new token.")
        @OptionGroup var key: CommandKey
        @Flag(help: "Print the command as JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let store = try await global.openStore()
            let command = try await key.find(global, in: store)
            let saved = try await store.regenerateCommandToken(id: command.id)
            if json { return try Output.json(saved.forDisplay) }
            Output.line("New token for /\(saved.trigger): \(saved.token)")
        }
    }

    struct Match: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "match", abstract: "Which connection's audience a request URL falls under, with near misses.")
        @Argument(help: "A request URL.") var url: String
        @Flag(help: "JSON: url, connection {id, name} or null, audience or null, near_misses.") var json = false
        @OptionGroup var global: GlobalOptions

        init() {}

        /// Made without the parser (`QuickAnswer`): every property set.
        init(url: String, json: Bool, global: GlobalOptions) {
            self.url = url
            self.json = json
            self.global = global
        }

        func run() async throws {
            // "Not linked" would be a wrong answer: a text that is not a URL has no linkage at all.
            if let problem = AudienceMatcher.problem(in: url) {
                throw CLIFailure(message: "\"\(url)\" is not a URL Mattermost accepts: \(problem.sentence)", status: ExitStatus.invalidInput)
            }
            let store = try await global.openStore()
            // Which connection applies is the whole question: without connections there is no answer.
            let result = try await store.resolveAudience(url).result
            if json { return try Output.json(MatchJSON(result)) }
            Output.line(result.url)
            Describe.linkage(result, indent: "")
        }
    }
}

/// Team names and the audience matcher, loaded once for a listing. On a server without the
/// Outgoing OAuth feature (or without the right to read connections) commands still list; their
/// linkage is unknown and said so once.
struct DisplayContext {
    let teams: [String: String]
    let matcher: AudienceMatcher
    /// Why the connections could not be read, if they could not.
    let linkageUnknown: MattermostError?

    init(_ store: any Store) async throws {
        teams = try await Self.teamNames(store)
        let (connections, unavailable) = try await store.connectionsIfAvailable()
        matcher = AudienceMatcher(connections: connections)
        linkageUnknown = unavailable
    }

    func teamName(_ id: String) -> String { teams[id] ?? id }

    /// Team names by id: a server's one team (the commands listed are this team's), or every local team.
    static func teamNames(_ store: any Store) async throws -> [String: String] {
        if let team = store.currentTeam { return [team.id: team.name] }
        return Dictionary(try await store.listTeams().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// As in Mattermost, linkage is shown only when at least one connection exists.
    func link(_ url: String) -> MatchResult? { matcher.isEmpty ? nil : matcher.resolve(url) }

    /// One line on stderr, so stdout stays the listing.
    func noteUnknownLinkage() {
        if let linkageUnknown { Self.noteUnknownLinkage(linkageUnknown) }
    }

    static func noteUnknownLinkage(_ reason: MattermostError) {
        Output.note("which OAuth connection each command uses is unknown: \(reason)")
    }
}

/// `commands match --json`.
struct MatchJSON: Encodable {
    let result: MatchResult

    init(_ result: MatchResult) { self.result = result }

    struct Ref: Encodable {
        let id: String
        let name: String
    }

    struct Miss: Encodable {
        let connection: Ref
        let audience: String
        let reasons: [NearMiss.Reason]
        let hint: String
    }

    enum Keys: String, CodingKey { case url, connection, audience, nearMisses = "near_misses" }

    func encode(to encoder: Encoder) throws {
        var values = encoder.container(keyedBy: Keys.self)
        try values.encode(result.url, forKey: .url)
        if let match = result.match {
            try values.encode(Ref(id: match.connection.id, name: match.connection.name), forKey: .connection)
            try values.encode(match.audience, forKey: .audience)
        } else {
            try values.encodeNil(forKey: .connection)
            try values.encodeNil(forKey: .audience)
        }
        try values.encode(result.nearMisses.map {
            Miss(connection: Ref(id: $0.connection.id, name: $0.connection.name), audience: $0.audience, reasons: $0.reasons, hint: $0.hint)
        }, forKey: .nearMisses)
    }
}
