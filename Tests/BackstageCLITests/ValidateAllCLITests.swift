import Foundation
import Testing
import TestSupport

/// `connections validate --all` against real token endpoints: one good, one refusing, one hanging.
@Suite("validate all (CLI)")
struct ValidateAllCLITests {
    static func identityProvider() async throws -> ScriptedHTTPServer {
        try await ScriptedHTTPServer { request in
            switch request.path {
            case "/good": return .json(200, #"{"access_token":"AT-secret-token","token_type":"bearer","expires_in":300}"#)
            case "/bad": return .json(401, #"{"error":"invalid_client","error_description":"bad client"}"#)
            default: return .hang
            }
        }
    }

    @Test func oneLinePerConnectionAndExit6WhenAnyGotNoToken() async throws {
        let idp = try await Self.identityProvider()
        let sandbox = try Sandbox()
        try await sandbox.addConnection("Alpha", audiences: ["https://a.example.com/"], tokenURL: idp.url("/good"))
        try await sandbox.addConnection("Bravo", audiences: ["https://b.example.com/"], tokenURL: idp.url("/bad"))
        try await sandbox.addConnection("Charlie", audiences: ["https://c.example.com/"], tokenURL: idp.url("/good"))
        let result = try await sandbox.bs(["connections", "validate", "--all", "--concurrency", "2"])
        #expect(result.status == Exit.remoteFailure, "\(result)")
        #expect(result.stdoutLines.count == 3, "\(result)")
        #expect(result.stdoutLines[0].hasPrefix("\"Alpha\": Validated connection (token_type Bearer, expires_in 300 s"), "\(result)")
        #expect(result.stdoutLines[1].hasPrefix("\"Bravo\": Connection not validated: ") && result.stdoutLines[1].contains("invalid_client"), "\(result)")
        #expect(result.stdoutLines[2].hasPrefix("\"Charlie\": Validated connection"), "\(result)")
        #expect(result.stderr == "2 validated · 1 failed\n", "\(result)")
        #expect(!result.allOutput.contains("AT-secret-token") && !result.allOutput.contains("fixture-secret"))
        // Recorded as a single Validate is.
        let listed = try JSON.array(try await sandbox.bs(["connections", "list", "--json"]).stdout)
        #expect(listed.map { $0.object("last_validation")?["ok"] as? Bool } == [true, false, true])

        let json = try await sandbox.bs(["connections", "validate", "--all", "--json"])
        #expect(json.status == Exit.remoteFailure, "\(json)")
        let report = try JSON.object(json.stdout)
        #expect(report["all_validated"] as? Bool == false && report.string("summary") == "2 validated · 1 failed")
        let results = try #require(report["results"] as? [[String: Any]])
        #expect(results.map { $0.string("status") } == ["validated", "failed", "validated"])
        #expect(results[0]["validated"] as? Bool == true && results[0].string("token_type") == "Bearer" && results[0].int("expires_in") == 300)
        #expect(results[1].string("error")?.contains("invalid_client") == true)
        await idp.shutdown()
    }

    @Test func aHangingEndpointIsGivenUpOnAfterTimeout() async throws {
        let idp = try await Self.identityProvider()
        let sandbox = try Sandbox()
        try await sandbox.addConnection("Hangs", audiences: ["https://h.example.com/"], tokenURL: idp.url("/hang"))
        let result = try await sandbox.bs(["connections", "validate", "--all", "--json", "--timeout", "1"])
        #expect(result.status == Exit.remoteFailure, "\(result)")
        let only = try #require((try JSON.object(result.stdout)["results"] as? [[String: Any]])?.first)
        #expect(only.string("status") == "timed_out" || only.string("status") == "failed", "\(only)")
        // The HTTP client's limit and the run's are the same --timeout: whichever speaks first says so.
        #expect(only.string("error") == "no answer within 1 s" || only.string("error")?.contains("did not answer within 1 s") == true, "\(only)")
        await idp.shutdown()
    }

    @Test func exit0WhenEveryConnectionGotAToken() async throws {
        let idp = try await Self.identityProvider()
        let sandbox = try Sandbox()
        for name in ["One", "Two", "Three", "Four", "Five"] {
            try await sandbox.addConnection(name, audiences: ["https://\(name.lowercased()).example.com/"], tokenURL: idp.url("/good"))
        }
        let result = try await sandbox.bs(["connections", "validate", "--all"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdoutLines.count == 5 && result.stdoutLines.allSatisfy { $0.contains(": Validated connection") }, "\(result)")
        #expect(result.stderr == "All 5 validated\n", "\(result)")
        let empty = try Sandbox()
        let none = try await empty.bs(["connections", "validate", "--all"])
        #expect(none.status == 0 && none.stdout == "No Outgoing OAuth Connections found\n", "\(none)")
        await idp.shutdown()
    }

    @Test func badUsage() async throws {
        let sandbox = try Sandbox()
        for arguments in [["connections", "validate", "--all", "--concurrency", "0"], ["connections", "validate", "--all", "Alpha"],
                          ["connections", "validate", "--all", "--token-url", "https://idp.example.com/t"]] {
            expectFailure(try await sandbox.bs(arguments), status: Exit.usage, prefix: "backstage: ")
        }
    }
}
