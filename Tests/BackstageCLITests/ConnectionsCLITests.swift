import Foundation
import Testing

/// `backstage connections …`: add, list, show, edit and delete, in text and Mattermost's JSON.
@Suite("connections")
struct ConnectionsCLITests {
    static let clientCredentialsKeys: Set<String> = [
        "id", "name", "client_id", "oauth_token_url", "grant_type", "audiences", "create_at", "update_at", "creator_id",
    ]

    @Test func emptyDatabaseListsNothing() async throws {
        let sandbox = try Sandbox()
        let text = try await sandbox.bs(["connections", "list"])
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout == "No Outgoing OAuth Connections found\n")
        #expect(text.stderr.isEmpty)
        let json = try await sandbox.bs(["connections", "list", "--json"])
        #expect(json.status == 0)
        #expect(try JSON.array(json.stdout).isEmpty)
    }

    @Test func textRoundTrip() async throws {
        let sandbox = try Sandbox()
        let add = try await sandbox.bs(
            ["connections", "add", "--name", "Billing API", "--client-id", "client-123",
             "--token-url", "https://idp.example.com/oauth/token",
             "--audience", "https://billing.example.com/api", "--audience", "https://billing.example.com/v2/*",
             "--client-secret-stdin"],
            stdin: "round-trip-secret\n")
        #expect(add.status == 0, "\(add)")
        #expect(add.stderr.isEmpty, "\(add)")
        let created = try #require(add.stdoutLines.first)
        #expect(created.hasPrefix("Created outgoing OAuth connection \"Billing API\" ("))
        let id = String(created.dropFirst("Created outgoing OAuth connection \"Billing API\" (".count).dropLast())
        #expect(isMattermostID(id), "\(created)")

        let list = try await sandbox.bs(["connections", "list"])
        #expect(list.status == 0, "\(list)")
        for expected in [
            "Billing API  (id \(id))",
            "  Client ID: client-123",
            "  Client Secret: ********",
            "  Audience URLs: https://billing.example.com/api, https://billing.example.com/v2/*",
            "  Token URL: https://idp.example.com/oauth/token",
        ] {
            #expect(list.stdoutLines.contains(expected), "missing \"\(expected)\" in \(list)")
        }
        #expect(list.stdoutLines.contains { $0.hasPrefix("  Created on ") })

        let show = try await sandbox.bs(["connections", "show", id])
        #expect(show.status == 0, "\(show)")
        #expect(show.stdoutLines.first == "Billing API  (id \(id))")
        #expect(show.stdoutLines.contains("  Grant Type: client_credentials"))
        #expect(show.stdoutLines.contains { $0.hasPrefix("  Updated: ") && $0.contains("(update_at ") })
        #expect(!show.stdout.contains("Username:"), "client credentials show no username")

        let edit = try await sandbox.bs(["connections", "edit", "Billing API", "--client-id", "client-456"])
        #expect(edit.status == 0, "\(edit)")
        #expect(edit.stdout == "Updated outgoing OAuth connection \"Billing API\" (\(id))\n")
        let shown = try await sandbox.bs(["connections", "show", id])
        #expect(shown.stdoutLines.contains("  Client ID: client-456"))
        #expect(shown.stdoutLines.contains("  Audience URLs: https://billing.example.com/api, https://billing.example.com/v2/*"))
        #expect(shown.stdoutLines.contains("  Token URL: https://idp.example.com/oauth/token"))

        let delete = try await sandbox.bs(["connections", "delete", id])
        #expect(delete.status == 0, "\(delete)")
        #expect(delete.stdout == "Deleted outgoing OAuth connection \"Billing API\" (\(id))\n")
        let after = try await sandbox.bs(["connections", "list"])
        #expect(after.stdout == "No Outgoing OAuth Connections found\n")
        expectFailure(try await sandbox.bs(["connections", "show", id]), status: Exit.notFound,
                      prefix: "backstage: no outgoing OAuth connection", containing: id)
        expectFailure(try await sandbox.bs(["connections", "delete", id]), status: Exit.notFound,
                      prefix: "backstage: no outgoing OAuth connection")
    }

    @Test func jsonRoundTripUsesMattermostFieldNames() async throws {
        let sandbox = try Sandbox()
        let add = try await sandbox.bs(
            ["connections", "add", "--name", "Billing API", "--client-id", "client-123",
             "--token-url", "https://idp.example.com/oauth/token",
             "--audience", "https://billing.example.com/api", "--audience", "https://billing.example.com/v2/*",
             "--client-secret-stdin", "--json"],
            stdin: "json-secret\n")
        #expect(add.status == 0, "\(add)")
        let created = try JSON.object(add.stdout)
        #expect(Set(created.keys) == Self.clientCredentialsKeys)
        #expect(isMattermostID(created.string("id")))
        #expect(isMattermostID(created.string("creator_id")))
        #expect(created.string("name") == "Billing API")
        #expect(created.string("client_id") == "client-123")
        #expect(created.string("oauth_token_url") == "https://idp.example.com/oauth/token")
        #expect(created.string("grant_type") == "client_credentials")
        #expect(created.strings("audiences") == ["https://billing.example.com/api", "https://billing.example.com/v2/*"])
        let createAt = try #require(created.int("create_at"))
        #expect(createAt > 1_600_000_000_000, "milliseconds since 1970")
        #expect(created.int("update_at") == createAt)
        let id = try #require(created.string("id"))

        let list = try JSON.array(try await sandbox.bs(["connections", "list", "--json"]).stdout)
        #expect(list.count == 1)
        #expect(list.first?.sameJSON(as: created) == true, "list --json: \(list)")
        let show = try JSON.object(try await sandbox.bs(["connections", "show", id, "--json"]).stdout)
        #expect(show.sameJSON(as: created, ignoring: showOnlyKeys), "show --json: \(show)")

        let edit = try await sandbox.bs(
            ["connections", "edit", id, "--token-url", "https://idp2.example.com/token", "--audience", "https://billing.example.com/v3", "--json"])
        #expect(edit.status == 0, "\(edit)")
        let edited = try JSON.object(edit.stdout)
        #expect(edited.string("id") == id)
        #expect(edited.string("creator_id") == created.string("creator_id"))
        #expect(edited.int("create_at") == createAt)
        #expect((edited.int("update_at") ?? 0) > createAt)
        #expect(edited.string("oauth_token_url") == "https://idp2.example.com/token")
        #expect(edited.strings("audiences") == ["https://billing.example.com/v3"], "--audience on edit replaces the list")
        #expect(edited.sameJSON(as: created, ignoring: ["update_at", "oauth_token_url", "audiences"]))
        let reread = try JSON.object(try await sandbox.bs(["connections", "show", id, "--json"]).stdout)
        #expect(reread.sameJSON(as: edited, ignoring: showOnlyKeys), "show after edit: \(reread)")

        let delete = try await sandbox.bs(["connections", "delete", id])
        #expect(delete.status == 0, "\(delete)")
        #expect(try JSON.array(try await sandbox.bs(["connections", "list", "--json"]).stdout).isEmpty)
    }

    @Test func editChangesOnlyTheGivenFields() async throws {
        let sandbox = try Sandbox()
        let created = try await sandbox.addConnection("Orders", audiences: ["https://orders.example.com/a", "https://orders.example.com/b/*"])
        let id = try #require(created.string("id"))
        for (option, value, key) in [
            ("--name", "Orders v2", "name"),
            ("--client-id", "another-client", "client_id"),
            ("--token-url", "http://localhost:8080/token", "oauth_token_url"),
        ] {
            let before = try JSON.object(try await sandbox.bs(["connections", "show", id, "--json"]).stdout)
            let edit = try await sandbox.bs(["connections", "edit", id, option, value, "--json"])
            #expect(edit.status == 0, "\(edit)")
            let after = try JSON.object(try await sandbox.bs(["connections", "show", id, "--json"]).stdout)
            #expect(after.string(key) == value)
            #expect(after.sameJSON(as: before, ignoring: [key, "update_at"]), "\(option) changed more: \(before) → \(after)")
            #expect((after.int("update_at") ?? 0) > (before.int("update_at") ?? 0))
        }
    }

    @Test func passwordGrantReadsSecretThenPasswordFromStdin() async throws {
        let sandbox = try Sandbox()
        let add = try await sandbox.bs(
            ["connections", "add", "--name", "Legacy", "--client-id", "legacy-client",
             "--token-url", "https://idp.example.com/token", "--audience", "https://legacy.example.com/*",
             "--grant-type", "password", "--username", "svc-user", "--client-secret-stdin", "--password-stdin", "--json"],
            stdin: "legacy-secret\nlegacy-password\n")
        #expect(add.status == 0, "\(add)")
        let created = try JSON.object(add.stdout)
        #expect(Set(created.keys) == Self.clientCredentialsKeys.union(["credentials_username"]))
        #expect(created.string("grant_type") == "password")
        #expect(created.string("credentials_username") == "svc-user")
        let id = try #require(created.string("id"))

        let show = try await sandbox.bs(["connections", "show", "Legacy"])
        #expect(show.status == 0, "\(show)")
        #expect(show.stdoutLines.contains("  Grant Type: password"))
        #expect(show.stdoutLines.contains("  Username: svc-user"))
        #expect(show.stdoutLines.contains("  Password: ********"))

        // The stored password counts as present: an edit without it succeeds.
        let edit = try await sandbox.bs(["connections", "edit", id, "--username", "svc-user-2"])
        #expect(edit.status == 0, "\(edit)")
        let edited = try JSON.object(try await sandbox.bs(["connections", "show", id, "--json"]).stdout)
        #expect(edited.string("credentials_username") == "svc-user-2")
        #expect(edited.string("grant_type") == "password")

        // Only the password, on its own line.
        let newPassword = try await sandbox.bs(["connections", "edit", id, "--password-stdin"], stdin: "legacy-password-2\n")
        #expect(newPassword.status == 0, "\(newPassword)")

        // Back to client credentials: the username goes away.
        let back = try await sandbox.bs(["connections", "edit", id, "--grant-type", "client_credentials", "--json"])
        #expect(back.status == 0, "\(back)")
        let plain = try JSON.object(back.stdout)
        #expect(plain.string("grant_type") == "client_credentials")
        #expect(plain["credentials_username"] == nil)
    }

    @Test func switchingToPasswordGrantNeedsAPassword() async throws {
        let sandbox = try Sandbox()
        let created = try await sandbox.addConnection("Plain", audiences: ["https://plain.example.com"])
        let id = try #require(created.string("id"))
        let before = try await sandbox.snapshot()
        expectFailure(
            try await sandbox.bs(["connections", "edit", id, "--grant-type", "password", "--username", "u"]),
            status: Exit.invalidInput, prefix: "backstage: credentials_password:")
        #expect(try await sandbox.snapshot() == before)
    }

    @Test func editWithANewSecretSucceedsAndKeepsTheRest() async throws {
        let sandbox = try Sandbox()
        let created = try await sandbox.addConnection("Rotate", audiences: ["https://rotate.example.com"])
        let id = try #require(created.string("id"))
        let edit = try await sandbox.bs(["connections", "edit", "Rotate", "--client-secret-stdin", "--json"], stdin: "rotated-secret\n")
        #expect(edit.status == 0, "\(edit)")
        let edited = try JSON.object(edit.stdout)
        #expect(edited.string("id") == id)
        #expect(edited.sameJSON(as: created, ignoring: ["update_at"]))
    }

    // MARK: Name or id

    @Test func showFindsByIdByNameAndByNameInOtherCase() async throws {
        let sandbox = try Sandbox()
        let created = try await sandbox.addConnection("Weather Service", audiences: ["https://weather.example.com/*"])
        try await sandbox.addConnection("Other", audiences: ["https://other.example.com/*"])
        let id = try #require(created.string("id"))
        for key in [id, "Weather Service", "weather service", "WEATHER SERVICE"] {
            let show = try await sandbox.bs(["connections", "show", key, "--json"])
            #expect(show.status == 0, "\(show)")
            #expect(try JSON.object(show.stdout).string("id") == id, "show \(key)")
        }
        expectFailure(try await sandbox.bs(["connections", "show", "Weather"]), status: Exit.notFound,
                      prefix: "backstage: no outgoing OAuth connection \"Weather\" found")
    }

    @Test func twoConnectionsWithTheSameNameAreAmbiguous() async throws {
        let sandbox = try Sandbox()
        let first = try await sandbox.addConnection("Twin", audiences: ["https://one.example.com"])
        let second = try await sandbox.addConnection("Twin", audiences: ["https://two.example.com"])
        let ids = [try #require(first.string("id")), try #require(second.string("id"))]
        let before = try await sandbox.snapshot()
        for arguments in [["connections", "show", "Twin"], ["connections", "show", "twin"],
                          ["connections", "edit", "Twin", "--client-id", "x"], ["connections", "delete", "Twin"]] {
            let result = try await sandbox.bs(arguments)
            expectFailure(result, status: Exit.notFound, prefix: "backstage: ", containing: "names more than one")
            for id in ids { #expect(result.stderr.contains(id), "\(arguments): \(result)") }
        }
        #expect(try await sandbox.snapshot() == before, "an ambiguous edit or delete changed nothing")
        // The id still works.
        let show = try await sandbox.bs(["connections", "show", ids[1], "--json"])
        #expect(try JSON.object(show.stdout).string("id") == ids[1])
    }

    @Test func listIsSortedByNameIgnoringCase() async throws {
        let sandbox = try Sandbox()
        try await sandbox.addConnection("charlie", audiences: ["https://c.example.com"])
        try await sandbox.addConnection("Alpha", audiences: ["https://a.example.com"])
        try await sandbox.addConnection("bravo", audiences: ["https://b.example.com"])
        let list = try JSON.array(try await sandbox.bs(["connections", "list", "--json"]).stdout)
        #expect(list.compactMap { $0.string("name") } == ["Alpha", "bravo", "charlie"])
    }

    @Test func overlappingWildcardIsSavedWithAWarning() async throws {
        let sandbox = try Sandbox()
        try await sandbox.addConnection("Narrow", audiences: ["https://api.example.com/v1/users"])
        let add = try await sandbox.bs(
            ["connections", "add", "--name", "Broad", "--client-id", "c", "--token-url", "https://idp.example.com/t",
             "--audience", "https://api.example.com/*", "--client-secret-stdin"],
            stdin: "s\n")
        #expect(add.status == 0, "\(add)")
        #expect(add.stdout.hasPrefix("Created outgoing OAuth connection \"Broad\""))
        #expect(add.stderrLines.count == 1, "\(add)")
        #expect(add.stderr.hasPrefix("backstage: warning: https://api.example.com/* (\"Broad\") also covers https://api.example.com/v1/users (\"Narrow\")"))
        let list = try await sandbox.bs(["connections", "list"])
        #expect(list.stdout.contains("  Warning: https://api.example.com/* (\"Broad\") also covers"), "\(list)")
    }

    // MARK: --db placement

    @Test func dbOptionWorksBeforeAndAfterTheSubcommand() async throws {
        let sandbox = try Sandbox()
        let before = try await sandbox.run(
            ["--db", sandbox.db, "connections", "add", "--name", "Placed", "--client-id", "c",
             "--token-url", "https://idp.example.com/t", "--audience", "https://placed.example.com", "--client-secret-stdin"],
            stdin: "s\n")
        #expect(before.status == 0, "\(before)")
        #expect(FileManager.default.fileExists(atPath: sandbox.db))

        let after = try await sandbox.run(["connections", "list", "--json", "--db", sandbox.db])
        #expect(after.status == 0, "\(after)")
        #expect(try JSON.array(after.stdout).compactMap { $0.string("name") } == ["Placed"])

        let leading = try await sandbox.run(["--db", sandbox.db, "connections", "list", "--json"])
        #expect(leading.stdout == after.stdout)
        let commands = try await sandbox.run(["--db", sandbox.db, "commands", "add", "--trigger", "placed", "--url", "https://placed.example.com"])
        #expect(commands.status == 0, "\(commands)")
        let trailing = try await sandbox.run(["commands", "show", "placed", "--db", sandbox.db])
        #expect(trailing.status == 0, "\(trailing)")
        #expect(trailing.stdout.contains("Connected to \"Placed\""), "\(trailing)")
    }

    @Test func usageErrorsExitWith64() async throws {
        let sandbox = try Sandbox()
        for arguments in [["connections", "list", "--bogus"], ["connections", "show"], ["nosuch"],
                          ["connections", "edit", "x", "--expect-update-at", "soon"],
                          ["connections", "add", "--client-secret", "never-as-an-argument"]] {
            let result = try await sandbox.bs(arguments)
            #expect(result.status == Exit.usage, "\(result)")
            #expect(!result.stderr.isEmpty)
            #expect(result.stdout.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.db), "a usage error opens no database")
    }
}
