/// What a store can do beyond keeping items, asked by the front ends instead of finding out
/// whether it is a server: the answer to "server or local?" lives here, once.
extension Store {
    /// A Mattermost server: Validate runs there, the banner asks it, it never returns secrets.
    public var isServer: Bool { mattermostServer != nil }

    /// Most stores cannot say cheaply whether anything changed: a front end reloads them instead.
    public func changeStamp() async throws -> Int64? { nil }

    /// The team whose commands the store serves: a server's is always one; the local store has
    /// every team (nil).
    public var currentTeam: Team? { mattermostServer?.team }

    /// Serves this team's commands from now on (a server; the local store filters in the front end).
    public func select(team: Team?) {
        if let team { mattermostServer?.select(team: team) }
    }

    /// The server's own answer for the banner; nil when the store has no server to ask (the local
    /// answer is then the answer).
    public func askAudience(_ url: String) async -> Banner.ServerAnswer? {
        guard let server = mattermostServer else { return nil }
        do {
            return .answered(try await server.connectionForAudience(url)?.name)
        } catch {
            return .unreachable("\(error)")
        }
    }

    /// The outgoing webhooks, which Mattermost also sends through a matching connection (spec A3):
    /// a server's, read only; the local store has none, and says that they were not checked. A
    /// server that has them off (501) or does not let the token read them (403) is not an error
    /// here, only a reason; a bad token or an unreachable server is.
    public func outgoingWebhooks() async throws -> WebhookListing {
        guard let server = mattermostServer else { return .notChecked(reason: WebhookListing.localReason) }
        do {
            return .listed(try await server.listOutgoingWebhooks())
        } catch let error as MattermostError where error.kind == .notAvailable || (error.kind == .notAllowed && !error.isUnauthorized) {
            return .notChecked(reason: "\(error)")
        }
    }

    /// The test-fire payload's team, channel and user: made up for the local store; on a server the
    /// real ones, as Mattermost sends them (the token's user, the channel's id, the server as SiteURL).
    public func testContext(for command: SlashCommand, channelName: String = "town-square", userName: String? = nil,
                            siteURL: String? = nil) async throws -> TestContext {
        if let server = mattermostServer {
            let team = server.team
            var context = TestContext(team: team, channelName: channelName, userName: userName, siteURL: siteURL ?? server.location)
            let me = try await server.currentUser()
            context.userId = me.id
            context.userName = userName ?? me.username
            context.channelId = try await server.channelId(named: channelName, teamId: command.teamId.isEmpty ? team.id : command.teamId)
            return context
        }
        let team = try await listTeams().first { $0.id == command.teamId } ?? Team(id: command.teamId, name: command.teamId)
        return TestContext(team: team, channelName: channelName, userName: userName, siteURL: siteURL ?? "http://localhost:8065")
    }

    /// The secrets a test-fire's token step uses: those given, else the stored ones; a server never
    /// returns its own, so without given ones the step is skipped (`SecretNotGiven`).
    public func testFireCredentials(connectionId: String, given: ConnectionCredentials?) async throws -> ConnectionCredentials {
        if let given { return given }
        if isServer {
            throw SecretNotGiven("a Mattermost server never returns a connection's secret; give it (--client-secret-stdin, or typed once in the console) to fetch a token as Mattermost would")
        }
        return try await credentials(forConnection: connectionId)
    }
}
