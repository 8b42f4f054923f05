import Foundation
import Testing
import TestSupport
@testable import BackstageCore

/// Route by route, what backstage asks a Mattermost server and how it reads the answer. Each test
/// names the upstream handler it follows (mattermost/mattermost, server/channels/...), so the next
/// reader can check it again. The fake behaves as a *default* server: no `detailed_error`.
@Suite("Mattermost REST contract")
struct MattermostContractTests {
    static func connect(_ fake: FakeMattermost, _ http: OutboundHTTP, cache: ServerValidationCache? = nil) async throws -> MattermostStore {
        try await MattermostStore.connect(server: fake.url, token: Secret(fake.pat), teamName: fake.teamName, http: http, validations: cache)
    }

    static func caught(_ body: () async throws -> Void) async -> MattermostError? {
        do { try await body() } catch let error as MattermostError { return error } catch { Issue.record("not a MattermostError: \(error)") }
        return nil
    }

    /// api4/outgoing_oauth_connection.go ensureOutgoingOAuthConnectionInterface: the setting is
    /// checked before the licence, each a 501 with its own error id; the permission check comes first.
    @Test func aMissingOAuthFeatureIsNamedByItsErrorIdNeverByMessage() async throws {
        let fake = try await FakeMattermost()
        let http = OutboundHTTP()
        let store = try await Self.connect(fake, http)
        fake.update { $0.featureOn = false }
        let off = await Self.caught { _ = try await store.listConnections() }
        #expect(off == .unavailable(.oauthConnectionsOff))
        #expect(off?.kind == .notAvailable)
        #expect(off?.description == "Outgoing OAuth connections are not available on this server: the feature is off (ServiceSettings.EnableOutgoingOAuthConnections)")
        fake.update { $0.featureOn = true; $0.licensed = false }
        let unlicensed = await Self.caught { _ = try await store.listConnections() }
        #expect(unlicensed == .unavailable(.oauthConnectionsUnlicensed))
        // It must not advise turning on a setting that needs the licence the server lacks.
        #expect(unlicensed?.description == "Outgoing OAuth connections are not available on this server: needs an Enterprise licence")
        // Permission before the gate: 403 even with the feature missing.
        fake.update { $0.canManageConnections = false; $0.canManageCommands = false }
        let denied = await Self.caught { _ = try await store.listConnections() }
        #expect(denied?.kind == .notAllowed)
        #expect(denied?.description.contains("manage_outgoing_oauth_connections") == true)
        await http.shutdown()
        await fake.shutdown()
    }

    /// app/command.go: slash commands do not depend on the OAuth gate; EnableCommands off is 501
    /// `api.command.disabled.app_error`. api4/command.go: listing without the right is 403 naming
    /// manage_own_slash_commands; the id routes answer 404.
    @Test func slashCommandsWorkWithoutTheOAuthFeature() async throws {
        let fake = try await FakeMattermost()
        let http = OutboundHTTP()
        let store = try await Self.connect(fake, http)
        fake.update { $0.featureOn = false; $0.licensed = false }
        let created = try await store.createCommand(SlashCommand(trigger: "deploy", url: "https://ci.example.com/deploy"))
        #expect(try await store.listCommands(teamId: nil).map(\.trigger) == ["deploy"])
        #expect(try await store.regenerateCommandToken(id: created.id).token != created.token)
        fake.update { $0.commandsEnabled = false }
        let disabled = await Self.caught { _ = try await store.listCommands(teamId: nil) }
        #expect(disabled == .unavailable(.slashCommandsDisabled))
        fake.update { $0.commandsEnabled = true; $0.canManageCommands = false }
        let denied = await Self.caught { _ = try await store.listCommands(teamId: nil) }
        #expect(denied?.kind == .notAllowed)
        #expect(denied?.description.contains("manage_own_slash_commands on team \(fake.teamName)") == true)
        #expect(await Self.caught { _ = try await store.command(id: created.id) }?.kind == .notFound)
        await http.shutdown()
        await fake.shutdown()
    }

    /// Spec E6 (api4/command.go createCommand, app/command.go): a new command carries no
    /// creator_id, plugin_id, delete_at or autocomplete data.
    @Test func aNewCommandSendsOnlyWhatANewCommandShouldHave() async throws {
        let fake = try await FakeMattermost()
        let http = OutboundHTTP()
        let store = try await Self.connect(fake, http)
        var command = SlashCommand(id: "", token: "", deleteAt: 1_700_000_000_000, creatorId: "someone0000000000000000000", trigger: "pay",
                                   url: "https://pay.example.com/slash", pluginId: "com.example.plugin")
        command.autoCompleteHint = "[month]"
        let saved = try await store.createCommand(command)
        #expect(saved.deleteAt == 0 && saved.creatorId == fake.userID)
        let post = try #require(fake.requests.last { $0.method == "POST" && $0.path == "/api/v4/commands" })
        let body = try #require(JSONSerialization.jsonObject(with: Data(post.body)) as? [String: Any])
        #expect(Set(body.keys) == ["team_id", "trigger", "method", "url", "display_name", "description", "username", "icon_url", "auto_complete"])
        #expect(body["team_id"] as? String == fake.teamID)
        await http.shutdown()
        await fake.shutdown()
    }

    /// web/handlers.go: 401 `api.context.session_expired.app_error` for a bad or revoked token;
    /// an unknown route is 404 before the session is checked, so a 404 is never "bad token".
    @Test func aRevokedTokenIsNotAllowedAndA404IsNotFound() async throws {
        let fake = try await FakeMattermost()
        let http = OutboundHTTP()
        let store = try await Self.connect(fake, http)
        fake.revokeToken()
        let revoked = await Self.caught { _ = try await store.listCommands(teamId: nil) }
        #expect(revoked == .unauthorized(server: fake.url))
        #expect(revoked?.kind == .notAllowed)
        let unknown = await Self.caught {
            try await store.request("GET", "/api/v4/not-a-route", .init(what: "the route", feature: .teams, permission: .manageConnections))
        }
        #expect(unknown == .notFound(what: "the route"))
        await http.shutdown()
        await fake.shutdown()
    }

    /// Failures worth retrying: 5xx, 429, refused, time-outs (EX_TEMPFAIL in the CLI). A default
    /// server's `detailed_error` is empty, so messages never lean on it; developer mode fills it.
    @Test func temporaryFailuresAndDetails() async throws {
        let fake = try await FakeMattermost()
        let http = OutboundHTTP()
        let store = try await Self.connect(fake, http)
        let missing = await Self.caught { _ = try await store.connection(id: "missing00000000000000000aa") }
        #expect(missing?.kind == .temporary)
        #expect(missing?.description == "the server answered 500: There was an error while retrieving the outgoing OAuth connection.")
        fake.update { $0.developerMode = true }
        let detailed = await Self.caught { _ = try await store.connection(id: "missing00000000000000000aa") }
        #expect(detailed?.description.hasSuffix("(not found)") == true)
        #expect(MattermostError.server(status: 429, message: nil, detail: nil).kind == .temporary)
        #expect(MattermostError.server(status: 400, message: nil, detail: nil).kind == .other)
        await fake.shutdown()
        let gone = await Self.caught { _ = try await store.listCommands(teamId: nil) }
        #expect(gone?.kind == .temporary, "\(String(describing: gone))")
        await http.shutdown()
    }

    /// api4/team.go getTeamByName lower-cases the name; getTeamsForUser lists the token's teams;
    /// api4/user.go getUser("me"); api4/channel.go getChannelByNameForTeamName.
    @Test func teamsUsersAndChannels() async throws {
        let fake = try await FakeMattermost()
        let http = OutboundHTTP()
        let store = try await MattermostStore.connect(server: fake.url, token: Secret(fake.pat), teamName: fake.teamName.uppercased(), http: http)
        #expect(store.team == Team(id: fake.teamID, name: fake.teamName))
        #expect(try await store.listTeams().map(\.name) == [fake.teamName, fake.otherTeamName].sorted())
        let me = try await store.currentUser()
        #expect(me.id == fake.userID && me.username == fake.userName)
        #expect(try await store.channelId(named: "town-square", teamId: fake.teamID) == fake.channelID)
        #expect(await Self.caught { _ = try await store.channelId(named: "nope", teamId: fake.teamID) }?.kind == .notFound)
        // Switching the team: its commands, and new ones go there.
        store.select(team: Team(id: fake.otherTeamID, name: fake.otherTeamName))
        _ = try await store.createCommand(SlashCommand(trigger: "quota", url: "https://crm.example.com/quota"))
        #expect(try await store.listCommands(teamId: nil).map(\.teamId) == [fake.otherTeamID])
        #expect(await Self.caught { _ = try await MattermostStore.connect(server: fake.url, token: Secret(fake.pat), teamName: "nope", http: http) }
                == .notFound(what: "team \"nope\""))
        await http.shutdown()
        await fake.shutdown()
    }

    /// MM-70208 (mattermost/mattermost#38168): from 11.11 (estimated) Validate uses only the secret
    /// sent. The version comes from the unauthenticated ping's `X-Version-ID` (web/handlers.go).
    @Test func theVersionDecidesWhetherValidateNeedsTheSecret() async throws {
        #expect(ServerVersion(header: "11.11.0.4242.abcdef.true") == ServerVersion(11, 11, 0))
        #expect(ServerVersion(header: "garbage") == nil)
        let fake = try await FakeMattermost()
        let http = OutboundHTTP()
        let store = try await Self.connect(fake, http)
        #expect(await store.validationNeedsSecret())
        let older = try await FakeMattermost()
        older.update { $0.version = "10.11.3" }
        let olderStore = try await Self.connect(older, http)
        #expect(await olderStore.serverVersion() == ServerVersion(10, 11, 3))
        #expect(await !olderStore.validationNeedsSecret())
        let saved = try await olderStore.createConnection(MattermostStoreTests.draft("Pay", audience: "https://pay.example.com/"))
        try await olderStore.validateOnServer(saved) // the older server uses its stored secret
        await http.shutdown()
        await fake.shutdown()
        await older.shutdown()
    }

    /// The server keeps no Validate outcome: backstage keeps it locally, 0600, keyed by server and
    /// connection, forgotten once the credentials change on the server.
    @Test func validationOutcomesAreKeptLocally() async throws {
        let fake = try await FakeMattermost()
        let http = OutboundHTTP()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString)").path
        let cache = ServerValidationCache(path: directory + "/server-validations.json")
        let store = try await Self.connect(fake, http, cache: cache)
        let saved = try await store.createConnection(MattermostStoreTests.draft("Pay", audience: "https://pay.example.com/"))
        #expect(try await store.listConnections().first?.lastValidation == nil)
        try await store.recordValidation(connectionId: saved.id, ValidationRecord(at: 1, ok: true, message: "Validated connection"))
        #expect(try await store.listConnections().first?.lastValidation?.ok == true)
        let mode = try FileManager.default.attributesOfItem(atPath: cache.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        var renamed = try await store.connection(id: saved.id)
        renamed.name = "Payroll"
        _ = try await store.updateConnection(renamed, basedOn: renamed.updateAt)
        #expect(try await store.listConnections().first?.lastValidation?.ok == true) // a name is not a credential
        var moved = try await store.connection(id: saved.id)
        moved.clientId = "another"
        _ = try await store.updateConnection(moved, basedOn: moved.updateAt)
        #expect(try await store.listConnections().first?.lastValidation == nil)
        try? FileManager.default.removeItem(atPath: directory)
        await http.shutdown()
        await fake.shutdown()
    }
}
