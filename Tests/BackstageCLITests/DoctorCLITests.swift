import Foundation
import Testing
import TestSupport

/// `backstage doctor`: findings, JSON, and monitoring plugins' exit codes (0 OK, 1 warnings,
/// 2 errors, 3 could not check).
@Suite("doctor (CLI)")
struct DoctorCLITests {
    @Test func exitCodesFollowTheWorstFinding() async throws {
        let idp = try await ScriptedHTTPServer { request in
            request.path == "/good" ? .json(200, #"{"access_token":"t"}"#) : .json(401, #"{"error":"invalid_client"}"#)
        }
        let sandbox = try Sandbox()
        let healthy = try await sandbox.bs(["doctor"])
        #expect(healthy.status == 0 && healthy.stdoutLines == ["All healthy", "note: outgoing webhooks were not checked: the local store holds no outgoing webhooks (they live on a Mattermost server)"], "\(healthy)")

        // Never validated, and used by nothing: warnings.
        try await sandbox.addConnection("Ops IdP", audiences: ["https://ops.example.com/*"], tokenURL: idp.url("/good"))
        let warnings = try await sandbox.bs(["doctor"])
        #expect(warnings.status == 1, "\(warnings)")
        #expect(warnings.stdoutLines.first == "2 warnings", "\(warnings)")
        #expect(warnings.stdout.contains("warning: connection \"Ops IdP\" has never been validated\n  fix: validate it (backstage connections validate 'Ops IdP'"), "\(warnings)")
        #expect(warnings.stdout.contains("warning: connection \"Ops IdP\" is used by no slash command (outgoing webhooks were not checked)"), "\(warnings)")

        // A near miss: an error.
        try await sandbox.addCommand("uptime", url: "https://ops.example.com/status")
        try await sandbox.addCommand("typo", url: "http://ops.example.com/status")
        let errors = try await sandbox.bs(["doctor"])
        #expect(errors.status == 2, "\(errors)")
        #expect(errors.stdoutLines.first == "1 error · 1 warning", "\(errors)")
        #expect(errors.stdout.contains("error: /typo (main) is not linked: its URL http://ops.example.com/status would match audience https://ops.example.com/* of \"Ops IdP\" but for http versus https"), "\(errors)")

        // --validate records a fresh outcome first: validated now, so only the near miss is left.
        try await sandbox.addConnection("Broken", audiences: ["https://broken.example.com/*"], tokenURL: idp.url("/bad"))
        try await sandbox.addCommand("broken", url: "https://broken.example.com/x")
        let validated = try await sandbox.bs(["doctor", "--validate", "--json"])
        #expect(validated.status == 2, "\(validated)")
        let report = try JSON.object(validated.stdout)
        #expect(report.string("status") == "errors" && report.string("summary") == "2 errors" && report.string("linkage") == "local")
        #expect(report["webhooks_checked"] as? Bool == false)
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(Set(findings.compactMap { $0.string("code") }) == ["near_miss", "linked_to_failing_connection"], "\(findings)")
        let failing = try #require(findings.first { $0.string("code") == "linked_to_failing_connection" })
        #expect(failing.object("item")?.string("kind") == "slash_command" && failing.object("item")?.string("name") == "/broken")
        #expect(failing.string("severity") == "error" && failing.string("fix")?.contains("backstage connections validate Broken") == true)
        #expect((report["validation"] as? [[String: Any]])?.map { $0.string("status") } == ["failed", "validated"])
        await idp.shutdown()
    }

    @Test func staleValidationsAreSettable() async throws {
        let idp = try await ScriptedHTTPServer { _ in .json(200, #"{"access_token":"t"}"#) }
        let sandbox = try Sandbox()
        try await sandbox.addConnection("Ops IdP", audiences: ["https://ops.example.com/*"], tokenURL: idp.url("/t"))
        try await sandbox.addCommand("uptime", url: "https://ops.example.com/status")
        #expect(try await sandbox.bs(["connections", "validate", "Ops IdP"]).status == 0)
        #expect(try await sandbox.bs(["doctor"]).status == 0)
        // With a limit of 0 days, moments ago is already too long ago.
        let zero = try await sandbox.bs(["doctor", "--stale-days", "0"])
        #expect(zero.status == 1, "\(zero)")
        #expect(zero.stdout.contains("warning: connection \"Ops IdP\" was last validated 0 days ago"), "\(zero)")
        expectFailure(try await sandbox.bs(["doctor", "--stale-days=-1"]), status: Exit.usage, prefix: "backstage: ")
        await idp.shutdown()
    }

    @Test func couldNotCheckIs3() async throws {
        let sandbox = try Sandbox()
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: sandbox.db))
        let result = try await sandbox.bs(["doctor"])
        expectFailure(result, status: 3, prefix: "backstage: could not check: ", containing: "is not a backstage database")
    }
}
