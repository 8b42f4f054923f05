import Foundation
import Synchronization
import Testing
import TestSupport
@testable import BackstageCore

/// Validate all against real token endpoints on 127.0.0.1, recorded in a real SQLite store.
@Suite("validate all")
struct ValidateAllTests {
    /// One token server: /good answers a token, /bad refuses the client, /hang never answers.
    static func idp(onArrival: @escaping @Sendable (String) -> Void = { _ in }) async throws -> ScriptedHTTPServer {
        try await ScriptedHTTPServer { request in
            onArrival(request.path)
            switch request.path {
            case "/good": return .json(200, #"{"access_token":"t","token_type":"bearer","expires_in":60}"#)
            case "/bad": return .json(401, #"{"error":"invalid_client"}"#)
            default: return .hang
            }
        }
    }

    static func store(_ folder: TemporaryFolder, _ connections: [(String, String)]) async throws -> SQLiteStore {
        let store = try SQLiteStore(path: folder.file("db.sqlite"))
        for (index, (name, tokenURL)) in connections.enumerated() {
            _ = try await store.createConnection(OutgoingOAuthConnection(name: name, clientId: "c", clientSecret: Secret("s"), oauthTokenURL: tokenURL,
                                                                         audiences: ["https://a\(index).example.com/"]))
        }
        return store
    }

    @Test func validatesNAtATimeAndRecordsEachOutcome() async throws {
        let finished = Mutex(0)
        let arrivals = Mutex<[Int]>([])
        let idp = try await Self.idp { _ in arrivals.withLock { $0.append(finished.withLock { $0 }) } }
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let store = try await Self.store(folder, [("a good", idp.url("/good")), ("b bad", idp.url("/bad")),
                                                  ("c bad", idp.url("/bad")), ("d good", idp.url("/good"))])
        let http = OutboundHTTP()
        let runner = ValidateAll(validation: ConnectionValidation(store: store, tokens: TokenClient(http: http)), concurrency: 2)
        let progress = Mutex<[ValidateAll.Progress]>([])
        let results = await runner.run(try await store.listConnections()) { event in
            if case .finished(_, let now) = event {
                finished.withLock { $0 += 1 }
                progress.withLock { $0.append(now) }
            }
        }
        await http.shutdown()
        await idp.shutdown()

        // Two at a time: the k-th request arrived only once k-1 others had finished.
        let seen = arrivals.withLock { $0 }
        #expect(seen.count == 4)
        for (index, finishedBefore) in seen.enumerated() { #expect(finishedBefore >= index - 1, "\(seen)") }

        #expect(results.map(\.connection.name) == ["a good", "b bad", "c bad", "d good"])
        #expect(results.map(\.gotToken) == [true, false, false, true])
        if case .failed(let reason, _) = results[1].status { #expect(reason.contains("invalid_client")) } else { Issue.record("\(results[1])") }
        #expect(results[0].line.hasPrefix("\"a good\": Validated connection (token_type Bearer, expires_in 60 s"))

        let last = try #require(progress.withLock { $0.last })
        #expect(last.isDone && last.line == "Validating 4/4 · 2 failed")
        #expect(last.summary == "2 validated · 2 failed")
        #expect(progress.withLock { $0.map(\.finished) } == [1, 2, 3, 4])

        // Recorded as a single Validate is, and handed back for the row.
        let records = try await store.listConnections().map { $0.lastValidation }
        #expect(records.map { $0?.ok } == [true, false, false, true])
        #expect(results.map(\.record) == records)
    }

    @Test func aConnectionThatDoesNotAnswerInTimeIsRecordedSo() async throws {
        let idp = try await Self.idp()
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let store = try await Self.store(folder, [("hang", idp.url("/hang"))])
        let http = OutboundHTTP()
        let runner = ValidateAll(validation: ConnectionValidation(store: store, tokens: TokenClient(http: http)), timeout: .seconds(1))
        let results = await runner.run(try await store.listConnections())
        await http.shutdown()
        await idp.shutdown()
        #expect(results.map(\.status) == [.timedOut(.seconds(1))])
        #expect(results[0].line == "\"hang\": Connection not validated: no answer within 1 s")
        let record = try await store.listConnections()[0].lastValidation
        #expect(record?.ok == false && record?.message == "no answer within 1 s")
    }

    @Test func cancellingStartsNothingMoreAndLetsTheStartedOnesFinish() async throws {
        let idp = try await Self.idp()
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let store = try await Self.store(folder, (1...5).map { ("hang \($0)", idp.url("/hang")) })
        let http = OutboundHTTP()
        let runner = ValidateAll(validation: ConnectionValidation(store: store, tokens: TokenClient(http: http)), concurrency: 2, timeout: .seconds(1))
        let connections = try await store.listConnections()
        let (starts, started) = AsyncStream<Void>.makeStream()
        let run = Task { await runner.run(connections) { if case .started = $0 { started.yield() } } }
        var count = 0
        for await _ in starts {
            count += 1
            if count == 2 { break }
        }
        run.cancel()
        let results = await run.value
        await http.shutdown()
        await idp.shutdown()
        #expect(results.map(\.status) == [.timedOut(.seconds(1)), .timedOut(.seconds(1)), .cancelled, .cancelled, .cancelled])
        #expect(idp.requests.count <= 2)
        let records = try await store.listConnections().map { $0.lastValidation?.ok }
        #expect(records == [false, false, nil, nil, nil]) // nothing recorded for what never started
    }

    @Test func theEventStreamEndsWithTheLastAnswer() async throws {
        let idp = try await Self.idp()
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let store = try await Self.store(folder, [("one", idp.url("/good")), ("two", idp.url("/bad"))])
        let http = OutboundHTTP()
        let runner = ValidateAll(validation: ConnectionValidation(store: store, tokens: TokenClient(http: http)))
        var events: [ValidateAll.Event] = []
        for await event in runner.events(try await store.listConnections()) { events.append(event) }
        await http.shutdown()
        await idp.shutdown()
        #expect(events.count == 4)
        guard case .finished(_, let last)? = events.last else { Issue.record("\(events)"); return }
        #expect(last.isDone && last.line == "Validating 2/2 · 1 failed")
    }
}
