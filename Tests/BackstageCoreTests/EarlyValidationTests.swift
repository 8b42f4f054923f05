import Foundation
import Testing
import TestSupport
@testable import BackstageCore

/// `connections validate NAME` requests its token with what an early read found while the store
/// opens (`EarlyValidation`, issue 18): the answer counts only if the store holds the same.
@Suite("Early validation")
struct EarlyValidationTests {
    static func tokenServer() async throws -> ScriptedHTTPServer {
        try await ScriptedHTTPServer { request in
            request.form["client_secret"] == "first-secret"
                ? .json(200, #"{"access_token":"tok","token_type":"bearer","expires_in":60}"#)
                : .json(401, #"{"error":"invalid_client"}"#)
        }
    }

    @Test func theEarlyReadFindsAConnectionAsTheStoreDoes() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("db.sqlite")
        let store = try SQLiteStore(path: path)
        let saved = try await store.createConnection(OutgoingOAuthConnection(
            name: "Payroll", clientId: "c", clientSecret: Secret("first-secret"), credentialsUsername: "svc",
            credentialsPassword: Secret("pw"), oauthTokenURL: "https://idp.example.com/token", grantType: .password,
            audiences: ["https://payroll.example.com/*"]))
        _ = try await store.createConnection(OutgoingOAuthConnection(name: "Twin", clientId: "c", clientSecret: Secret("s"),
                                                                     oauthTokenURL: "https://idp.example.com/token", audiences: ["https://a.example.com/"]))
        try store.close()
        for key in ["Payroll", "payroll", saved.id] {
            let early = try #require(SQLiteStore.earlyConnection(path: path, key: key), "\(key)")
            let reopened = try SQLiteStore(path: path)
            #expect(early.connection == (try await reopened.findConnection(key)))
            #expect(early.credentials == ConnectionCredentials(clientSecret: Secret("first-secret"), password: Secret("pw")))
            try reopened.close()
        }
        #expect(SQLiteStore.earlyConnection(path: path, key: "nobody") == nil)
        #expect(SQLiteStore.earlyConnection(path: folder.file("absent.sqlite"), key: "Payroll") == nil)
    }

    @Test func theEarlyAnswerCountsWhenTheStoreHoldsWhatWasRead() async throws {
        let folder = TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("db.sqlite")
        let server = try await Self.tokenServer()
        let http = OutboundHTTP()
        let tokens = TokenClient(http: http)
        let store = try SQLiteStore(path: path)
        let saved = try await store.createConnection(OutgoingOAuthConnection(name: "Payroll", clientId: "c", clientSecret: Secret("first-secret"),
                                                                             oauthTokenURL: server.url("/token"), audiences: ["https://p.example.com/*"]))
        let early = try #require(EarlyValidation.start(path: path, key: "Payroll", tokens: tokens))
        let outcome = try #require(await early.outcome(for: try await store.findConnection("Payroll"), in: store))
        guard case .validated = outcome else { Issue.record("\(outcome)"); return }
        #expect(server.requests.count == 1)
        #expect(server.requests.first?.form["client_secret"] == "first-secret")
        // Recorded as a validation made after the open is.
        let recorded = try await ConnectionValidation(store: store, tokens: tokens).validateSaved(saved, requestedEarly: outcome)
        #expect(recorded == outcome)
        #expect(try await store.connection(id: saved.id).lastValidation?.ok == true)

        // The secret changed after the early read: its answer is dropped once its request has ended.
        let stale = try #require(EarlyValidation.start(path: path, key: "Payroll", tokens: tokens))
        var changed = try await store.connection(id: saved.id)
        changed.clientSecret = Secret("second-secret")
        _ = try await store.updateConnection(changed, basedOn: changed.updateAt)
        #expect(await stale.outcome(for: try await store.findConnection("Payroll"), in: store) == nil)
        #expect(server.requests.count == 2)
        // A connection that is not the one read (renamed meanwhile, another id): dropped too.
        let again = try #require(EarlyValidation.start(path: path, key: "Payroll", tokens: tokens))
        var other = try await store.findConnection("Payroll")
        other.name = "Renamed"
        #expect(await again.outcome(for: other, in: store) == nil)
        try store.close()
        await http.shutdown()
        await server.shutdown()
    }
}
