import Foundation
import Testing
import TestSupport

/// Two admins, two consoles, one SQLite file: the second save meets the first and asks.
extension ConsoleEndToEnd {
    @Suite("concurrent admins")
    struct ConsoleConflictTests {
        static let typedSecret = "b-typed-Secret-91"

        @Test func theSecondSaveAsksThenOverwritesOrReloads() async throws {
            // The token endpoint accepts only the secret admin B types: validating through the
            // CLI afterwards proves which secret is stored.
            let idp = try await ScriptedHTTPServer { request in
                request.form["client_secret"] == Self.typedSecret
                    ? .json(200, #"{"access_token":"AT-conflict","token_type":"bearer","expires_in":60}"#)
                    : .json(401, #"{"error":"invalid_client"}"#)
            }
            let workspace = try Workspace()
            let added = try await workspace.cli(["connections", "add", "--name", "Shared", "--client-id", "cid", "--token-url", idp.url("/token"),
                                                 "--audience", "https://shared.example.com/*", "--client-secret-stdin"], stdin: "first-secret\n")
            try #require(added.status == 0, "\(added)")

            try await withConsole(workspace, instance: "A") { adminA in
                try await withConsole(workspace, instance: "B") { adminB in
                    for console in [adminA, adminB] {
                        try await console.waitFor("Shared")
                        try await console.press("e")
                        try await console.waitFor("Outgoing OAuth Connections › Edit")
                    }
                    // Round 1. A saves first.
                    try await adminA.press("C-e")
                    try await adminA.type(" by A")
                    try await adminA.press("C-s")
                    try await adminA.waitFor("Saved Shared by A")

                    // B, still on the version it opened, renames and types a new secret.
                    try await adminB.press("C-e")
                    try await adminB.type(" by B")
                    try await adminB.press("Tab", "Tab")
                    try await adminB.type(Self.typedSecret)
                    try await adminB.press("C-s")
                    try await adminB.waitFor("Do you want to save anyway?")
                    try await adminB.press("y")
                    try await adminB.waitFor("“Shared” was changed by someone else since you opened it.", "They changed: Name.",
                                             "[ Reload (r) ]  [ Overwrite (o) ]  [ Cancel (n) ]", "o overwrite with mine")
                    // Cancel: back to the form with B's edits intact, nothing saved.
                    try await adminB.press("Escape")
                    try await adminB.waitForAbsence("was changed by someone else")
                    try await adminB.waitFor("Shared by B")
                    #expect(try await workspace.connectionNames() == ["Shared by A"])
                    // Saving again meets the same conflict; this time B's version wins.
                    try await adminB.press("C-s")
                    try await adminB.waitFor("Do you want to save anyway?")
                    try await adminB.press("y")
                    try await adminB.waitFor("was changed by someone else since you opened it.")
                    // A opens its own version again before B's wins (lists follow the file, so
                    // A must already be editing to hold a stale copy).
                    try await adminA.waitFor("Shared by A")
                    try await adminA.press("e")
                    try await adminA.waitFor("Outgoing OAuth Connections › Edit")
                    try await adminB.press("o")
                    try await adminB.waitFor("Saved Shared by B")
                    #expect(try await workspace.connectionNames() == ["Shared by B"])
                    let validated = try await workspace.cli(["connections", "validate", "Shared by B"])
                    #expect(validated.status == 0, "the secret B typed was not stored: \(validated)")

                    // Round 2. A's form holds the version A saved; it says so before the save asks.
                    try await adminA.waitFor("Changed elsewhere at", "since you opened it (Name); saving will ask what to keep")
                    try await adminA.press("C-e")
                    try await adminA.type(" again")
                    try await adminA.press("C-s")
                    try await adminA.waitFor("“Shared by A” was changed by someone else since you opened it.", "They changed: Name.")
                    try await adminA.press("r")
                    try await adminA.waitFor("Reloaded “Shared by B” as stored now; your edits were discarded")
                    try await adminA.waitForAbsence("Shared by A again")
                    #expect(try await workspace.connectionNames() == ["Shared by B"])
                    // The reloaded form saves on top of B's version; the untouched secret stays B's.
                    try await adminA.press("C-e")
                    try await adminA.type(" and A")
                    try await adminA.press("C-s")
                    try await adminA.waitFor("Saved Shared by B and A")
                    #expect(try await workspace.connectionNames() == ["Shared by B and A"])
                    let revalidated = try await workspace.cli(["connections", "validate", "Shared by B and A"])
                    #expect(revalidated.status == 0, "the untouched secret changed: \(revalidated)")

                    // Round 3. B's list has followed A's save by itself; someone deletes it while B
                    // has it open: B is told at once, and again on saving, and discards.
                    try await adminB.waitFor("Shared by B and A")
                    try await adminB.press("e")
                    try await adminB.waitFor("Outgoing OAuth Connections › Edit")
                    let deleted = try await workspace.cli(["connections", "delete", "Shared by B and A"])
                    try #require(deleted.status == 0, "\(deleted)")
                    try await adminB.waitFor("Deleted elsewhere since you opened it; saving will ask what to keep")
                    try await adminB.press("C-e")
                    try await adminB.type("!")
                    try await adminB.press("C-s")
                    try await adminB.waitFor("“Shared by B and A” was deleted by someone else since you opened it.",
                                             "[ Save as new (s) ]  [ Discard (d) ]  [ Cancel (n) ]")
                    try await adminB.press("d")
                    try await adminB.waitFor("“Shared by B and A” was deleted by someone else; your edits were discarded")
                    #expect(try await workspace.connectionNames() == [])

                    // No screen and no byte either console wrote held the typed secret.
                    for console in [adminA, adminB] {
                        let everything = console.output() + (try await console.capture(history: true))
                        #expect(!everything.contains(Self.typedSecret))
                    }
                }
            }
            await idp.shutdown()
        }
    }
}
