import Foundation
import Testing

/// `backstage commands …`: slash commands in teams.
@Suite("commands")
struct CommandsCLITests {
    static let commandKeys: Set<String> = [
        "id", "token", "create_at", "update_at", "delete_at", "creator_id", "team_id", "trigger", "method", "username",
        "icon_url", "auto_complete", "auto_complete_desc", "auto_complete_hint", "display_name", "description", "url", "plugin_id",
    ]

    @Test func emptyDatabaseListsNothing() async throws {
        let sandbox = try Sandbox()
        let text = try await sandbox.bs(["commands", "list"])
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout == "No commands found\n") // the console's words (ListWording)
        #expect(try JSON.array(try await sandbox.bs(["commands", "list", "--json"]).stdout).isEmpty)
    }

    @Test func addNormalisesTheTriggerAndPrintsAToken() async throws {
        let sandbox = try Sandbox()
        let add = try await sandbox.bs(["commands", "add", "--trigger", "  /Weather ", "--url", " https://hooks.example.com/weather "])
        #expect(add.status == 0, "\(add)")
        #expect(add.stderr.isEmpty, "\(add)")
        let lines = add.stdoutLines
        #expect(lines.count == 2, "no OAuth line without connections: \(add)")
        let created = try #require(lines.first)
        #expect(created.hasPrefix("Created slash command /weather in team main ("), "\(add)")
        let id = String(created.dropFirst("Created slash command /weather in team main (".count).dropLast())
        #expect(isMattermostID(id), "\(created)")
        let tokenLine = try #require(lines.dropFirst().first)
        #expect(tokenLine.hasPrefix("Token: "))
        let token = String(tokenLine.dropFirst("Token: ".count))
        #expect(token.count == 26 && isMattermostID(token), "\(tokenLine)")
        #expect(token != id)

        let show = try JSON.object(try await sandbox.bs(["commands", "show", "weather", "--json"]).stdout)
        #expect(Set(show.keys) == Self.commandKeys)
        #expect(show.string("id") == id)
        #expect(show.string("trigger") == "weather")
        #expect(show.string("url") == "https://hooks.example.com/weather")
        #expect(show.string("token") == token)
        #expect(show.string("method") == "P")
        #expect(show.int("delete_at") == 0)
        #expect(isMattermostID(show.string("team_id")))
        #expect(isMattermostID(show.string("creator_id")))
        #expect(show.int("create_at") == show.int("update_at"))

        // Found with or without the slash, in any case, and by id.
        for key in ["/weather", "weather", "WEATHER", " /Weather", id] {
            let found = try await sandbox.bs(["commands", "show", key, "--json"])
            #expect(found.status == 0, "\(found)")
            #expect(try JSON.object(found.stdout).string("id") == id, "show \(key)")
        }
        expectFailure(try await sandbox.bs(["commands", "show", "weath"]), status: Exit.notFound,
                      prefix: "backstage: no slash command \"weath\" found")
    }

    @Test func showTextIncludesTheTokenAndDetails() async throws {
        let sandbox = try Sandbox()
        let created = try await sandbox.addCommand("deploy", url: "https://ci.example.com/deploy",
                                                   ["--title", "Deploy", "--description", "Ship it", "--method", "get",
                                                    "--username", "deploybot", "--icon-url", "https://ci.example.com/icon.png"])
        let token = try #require(created.string("token"))
        #expect(created.string("method") == "G")
        let show = try await sandbox.bs(["commands", "show", "deploy"])
        #expect(show.status == 0, "\(show)")
        let lines = show.stdoutLines
        #expect(lines.first?.hasPrefix("/deploy  Deploy  (team main, id ") == true, "\(show)")
        for expected in [
            "  Description: Ship it", "  Request URL: https://ci.example.com/deploy  GET", "  Token: \(token)",
            "  Response Username: deploybot", "  Response Icon: https://ci.example.com/icon.png", "  Autocomplete: no",
        ] {
            #expect(lines.contains(expected), "missing \"\(expected)\" in \(show)")
        }
        let list = try await sandbox.bs(["commands", "list"])
        #expect(!list.stdout.contains(token), "list does not show tokens: \(list)")
    }

    @Test func regenTokenChangesTheToken() async throws {
        let sandbox = try Sandbox()
        let created = try await sandbox.addCommand("rotate", url: "https://hooks.example.com/rotate")
        let old = try #require(created.string("token"))
        let regen = try await sandbox.bs(["commands", "regen-token", "/rotate"])
        #expect(regen.status == 0, "\(regen)")
        let line = try #require(regen.stdoutLines.first)
        #expect(line.hasPrefix("New token for /rotate: "))
        let new = String(line.dropFirst("New token for /rotate: ".count))
        #expect(isMattermostID(new))
        #expect(new != old)
        let show = try JSON.object(try await sandbox.bs(["commands", "show", "rotate", "--json"]).stdout)
        #expect(show.string("token") == new)
        #expect((show.int("update_at") ?? 0) > (created.int("update_at") ?? 0))
        #expect(show.sameJSON(as: created, ignoring: ["token", "update_at"]))

        let again = try JSON.object(try await sandbox.bs(["commands", "regen-token", "rotate", "--json"]).stdout)
        #expect(again.string("token") != new && isMattermostID(again.string("token")))
        expectFailure(try await sandbox.bs(["commands", "regen-token", "missing"]), status: Exit.notFound, prefix: "backstage: no slash command")
    }

    @Test func editChangesOnlyTheGivenFields() async throws {
        let sandbox = try Sandbox()
        let created = try await sandbox.addCommand("report", url: "https://hooks.example.com/report",
                                                   ["--title", "Report", "--description", "Daily report", "--username", "bot",
                                                    "--autocomplete", "--hint", "[day]", "--autocomplete-description", "Get a report"])
        let id = try #require(created.string("id"))
        let changes: [([String], String, String)] = [
            (["--title", "Weekly"], "display_name", "Weekly"),
            (["--description", "Weekly report"], "description", "Weekly report"),
            (["--url", "https://hooks2.example.com/report"], "url", "https://hooks2.example.com/report"),
            (["--method", "GET"], "method", "G"),
            (["--username", "reporter"], "username", "reporter"),
            (["--icon-url", "https://hooks.example.com/i.png"], "icon_url", "https://hooks.example.com/i.png"),
            (["--hint", "[week]"], "auto_complete_hint", "[week]"),
            (["--trigger", "/Summary"], "trigger", "summary"),
        ]
        for (options, key, value) in changes {
            let before = try JSON.object(try await sandbox.bs(["commands", "show", id, "--json"]).stdout)
            let edit = try await sandbox.bs(["commands", "edit", id] + options)
            #expect(edit.status == 0, "\(edit)")
            #expect(edit.stdout.hasPrefix("Updated slash command /"), "\(edit)")
            let after = try JSON.object(try await sandbox.bs(["commands", "show", id, "--json"]).stdout)
            #expect(after.string(key) == value, "\(options): \(after)")
            #expect(after.sameJSON(as: before, ignoring: [key, "update_at"]), "\(options) changed more: \(before) → \(after)")
            #expect((after.int("update_at") ?? 0) > (before.int("update_at") ?? 0))
        }
        let final = try JSON.object(try await sandbox.bs(["commands", "show", "summary", "--json"]).stdout)
        #expect(final.string("token") == created.string("token"), "an edit keeps the token")
        #expect(final.int("create_at") == created.int("create_at"))
        #expect(final.string("team_id") == created.string("team_id"))
    }

    @Test func hintAndDescriptionNeedAutocompleteOn() async throws {
        let sandbox = try Sandbox()
        let on = try await sandbox.addCommand("with", url: "https://hooks.example.com/with",
                                              ["--autocomplete", "--hint", "[city]", "--autocomplete-description", "Weather for a city"])
        #expect(on["auto_complete"] as? Bool == true)
        #expect(on.string("auto_complete_hint") == "[city]")
        #expect(on.string("auto_complete_desc") == "Weather for a city")
        let text = try await sandbox.bs(["commands", "show", "with"])
        #expect(text.stdoutLines.contains("  Autocomplete: yes"))
        #expect(text.stdoutLines.contains("  Autocomplete Hint: [city]"))
        #expect(text.stdoutLines.contains("  Autocomplete Description: Weather for a city"))

        // Given without autocomplete, they would be dropped: refused instead, naming the flags.
        for (options, named) in [(["--hint", "[city]", "--autocomplete-description", "Weather"], "--hint and --autocomplete-description need"),
                                 (["--hint", "[city]"], "--hint needs"), (["--autocomplete-description", "Weather"], "--autocomplete-description needs"),
                                 (["--no-autocomplete", "--hint", "[city]"], "--hint needs")] {
            let refused = try await sandbox.bs(["commands", "add", "--trigger", "without", "--url", "https://hooks.example.com/without"] + options)
            expectFailure(refused, status: Exit.invalidInput, prefix: "backstage: \(named) autocomplete on: add --autocomplete")
        }
        #expect(try await sandbox.bs(["commands", "show", "without"]).status == Exit.notFound, "nothing was saved")
        let plain = try await sandbox.addCommand("plain", url: "https://hooks.example.com/plain")
        let plainEdit = try await sandbox.bs(["commands", "edit", "plain", "--hint", "[city]"])
        expectFailure(plainEdit, status: Exit.invalidInput, prefix: "backstage: --hint needs autocomplete on")
        let offEdit = try await sandbox.bs(["commands", "edit", "with", "--no-autocomplete", "--autocomplete-description", "x"])
        expectFailure(offEdit, status: Exit.invalidInput, prefix: "backstage: --autocomplete-description needs autocomplete on")
        let unchanged = try JSON.object(try await sandbox.bs(["commands", "show", "plain", "--json"]).stdout)
        #expect(unchanged.sameJSON(as: plain), "a refused edit writes nothing")
        // On a command that has autocomplete on, a hint alone is fine.
        let hinted = try JSON.object(try await sandbox.bs(["commands", "edit", "with", "--hint", "[town]", "--json"]).stdout)
        #expect(hinted.string("auto_complete_hint") == "[town]")

        // Turning it off on edit drops them too; turning it back on does not bring them back.
        let edited = try JSON.object(try await sandbox.bs(["commands", "edit", "with", "--no-autocomplete", "--json"]).stdout)
        #expect(edited["auto_complete"] as? Bool == false)
        #expect(edited.string("auto_complete_hint") == "")
        #expect(edited.string("auto_complete_desc") == "")
        let back = try JSON.object(try await sandbox.bs(["commands", "edit", "with", "--autocomplete", "--json"]).stdout)
        #expect(back["auto_complete"] as? Bool == true)
        #expect(back.string("auto_complete_hint") == "")
    }

    @Test func deleteRemovesTheCommand() async throws {
        let sandbox = try Sandbox()
        let created = try await sandbox.addCommand("gone", url: "https://hooks.example.com/gone")
        let id = try #require(created.string("id"))
        try await sandbox.addCommand("kept", url: "https://hooks.example.com/kept")
        let delete = try await sandbox.bs(["commands", "delete", "/gone"])
        #expect(delete.status == 0, "\(delete)")
        #expect(delete.stdout == "Deleted slash command /gone (\(id))\n")
        let list = try JSON.array(try await sandbox.bs(["commands", "list", "--json"]).stdout)
        #expect(list.compactMap { $0.string("trigger") } == ["kept"])
        expectFailure(try await sandbox.bs(["commands", "show", id]), status: Exit.notFound, prefix: "backstage: no slash command")
        expectFailure(try await sandbox.bs(["commands", "delete", "gone"]), status: Exit.notFound, prefix: "backstage: no slash command")
    }

    /// `commands list --json` names the connection each command is linked to, with the audience
    /// that matched (a password in it masked), or null.
    @Test func listJSONNamesTheLinkedConnection() async throws {
        let sandbox = try Sandbox()
        let payroll = try await sandbox.addConnection("Payroll", audiences: ["https://api.example.com/pay/*"])
        let legacy = try await sandbox.addConnection("Legacy", audiences: ["https://svc:pw77@legacy.example.com/hook"])
        try await sandbox.addCommand("alpha", url: "https://api.example.com/pay/slip")
        try await sandbox.addCommand("bravo", url: "https://api.example.com/other")
        try await sandbox.addCommand("charlie", url: "https://svc:pw77@legacy.example.com/hook")
        let result = try await sandbox.bs(["commands", "list", "--json"])
        #expect(!result.stdout.contains("pw77"), "\(result)")
        let list = try JSON.array(result.stdout)
        #expect(list.map { Set($0.keys) } == Array(repeating: Self.commandKeys.union(["connection"]), count: 3))
        #expect(list.compactMap { $0.string("trigger") } == ["alpha", "bravo", "charlie"])
        let alpha = try #require(list.first?.object("connection"))
        #expect(alpha.count == 3 && alpha.string("id") == payroll.string("id") && alpha.string("name") == "Payroll")
        #expect(alpha.string("audience") == "https://api.example.com/pay/*")
        #expect(list[1]["connection"] is NSNull, "not linked: null")
        #expect(list[2].object("connection")?.string("id") == legacy.string("id"))
        #expect(list[2].object("connection")?.string("audience") == "https://svc:********@legacy.example.com/hook")
        // The text listing says the same.
        let text = try await sandbox.bs(["commands", "list"])
        #expect(text.stdout.contains("OAuth: Connected to \"Payroll\" (audience https://api.example.com/pay/*)"), "\(text)")
    }

    @Test func listFiltersByTeam() async throws {
        let sandbox = try Sandbox()
        let mainCommand = try await sandbox.addCommand("alpha", url: "https://hooks.example.com/a")
        let otherCommand = try await sandbox.addCommand("bravo", url: "https://hooks.example.com/b", ["--team", "other"])
        #expect(mainCommand.string("team_id") != otherCommand.string("team_id"))

        let all = try JSON.array(try await sandbox.bs(["commands", "list", "--json"]).stdout)
        #expect(all.compactMap { $0.string("trigger") } == ["alpha", "bravo"])
        let other = try JSON.array(try await sandbox.bs(["commands", "list", "--team", "other", "--json"]).stdout)
        #expect(other.compactMap { $0.string("trigger") } == ["bravo"])
        #expect(other.first?.string("team_id") == otherCommand.string("team_id"))
        let main = try JSON.array(try await sandbox.bs(["commands", "list", "--team", "main", "--json"]).stdout)
        #expect(main.compactMap { $0.string("trigger") } == ["alpha"])

        let text = try await sandbox.bs(["commands", "list", "--team", "other"])
        #expect(text.stdout.contains("/bravo  (team other, id "), "\(text)")
        #expect(!text.stdout.contains("/alpha"), "\(text)")
        expectFailure(try await sandbox.bs(["commands", "list", "--team", "nosuch"]), status: Exit.notFound,
                      prefix: "backstage: no team \"nosuch\" found")
    }

    @Test func theSameTriggerInTwoTeamsNeedsTheTeam() async throws {
        let sandbox = try Sandbox()
        let inMain = try await sandbox.addCommand("deploy", url: "https://hooks.example.com/main")
        let inOther = try await sandbox.addCommand("deploy", url: "https://hooks.example.com/other", ["--team", "other"])
        let ids = [try #require(inMain.string("id")), try #require(inOther.string("id"))]
        let ambiguous = try await sandbox.bs(["commands", "show", "deploy"])
        expectFailure(ambiguous, status: Exit.notFound, prefix: "backstage: ", containing: "names more than one slash command")
        for id in ids { #expect(ambiguous.stderr.contains(id)) }
        let scoped = try await sandbox.bs(["commands", "show", "deploy", "--team", "other", "--json"])
        #expect(try JSON.object(scoped.stdout).string("id") == ids[1])
        let edit = try await sandbox.bs(["commands", "edit", "deploy", "--team", "main", "--title", "Main deploy", "--json"])
        #expect(try JSON.object(edit.stdout).string("display_name") == "Main deploy")
        let untouched = try JSON.object(try await sandbox.bs(["commands", "show", ids[1], "--json"]).stdout)
        #expect(untouched.sameJSON(as: inOther))
    }

    @Test func listShowsTheLinkedConnection() async throws {
        let sandbox = try Sandbox()
        try await sandbox.addCommand("early", url: "https://api.example.com/v1/early")
        let withoutConnections = try await sandbox.bs(["commands", "list"])
        #expect(!withoutConnections.stdout.contains("OAuth:"), "no linkage line while no connection exists: \(withoutConnections)")

        try await sandbox.addConnection("API", audiences: ["https://api.example.com/*"])
        try await sandbox.addCommand("late", url: "https://elsewhere.example.com/late")
        let list = try await sandbox.bs(["commands", "list"])
        #expect(list.stdoutLines.contains("  OAuth: Connected to \"API\" (audience https://api.example.com/*)"), "\(list)")
        #expect(list.stdoutLines.contains("  OAuth: Not linked to an OAuth connection"), "\(list)")
        let add = try await sandbox.bs(["commands", "add", "--trigger", "third", "--url", "https://api.example.com/v2/third"])
        #expect(add.stdoutLines.last == "OAuth: Connected to \"API\" (audience https://api.example.com/*)", "\(add)")
    }
}
