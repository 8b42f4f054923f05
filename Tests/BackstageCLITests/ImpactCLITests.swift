import Foundation
import Testing

/// What `connections show --json` adds to Mattermost's fields: what uses the connection.
let showOnlyKeys: Set<String> = ["used_by", "webhooks_checked", "webhooks_note", "linkage", "linkage_unknown"]

/// `connections show` says what uses a connection; `edit` and `delete` say what they change, and
/// `--dry-run` says it without saving.
@Suite("linkage and impact (CLI)")
struct ImpactCLITests {
    /// Ops IdP covers ops.example.com; Deploy has /deploy exactly; /uptime goes to Ops IdP.
    static func fixture() async throws -> Sandbox {
        let sandbox = try Sandbox()
        try await sandbox.addConnection("Ops IdP", audiences: ["https://ops.example.com/*"])
        try await sandbox.addConnection("Deploy", audiences: ["https://ops.example.com/deploy"])
        try await sandbox.addConnection("Finance IdP", audiences: ["https://finance.example.com/*"])
        try await sandbox.addCommand("deploy", url: "https://ops.example.com/deploy")
        try await sandbox.addCommand("uptime", url: "https://ops.example.com/status")
        try await sandbox.addCommand("pay", url: "https://pay.example.com/slash")
        return sandbox
    }

    @Test func showSaysWhatUsesAConnection() async throws {
        let sandbox = try await Self.fixture()
        let shown = try await sandbox.bs(["connections", "show", "Ops IdP"])
        #expect(shown.status == 0, "\(shown)")
        #expect(shown.stdoutLines.contains("  Used by 1 slash command: /uptime (main)"), "\(shown)")
        #expect(shown.stdout.contains("  Note: outgoing webhooks were not checked: the local store holds no outgoing webhooks"), "\(shown)")
        let unused = try await sandbox.bs(["connections", "show", "Finance IdP"])
        #expect(unused.stdoutLines.contains("  Used by no slash command"), "\(unused)")

        let json = try JSON.object(try await sandbox.bs(["connections", "show", "Deploy", "--json"]).stdout)
        #expect(json.string("name") == "Deploy")
        let usedBy = try #require(json["used_by"] as? [[String: Any]])
        #expect(usedBy.count == 1)
        #expect(usedBy[0].string("kind") == "slash_command" && usedBy[0].string("trigger") == "deploy" && usedBy[0].string("team") == "main")
        #expect(isMattermostID(usedBy[0].string("id")))
        #expect(usedBy[0]["server_confirms"] == nil)
        #expect(json["webhooks_checked"] as? Bool == false && json.string("linkage") == "local")
        #expect(json["client_secret"] == nil)
    }

    @Test func dryRunPrintsTheImpactAndSavesNothing() async throws {
        let sandbox = try await Self.fixture()
        let before = try await sandbox.snapshot()

        let narrow = try await sandbox.bs(["connections", "edit", "Ops IdP", "--audience", "https://ops.example.com/other", "--dry-run"])
        #expect(narrow.status == 0, "\(narrow)")
        #expect(narrow.stdout.isEmpty, "\(narrow)")
        #expect(narrow.stderrLines == ["Commands whose connection changes:", "  /uptime: \"Ops IdP\" → not linked",
                                       "  Note: outgoing webhooks were not checked: the local store holds no outgoing webhooks (they live on a Mattermost server)",
                                       "Dry run: nothing was saved"], "\(narrow)")

        let widen = try await sandbox.bs(["connections", "edit", "Finance IdP", "--audience", "https://finance.example.com/*",
                                          "--audience", "https://pay.example.com/*", "--dry-run", "--json"])
        #expect(widen.status == 0, "\(widen)")
        #expect(widen.stderr.contains("  /pay: not linked → \"Finance IdP\""), "\(widen)")
        let changes = try JSON.array(widen.stdout)
        #expect(changes.count == 1)
        #expect(changes[0].string("trigger") == "pay" && changes[0]["before"] is NSNull && changes[0].object("after")?.string("name") == "Finance IdP")

        let delete = try await sandbox.bs(["connections", "delete", "Deploy", "--dry-run"])
        #expect(delete.status == 0, "\(delete)")
        #expect(delete.stderr.contains("  /deploy: \"Deploy\" → \"Ops IdP\""), "\(delete)") // the wildcard takes over

        let nothing = try await sandbox.bs(["connections", "delete", "Finance IdP", "--dry-run"])
        #expect(nothing.stderrLines.first == "Commands whose connection changes: Nothing else changes", "\(nothing)")

        // A change the save would refuse is refused here too.
        let refused = try await sandbox.bs(["connections", "edit", "Finance IdP", "--audience", "https://ops.example.com/*", "--dry-run"])
        #expect(refused.status == Exit.invalidInput, "\(refused)")
        #expect(refused.stderr.contains("There is already an outgoing oauth connection for the provided audience"), "\(refused)")
        #expect(try await sandbox.snapshot() == before)
    }

    @Test func editAndDeletePrintTheImpactOnStderrOnceDone() async throws {
        let sandbox = try await Self.fixture()
        let edit = try await sandbox.bs(["connections", "edit", "Ops IdP", "--audience", "https://ops.example.com/other"])
        #expect(edit.status == 0, "\(edit)")
        #expect(edit.stdout == "Updated outgoing OAuth connection \"Ops IdP\" (\(try await Self.id(sandbox, "Ops IdP")))\n")
        #expect(edit.stderr.contains("  /uptime: \"Ops IdP\" → not linked"), "\(edit)")
        // An edit that leaves the audiences alone changes no linkage and says nothing about it.
        let rename = try await sandbox.bs(["connections", "edit", "Deploy", "--client-id", "x"])
        #expect(rename.status == 0 && rename.stderr.isEmpty, "\(rename)")
        let delete = try await sandbox.bs(["connections", "delete", "Deploy"])
        #expect(delete.status == 0, "\(delete)")
        #expect(delete.stderr.contains("  /deploy: \"Deploy\" → not linked"), "\(delete)") // Ops IdP no longer covers it
        let match = try JSON.object(try await sandbox.bs(["commands", "match", "https://ops.example.com/deploy", "--json"]).stdout)
        #expect(match["connection"] is NSNull)
        // A refused change prints only its refusal.
        expectFailure(try await sandbox.bs(["connections", "edit", "Ops IdP", "--audience", "https://finance.example.com/*"]),
                      status: Exit.invalidInput, prefix: "backstage: audiences:")
    }

    static func id(_ sandbox: Sandbox, _ name: String) async throws -> String {
        try #require(try JSON.object(try await sandbox.bs(["connections", "show", name, "--json"]).stdout).string("id"))
    }
}
