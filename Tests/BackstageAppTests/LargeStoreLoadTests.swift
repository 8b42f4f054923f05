import BackstageCore
import Testing
@testable import BackstageApp

/// A large store's lists show before its matcher exists; the matcher follows from the
/// background, and only the one for the latest load is taken.
@Suite("Loading a large store")
struct LargeStoreLoadTests {
    /// 600 connections with 10 audiences each: beyond what is matched inline.
    static let large = StoreSnapshot(
        connections: (0..<600).map { index in
            Fixtures.connection("Service \(index)", id: "conn\(index)".padding(toLength: 26, withPad: "0", startingAt: 0),
                                audiences: (0..<10).map { "https://svc\(index).example.com/v\($0)/*" })
        },
        commands: [Fixtures.command("svc", url: "https://svc42.example.com/v3/run")],
        teams: [Fixtures.team])

    @Test func theListsComeFirstAndTheMatcherAfter() throws {
        var state = Fixtures.state(loaded: nil)
        let effects = Reducer.reduce(&state, .loaded(Self.large))
        #expect(state.lists[Tab.connections.rawValue].visible.count == 600)
        guard case .buildMatcher(let connections, _, _, let generation)? = effects.first, effects.count == 1 else {
            Issue.record("expected one buildMatcher effect, got \(effects)")
            return
        }
        #expect(connections.count == 600 && generation == state.loadGeneration)
        #expect(state.matcher.isEmpty, "not built on the key loop")

        // A command form open meanwhile gets its banner when the matcher arrives.
        _ = Fixtures.press(&state, .character("2"), .character("e"))
        #expect(FormTests.commandEditor(state) != nil)
        _ = Reducer.reduce(&state, .matcherBuilt(AudienceMatcher(connections: connections), generation: generation))
        #expect(state.matcher.audienceCount == 6_000)
        #expect(FormTests.commandEditor(state)?.form.notes["url"]?.first?.text == "Connected to \"Service 42\" (audience https://svc42.example.com/v3/*)")
    }

    /// In server mode the banner's local answer is a preview: the arriving matcher also asks the
    /// server, so the form never says "asking the server" with no question sent.
    @Test func inServerModeTheArrivingMatcherAsksTheServer() throws {
        var state = Fixtures.state(loaded: nil)
        state.serverMode = true
        let effects = Reducer.reduce(&state, .loaded(Self.large))
        guard case .buildMatcher(let connections, _, _, let generation)? = effects.first else {
            Issue.record("expected buildMatcher, got \(effects)")
            return
        }
        _ = Fixtures.press(&state, .character("2"), .character("e"))
        let asked = Reducer.reduce(&state, .matcherBuilt(AudienceMatcher(connections: connections), generation: generation))
        guard case .askBanner(let url, _)? = asked.first(where: { if case .askBanner = $0 { return true } else { return false } }) else {
            Issue.record("expected the server to be asked, got \(asked)")
            return
        }
        #expect(url == "https://svc42.example.com/v3/run")
        #expect(FormTests.commandEditor(state)?.form.notes["url"]?.contains { $0.text == "Asking the server..." } == true)
    }

    @Test func aMatcherFromAnOlderLoadIsIgnored() throws {
        var state = Fixtures.state(loaded: nil)
        let first = Reducer.reduce(&state, .loaded(Self.large))
        _ = Reducer.reduce(&state, .loaded(Self.large))
        guard case .buildMatcher(let connections, _, _, let generation)? = first.first else {
            Issue.record("expected buildMatcher, got \(first)")
            return
        }
        _ = Reducer.reduce(&state, .matcherBuilt(AudienceMatcher(connections: Array(connections.prefix(1))), generation: generation))
        #expect(state.matcher.isEmpty, "the first load's matcher came too late")
        #expect(state.matcherGeneration < state.loadGeneration)
    }

    /// Few audiences but many commands: resolving each command's URL is the cost, so the linkage
    /// is built off the key loop too, and the one built there is the one the details show.
    @Test func manyCommandsAreLinkedOffTheKeyLoop() throws {
        let snapshot = StoreSnapshot(
            connections: [Fixtures.connection("Weather", id: "conn-weather".padding(toLength: 26, withPad: "0", startingAt: 0),
                                              audiences: ["https://weather.example.com/*"])],
            commands: (0..<6_000).map { Fixtures.command("w\($0)x", url: "https://weather.example.com/\($0)") },
            teams: [Fixtures.team])
        var state = Fixtures.state(loaded: nil)
        let effects = Reducer.reduce(&state, .loaded(snapshot))
        guard case .buildMatcher(let connections, let users, let webhooks, let generation)? = effects.first else {
            Issue.record("expected buildMatcher, got \(effects)")
            return
        }
        #expect(users.count == 6_000 && state.linkage == nil, "not linked on the key loop")
        let matcher = AudienceMatcher(connections: connections)
        let linkage = Linkage(connections: connections, users: users, webhooks: webhooks, matcher: matcher)
        _ = Reducer.reduce(&state, .matcherBuilt(matcher, linkage: linkage, generation: generation))
        #expect(state.linkage?.usedBy(connections[0].id).count == 6_000)
        #expect(Render.screen(state).text.contains("Used by 6000 slash commands"))
    }

    /// Matched and checked at once: the frame that shows the lists has the header's summary.
    @Test func aSmallStoreIsMatchedAndCheckedAtOnce() {
        var state = Fixtures.state(loaded: nil)
        let effects = Reducer.reduce(&state, .loaded(Fixtures.snapshot))
        #expect(effects.isEmpty, "\(effects)")
        #expect(state.matcher.audienceCount == 4 && state.matcherGeneration == state.loadGeneration)
        let summary = state.health?.summary
        #expect(summary == "2 errors · 4 warnings", "the fixture's findings, as `doctor` gives them")
        #expect(Render.screen(state).text.contains("backstage · Integrations · 2 errors · 4 warnings (h)"))
    }

    /// Past `inlineHealthItems` the check runs off the key loop, with the load's linkage.
    @Test func aLargerStoreIsCheckedOffTheKeyLoop() {
        var state = Fixtures.state(loaded: nil)
        let commands = (0...Reducer.inlineHealthItems).map { Fixtures.command("cmd\($0)", url: "https://ci.example.com/\($0)") }
        let effects = Reducer.reduce(&state, .loaded(StoreSnapshot(connections: Fixtures.snapshot.connections, commands: commands,
                                                                   teams: Fixtures.snapshot.teams)))
        guard case .checkHealth(let input, let generation)? = effects.first, effects.count == 1 else { Issue.record("no health check: \(effects)"); return }
        #expect(state.health == nil && generation == state.loadGeneration)
        #expect(input.connections.count == 3 && input.users.count == commands.count)
        _ = Reducer.reduce(&state, .healthChecked(input.report(), generation: generation))
        #expect(state.health != nil)
    }
}
