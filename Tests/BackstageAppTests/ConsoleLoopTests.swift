import BackstageCore
import Foundation
import Synchronization
import Testing
import TestSupport
@testable import BackstageApp
@testable import TerminalKit

/// The real console loop (`Console.run`), in-process, against a terminal in memory and a real
/// store: keys in, wait until the loop is idle (no effect running, nothing queued), read the screen.
/// No sleeps and no polling of the screen's text; tmux stays the outer ring.
@Suite("Console loop in memory")
struct ConsoleLoopTests {
    /// Runs the console on its own thread until the test is done with it.
    final class Running: @unchecked Sendable {
        let screen: MemoryScreen
        let finished = DispatchSemaphore(value: 0)

        /// - Parameter openedStore: how the console gets its store once its first frame is drawn
        ///   (the launcher's way); nil: `store` at once.
        init(store: any Store, state: AppState, live: LiveRefresh = .standard, width: Int = 100, height: Int = 30, timing: ConsoleTiming = ConsoleTiming(),
             firstLoad: FirstLoad? = nil, openedStore: (@Sendable () -> (any Store)?)? = nil, screen given: MemoryScreen? = nil) {
            screen = given ?? MemoryScreen(width: width, height: height)
            let screen = self.screen
            let finished = self.finished
            let thread = Thread {
                Console.run(screen: screen, openedStore: openedStore ?? { store }, state: state, live: live, timing: timing, firstLoad: firstLoad,
                            willWait: screen.loopWillWait)
                finished.signal()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }

        /// Waits for idle on a thread of its own: a blocking wait on the test's task would hold a
        /// thread of the small cooperative pool the console's effects need to finish.
        func settled(sourceLocation: SourceLocation = #_sourceLocation) async -> String {
            let screen = self.screen
            let idle = await ConsoleLoopTests.blockingOffThePools { screen.waitUntilIdle() }
            #expect(idle, "the console did not settle: \(screen.debugState)", sourceLocation: sourceLocation)
            return screen.text
        }

        /// The screen once it shows `texts`, brought by a timer rather than a key (no key is sent).
        /// As long a deadline as `settled`: a full suite on 2 cores has stalled the loop ~15 s.
        func frame(showing texts: String..., timeout: TimeInterval = 60, sourceLocation: SourceLocation = #_sourceLocation) async -> String {
            let screen = self.screen
            let shown = await ConsoleLoopTests.blockingOffThePools { screen.waitForFrame(timeout: timeout) { frame in texts.allSatisfy(frame.contains) } }
            #expect(shown, "never showed \(texts):\n\(screen.text)", sourceLocation: sourceLocation)
            return screen.text
        }

        /// Keys, then the screen once everything they started has finished.
        @discardableResult
        func press(_ keys: Key..., sourceLocation: SourceLocation = #_sourceLocation) async -> String {
            screen.send(keys.map { .key($0) })
            return await settled(sourceLocation: sourceLocation)
        }

        @discardableResult
        func type(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) async -> String {
            screen.send(text.map { .key(.character($0)) })
            return await settled(sourceLocation: sourceLocation)
        }

        /// Ends the loop and waits for it, off the cooperative pool (its shutdown needs that pool).
        func stop() async {
            screen.hangUp()
            let finished = self.finished
            await ConsoleLoopTests.blockingOffThePools { finished.wait() }
        }
    }

    /// Runs a blocking wait on a thread of its own: not on the cooperative pool (the console's
    /// effects need it), nor on Dispatch's global pool, which on 2 cores runs only a few threads
    /// at once; GRDB's queues run there, so waits parked on it held up the stores they waited for
    /// until their timeouts (a full suite stalled for a minute).
    static func blockingOffThePools<T: Sendable>(_ wait: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: wait()) }
            thread.start()
        }
    }

    static func store() throws -> SQLiteStore {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try SQLiteStore(path: directory.appendingPathComponent("x.sqlite").path)
    }

    @Test func addAConnectionThroughTheRealLoop() async throws {
        let store = try Self.store()
        let console = Running(store: store, state: AppState(width: 100, height: 30, storeLabel: store.location))
        #expect(await console.settled().contains("No Outgoing OAuth Connections found"))
        await console.press(.character("a"))
        await console.type("Payroll")
        await console.press(.tab)
        await console.type("payroll-client")
        await console.press(.tab)
        await console.type("s3cret")
        await console.press(.tab)
        await console.type("https://idp.example.com/token")
        await console.press(.tab, .tab)
        let form = await console.type("https://pay.example.com/*")
        #expect(form.contains("https://pay.example.com/*") && !form.contains("s3cret"))
        #expect(await console.press(.control("s")).contains("This connection has not been validated, Do you want to save anyway?"))
        let confirm = await console.press(.character("y"))
        #expect(confirm.contains("Setup Successful") && confirm.contains("Client Secret: ********"))
        let list = await console.press(.enter)
        #expect(list.contains("Payroll") && list.contains("Outgoing OAuth Connections  (1)"))
        #expect(try await store.listConnections().map(\.name) == ["Payroll"])
        await console.stop()
    }

    /// Lists read while the terminal started (a local store) are the first frame, linkage and all:
    /// no "loading" frame, and the console does not read them again (this first load is not what
    /// the file holds, and the screen keeps it until something asks for a reload).
    @Test func aFirstLoadGivenIsTheFirstFrame() async throws {
        let store = try Self.store()
        let team = try await store.team(named: Team.defaultName, createIfMissing: true)
        _ = try await store.createConnection(OutgoingOAuthConnection(name: "Stored", clientId: "c", clientSecret: Secret("s"),
                                                                     oauthTokenURL: "https://idp.example.com/token", audiences: ["https://stored.example.com/*"]))
        let given = OutgoingOAuthConnection(id: MattermostID.make(), name: "Given first", clientId: "c", oauthTokenURL: "https://idp.example.com/token",
                                            audiences: ["https://ci.example.com/*"])
        let command = SlashCommand(id: MattermostID.make(), teamId: team.id, trigger: "deploy", url: "https://ci.example.com/deploy")
        let console = Running(store: store, state: AppState(width: 100, height: 30, storeLabel: store.location),
                              live: LiveRefresh(checkEvery: .seconds(3600), reloadEvery: nil),
                              firstLoad: FirstLoad(StoreSnapshot(connections: [given], commands: [command], teams: [team])))
        let settled = await console.settled()
        let first = console.screen.firstText
        #expect(first.contains("Given first") && first.contains("Outgoing OAuth Connections  (1)"), "\(first)")
        #expect(!first.lowercased().contains("loading"))
        #expect(settled.contains("Given first") && !settled.contains("Stored"), "\(settled)")
        #expect(settled.contains("deploy"), "the command linked by the first load's matcher: \(settled)")
        // Returning to a list reads the file again, as ever.
        await console.press(.character("2"))
        #expect(await console.press(.character("1")).contains("Stored"))
        await console.stop()
    }

    /// A first load that takes longer than the console waits for (a large store): the "loading"
    /// frame first, then the lists it read, without a second read of the file.
    @Test func aSlowFirstLoadShowsLoadingFirst() async throws {
        let store = try Self.store()
        _ = try await store.createConnection(OutgoingOAuthConnection(name: "Stored", clientId: "c", clientSecret: Secret("s"),
                                                                     oauthTokenURL: "https://idp.example.com/token", audiences: ["https://stored.example.com/*"]))
        let given = OutgoingOAuthConnection(id: MattermostID.make(), name: "Read late", clientId: "c", oauthTokenURL: "https://idp.example.com/token",
                                            audiences: ["https://ci.example.com/*"])
        let firstLoad = FirstLoad()
        let console = Running(store: store, state: AppState(width: 100, height: 30, storeLabel: store.location),
                              live: LiveRefresh(checkEvery: .seconds(3600), reloadEvery: nil), firstLoad: firstLoad)
        let loading = await console.frame(showing: "loading")
        #expect(!loading.contains("Read late") && !loading.contains("Stored"))
        firstLoad.deliver(StoreSnapshot(connections: [given], commands: [], teams: []))
        let lists = await console.frame(showing: "Read late", "Outgoing OAuth Connections  (1)")
        #expect(!lists.contains("Stored") && console.screen.firstText.contains("loading"))
        await console.stop()
    }

    /// A local file's first frame is drawn from the lists read beside the terminal's start, before
    /// the store is asked for (the launcher opens it only then); its work starts once it is there.
    @Test func theFirstFrameIsDrawnBeforeTheStoreIsAskedFor() async throws {
        let store = try Self.store()
        let team = try await store.team(named: Team.defaultName, createIfMissing: true)
        let connection = try await store.createConnection(OutgoingOAuthConnection(name: "Early", clientId: "c", clientSecret: Secret("s"),
                                                                                  oauthTokenURL: "https://idp.example.com/token",
                                                                                  audiences: ["https://ci.example.com/*"]))
        let firstLoad = FirstLoad()
        firstLoad.readEarly(path: store.location) // read and prepared here, as on the launcher's main thread
        #expect(firstLoad.earlyReadBrings())
        let seenWhenAsked = Mutex<String?>(nil)
        let screen = MemoryScreen(width: 100, height: 30)
        let console = Running(store: store, state: AppState(width: 100, height: 30, storeLabel: store.location),
                              live: LiveRefresh(checkEvery: .seconds(3600), reloadEvery: nil), firstLoad: firstLoad, openedStore: {
            seenWhenAsked.withLock { $0 = screen.text }
            return store
        }, screen: screen)
        _ = await console.settled()
        let first = console.screen.firstText
        #expect(first.contains("Early") && !first.lowercased().contains("loading"), "\(first)")
        #expect(seenWhenAsked.withLock { $0 } == first, "the store was asked for before the first frame was drawn")
        // The store is used from then on: a command added through it shows, linked.
        _ = try await store.createCommand(SlashCommand(teamId: team.id, trigger: "deploy", url: "https://ci.example.com/deploy"))
        await console.press(.character("2"))
        #expect(await console.press(.function(5)).contains("Connected to \"\(connection.name)\""))
        await console.stop()
    }

    /// The store could not open after the first frame was drawn: the console ends, and the
    /// launcher gives the terminal back and says why.
    @Test func aStoreThatCannotOpenAfterTheFirstFrameEndsTheConsole() async throws {
        let store = try Self.store()
        let console = Running(store: store, state: AppState(width: 100, height: 30, storeLabel: store.location),
                              firstLoad: FirstLoad(StoreSnapshot(connections: [], commands: [], teams: [])), openedStore: { nil })
        await ConsoleLoopTests.blockingOffThePools { console.finished.wait() }
        #expect(console.screen.firstText.contains("No Outgoing OAuth Connections found"))
    }

    /// The loop gives the reducer the injected clock: the message log shows its time.
    @Test func theClockIsInjected() async throws {
        let store = try Self.store()
        let fixed = Date(timeIntervalSince1970: 1_700_000_000)
        let console = Running(store: store, state: AppState(width: 100, height: 30, storeLabel: store.location),
                              timing: ConsoleTiming(now: { fixed }, bannerPause: .zero))
        await console.settled()
        await console.press(.character("t"))
        let log = await console.press(.character("L"))
        #expect(log.contains(MessageLogLayer.clockTime(fixed) + "  Theme: "), "\(log)")
        await console.stop()
    }

    /// Server mode on a server without the OAuth feature, through the real loop and real HTTP.
    @Test func aServerWithoutTheOAuthFeature() async throws {
        let fake = try await FakeMattermost()
        fake.update { $0.featureOn = false }
        fake.seedCommand(trigger: "deploy", url: "https://ci.example.com/deploy")
        let http = OutboundHTTP()
        let store = try await MattermostStore.connect(server: fake.url, token: Secret(fake.pat), teamName: fake.teamName, http: http)
        var state = AppState(width: 100, height: 30, storeLabel: store.location, teamLabel: store.team.name)
        state.serverMode = true
        state.team = store.team
        let console = Running(store: store, state: state)
        #expect(await console.settled().contains("the feature is off"))
        #expect(await console.press(.character("a")).contains("Cannot add here: Outgoing OAuth connections are not available"))
        let commands = await console.press(.character("2"))
        #expect(commands.contains("/deploy"))
        #expect(await console.press(.character("v")).contains("v validates connections; on Slash Commands, r test-fires"))
        await console.stop()
        await http.shutdown()
        await fake.shutdown()
    }
}
