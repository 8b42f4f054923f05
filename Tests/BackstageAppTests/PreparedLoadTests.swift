import BackstageCore
import Foundation
import Testing
@testable import BackstageApp

/// The console's first load is prepared on the thread that read the file (`FirstLoad.readEarly`):
/// the state it makes is the one the reducer makes from the same lists.
@Suite("Prepared first load")
struct PreparedLoadTests {
    /// Two teams, a CJK name, a name with terminal controls, a validation that failed (a health
    /// error), a near miss and an unused connection.
    static func file() async throws -> (path: String, store: SQLiteStore) {
        let path = try FirstLoadTests.folder() + "/db.sqlite"
        let store = try SQLiteStore(path: path)
        let main = try await store.team(named: "main", createIfMissing: true)
        let ops = try await store.team(named: "ops", createIfMissing: true)
        for (name, audience) in [("給与システム", "https://payroll.example.jp/*"), ("Red\u{1B}[31m IdP", "https://red.example.com/*"), ("Unused", "https://unused.example.com/x")] {
            let saved = try await store.createConnection(OutgoingOAuthConnection(name: name, clientId: "c", clientSecret: Secret("s"),
                                                                                 oauthTokenURL: "https://idp.example.com/token", audiences: [audience]))
            if name == "Unused" { try await store.recordValidation(connectionId: saved.id, ValidationRecord(at: Milliseconds.now(), ok: false, message: "401")) }
        }
        for (team, trigger, url) in [(main, "payslip", "https://payroll.example.jp/api"), (ops, "alert", "https://red.example.com/alert"),
                                     (main, "typo", "https://RED.example.com/x")] {
            _ = try await store.createCommand(SlashCommand(teamId: team.id, trigger: trigger, url: url))
        }
        return (path, store)
    }

    static func reduced(_ message: Msg, team: Team? = nil, tab: Character = "1") -> AppState {
        var state = Fixtures.state(loaded: nil)
        state.team = team
        state.now = Date(timeIntervalSince1970: 1_800_000_000)
        _ = Reducer.reduce(&state, message)
        _ = Fixtures.press(&state, .character(tab))
        return state
    }

    @Test func aLoadPreparedEarlyMakesTheStateTheReducerMakes() async throws {
        let (path, store) = try await Self.file()
        let firstLoad = FirstLoad()
        firstLoad.readEarly(path: path)
        let early = try #require(firstLoad.wait())
        guard case .loadPrepared(let prepared) = early else {
            Issue.record("the early read's load was not prepared: \(early)")
            return
        }
        #expect(prepared.matched?.health != nil, "a small load is matched and checked where it was read")
        let read = Msg.loaded(await EffectRunner.snapshot(store: store).snapshot)
        for tab: Character in ["1", "2"] {
            let fromEarly = Self.reduced(early, tab: tab), fromStore = Self.reduced(read, tab: tab)
            #expect(PartialRender.frame(fromEarly).buffer.text == PartialRender.frame(fromStore).buffer.text)
            #expect(fromEarly.connections == fromStore.connections && fromEarly.commands == fromStore.commands)
            #expect(fromEarly.connectionKeys == fromStore.connectionKeys && fromEarly.commandKeys == fromStore.commandKeys)
            #expect(fromEarly.health == fromStore.health && fromEarly.health?.summary == "1 error · 4 warnings")
            #expect(fromEarly.linkage?.links == fromStore.linkage?.links && fromEarly.matcher.audienceCount == 3)
        }
        let shown = PartialRender.frame(Self.reduced(early)).buffer.text
        #expect(shown.contains("給与システム") && !shown.contains("\u{1B}"), "\(shown)")
    }

    /// Prepared for every team, it goes into a console that shows one team as the reducer would
    /// have made it for that team.
    @Test func aLoadPreparedForOtherListsIsMadeAgain() async throws {
        let (path, store) = try await Self.file()
        let firstLoad = FirstLoad()
        firstLoad.readEarly(path: path)
        let early = try #require(firstLoad.wait())
        let ops = try #require(try await store.listTeams().first { $0.name == "ops" })
        let state = Self.reduced(early, team: ops, tab: "2")
        #expect(state.commands.map(\.trigger) == ["alert"])
        #expect(state.commandKeys == Self.reduced(.loaded(await EffectRunner.snapshot(store: store).snapshot), team: ops, tab: "2").commandKeys)
    }
}
