import Foundation
import Testing

/// `--expect-update-at`: an edit based on a stale copy is refused (exit 4) and changes nothing.
@Suite("conflicts")
struct ConflictCLITests {
    @Test func staleConnectionEditIsRefused() async throws {
        let sandbox = try Sandbox()
        let created = try await sandbox.addConnection("Shared", audiences: ["https://shared.example.com/*"])
        let id = try #require(created.string("id"))
        let loaded = try #require(created.int("update_at"))

        // Someone else edits it first.
        let theirs = try await sandbox.bs(["connections", "edit", id, "--client-id", "theirs", "--json"])
        #expect(theirs.status == 0, "\(theirs)")
        let current = try JSON.object(theirs.stdout)
        let now = try #require(current.int("update_at"))
        #expect(now > loaded)

        let mine = try await sandbox.bs(
            ["connections", "edit", id, "--client-id", "mine", "--name", "Mine", "--expect-update-at", String(loaded), "--client-secret-stdin"],
            stdin: "conflict-secret-77\n")
        expectFailure(mine, status: Exit.conflict, prefix: "backstage: ", containing: "changed by someone else")
        #expect(mine.stderr.contains(String(loaded)) && mine.stderr.contains(String(now)), "\(mine)")
        #expect(!mine.allOutput.contains("conflict-secret-77"))

        let stored = try JSON.object(try await sandbox.bs(["connections", "show", id, "--json"]).stdout)
        #expect(stored.sameJSON(as: current, ignoring: showOnlyKeys), "the stored row changed: \(stored)")
        #expect(stored.string("client_id") == "theirs")

        // Based on the current value, the same edit goes through.
        let fresh = try await sandbox.bs(["connections", "edit", id, "--client-id", "mine", "--expect-update-at", String(now), "--json"])
        #expect(fresh.status == 0, "\(fresh)")
        #expect(try JSON.object(fresh.stdout).string("client_id") == "mine")
    }

    @Test func staleCommandEditIsRefused() async throws {
        let sandbox = try Sandbox()
        let created = try await sandbox.addCommand("shared", url: "https://hooks.example.com/shared", ["--title", "Shared"])
        let id = try #require(created.string("id"))
        let loaded = try #require(created.int("update_at"))

        let theirs = try await sandbox.bs(["commands", "edit", id, "--title", "Theirs", "--json"])
        #expect(theirs.status == 0, "\(theirs)")
        let current = try JSON.object(theirs.stdout)
        let now = try #require(current.int("update_at"))

        let mine = try await sandbox.bs(["commands", "edit", "shared", "--title", "Mine", "--trigger", "mine", "--expect-update-at", String(loaded)])
        expectFailure(mine, status: Exit.conflict, prefix: "backstage: ", containing: "changed by someone else")
        #expect(mine.stderr.contains("/shared"), "\(mine)")

        let stored = try JSON.object(try await sandbox.bs(["commands", "show", id, "--json"]).stdout)
        #expect(stored.sameJSON(as: current), "the stored row changed: \(stored)")
        expectFailure(try await sandbox.bs(["commands", "show", "mine"]), status: Exit.notFound, prefix: "backstage: no slash command")

        let fresh = try await sandbox.bs(["commands", "edit", id, "--title", "Mine", "--expect-update-at", String(now), "--json"])
        #expect(fresh.status == 0, "\(fresh)")
        #expect(try JSON.object(fresh.stdout).string("display_name") == "Mine")
    }

    @Test func regeneratingTheTokenCountsAsAChange() async throws {
        let sandbox = try Sandbox()
        let created = try await sandbox.addCommand("tok", url: "https://hooks.example.com/tok")
        let loaded = try #require(created.int("update_at"))
        let regen = try JSON.object(try await sandbox.bs(["commands", "regen-token", "tok", "--json"]).stdout)
        let stale = try await sandbox.bs(["commands", "edit", "tok", "--title", "T", "--expect-update-at", String(loaded)])
        expectFailure(stale, status: Exit.conflict, prefix: "backstage: ", containing: "changed by someone else")
        let stored = try JSON.object(try await sandbox.bs(["commands", "show", "tok", "--json"]).stdout)
        #expect(stored.sameJSON(as: regen))
    }

    @Test func anUpToDateExpectationStillValidates() async throws {
        let sandbox = try Sandbox()
        let created = try await sandbox.addConnection("Still", audiences: ["https://still.example.com"])
        let loaded = try #require(created.int("update_at"))
        let result = try await sandbox.bs(["connections", "edit", "Still", "--token-url", "nope", "--expect-update-at", String(loaded)])
        expectFailure(result, status: Exit.invalidInput, prefix: "backstage: oauth_token_url:")
    }
}
