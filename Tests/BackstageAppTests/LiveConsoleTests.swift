import BackstageCore
import Foundation
import Synchronization
import Testing
import TestSupport
@testable import BackstageApp
@testable import TerminalKit

/// The real loop notices changes made elsewhere, with no key pressed: a second connection to the
/// SQLite file, a server read again. Timed refreshes run one at a time and back off.
@Suite("Live console")
struct LiveConsoleTests {
    typealias Running = ConsoleLoopTests.Running

    /// Polls `condition` until it holds or the deadline passes (for counters with nothing to wait on).
    static func eventually(timeout: TimeInterval = 60, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() > deadline { return false }
            try? await Task.sleep(for: .milliseconds(10)) // a poll with a deadline, not a fixed wait
        }
        return true
    }

    @Test func aConnectionAddedThroughAnotherConnectionAppearsWithoutAKey() async throws {
        let store = try ConsoleLoopTests.store()
        let console = Running(store: store, state: AppState(width: 100, height: 30, storeLabel: store.location),
                              live: LiveRefresh(checkEvery: .milliseconds(100)))
        #expect(await console.settled().contains("No Outgoing OAuth Connections found"))
        let cli = try SQLiteStore(path: store.location)
        _ = try await cli.createConnection(OutgoingOAuthConnection(name: "From the CLI", clientId: "cid", clientSecret: Secret("s"),
                                                                   oauthTokenURL: "https://idp.example.com/t", audiences: ["https://cli.example.com/"]))
        let screen = await console.frame(showing: "From the CLI", "Outgoing OAuth Connections  (1)")
        #expect(!screen.contains("No Outgoing OAuth Connections found"))
        await console.stop()
    }

    @Test func aServerIsReadAgainAndShowsASeededConnection() async throws {
        let fake = try await FakeMattermost()
        let http = OutboundHTTP()
        let store = try await MattermostStore.connect(server: fake.url, token: Secret(fake.pat), teamName: fake.teamName, http: http)
        var state = AppState(width: 100, height: 30, storeLabel: store.location, teamLabel: store.team.name)
        state.serverMode = true
        state.team = store.team
        let console = Running(store: store, state: state, live: LiveRefresh(reloadEvery: .milliseconds(200)))
        #expect(await console.settled().contains("No Outgoing OAuth Connections found"))
        fake.seedConnection(["name": "Seeded on the server", "client_id": "c", "oauth_token_url": "https://idp.example.com/t",
                             "audiences": ["https://seeded.example.com/"]])
        await console.frame(showing: "Seeded on the server", "Outgoing OAuth Connections  (1)")
        await console.stop()
        await http.shutdown()
        await fake.shutdown()
    }

    static func listRequests(_ fake: FakeMattermost) -> Int {
        fake.requests.filter { $0.method == "GET" && $0.path == "/api/v4/oauth/outgoing_connections" && !$0.query.contains("audience=") }.count
    }

    @Test func aStuckServerGetsOneRefreshAtATime() async throws {
        let fake = try await FakeMattermost()
        let http = OutboundHTTP()
        let store = try await MattermostStore.connect(server: fake.url, token: Secret(fake.pat), teamName: fake.teamName, http: http)
        fake.update { $0.holdConnectionLists = true }
        let delivered = Mutex(0)
        let watcher = StoreWatcher(store: store, refresh: LiveRefresh(reloadEvery: .milliseconds(20))) { _ in delivered.withLock { $0 += 1 } }
        watcher.start()
        // Ticks keep coming while the first refresh hangs: each is skipped, none asks again.
        #expect(await Self.eventually { watcher.progress.skipped >= 5 }, "\(watcher.progress)")
        #expect(Self.listRequests(fake) == 1)
        #expect(watcher.progress.refreshes == 0 && delivered.withLock { $0 } == 0)
        watcher.stop()
        await http.shutdown()
        await fake.shutdown()
    }

    @Test func aBusyServerIsAskedLessOftenUntilItAnswers() async throws {
        let fake = try await FakeMattermost()
        let http = OutboundHTTP()
        let store = try await MattermostStore.connect(server: fake.url, token: Secret(fake.pat), teamName: fake.teamName, http: http)
        fake.update { $0.connectionListStatus = 503 }
        let every = Duration.milliseconds(10)
        let watcher = StoreWatcher(store: store, refresh: LiveRefresh(reloadEvery: every, longestPause: .milliseconds(80))) { _ in }
        watcher.start()
        #expect(await Self.eventually { watcher.progress.failures >= 4 }, "\(watcher.progress)")
        #expect(watcher.progress.pause == .milliseconds(80)) // 20, 40, 80, then the ceiling
        let asked = Self.listRequests(fake)
        #expect(asked >= 4 && asked <= watcher.progress.refreshes + 1) // one may be on its way
        fake.update { $0.connectionListStatus = nil }
        #expect(await Self.eventually { watcher.progress.failures == 0 }, "\(watcher.progress)")
        #expect(watcher.progress.pause == every)
        // A refusal that waiting does not cure (403) is no reason to slow down.
        fake.update { $0.canManageConnections = false; $0.canManageCommands = false }
        let before = watcher.progress.refreshes
        #expect(await Self.eventually { watcher.progress.refreshes >= before + 3 })
        #expect(watcher.progress.failures == 0)
        watcher.stop()
        await http.shutdown()
        await fake.shutdown()
    }
}
