import Foundation
import Testing

/// Every rule, through the CLI: exit 2, one stderr line naming the field, nothing written, and a
/// secret given on stdin never echoed.
@Suite("validation")
struct ValidationCLITests {
    /// One invalid invocation and what it must say.
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let arguments: [String]
        let stdin: String?
        let prefix: String
        let fragment: String?

        var testDescription: String { label }
    }

    /// The connection and the command every case starts from.
    static let takenAudience = "https://taken.example.com/api"
    static let secret = "validation-secret-4f1c9e"
    static let password = "validation-password-8b2d"

    static func prepared() async throws -> Sandbox {
        let sandbox = try Sandbox()
        try await sandbox.addConnection("Existing", audiences: [takenAudience])
        try await sandbox.addCommand("weather", url: "https://hooks.example.com/weather")
        return sandbox
    }

    /// `connections add` with valid values, `overrides` replacing or adding options; `nil`
    /// removes an option.
    static func addConnection(_ overrides: [String: String?], audiences: [String] = ["https://new.example.com/api"]) -> [String] {
        var options: [(String, String?)] = [
            ("--name", "New"), ("--client-id", "new-client"), ("--token-url", "https://idp.example.com/oauth/token"),
        ]
        for (key, value) in overrides {
            if let index = options.firstIndex(where: { $0.0 == key }) { options[index].1 = value } else { options.append((key, value)) }
        }
        var arguments = ["connections", "add"]
        for (key, value) in options { if let value { arguments += [key, value] } }
        arguments += audiences.flatMap { ["--audience", $0] }
        return arguments
    }

    static let connectionCases: [Case] = [
        Case(label: "name over 64 characters",
             arguments: addConnection(["--name": String(repeating: "n", count: 65)]) + ["--client-secret-stdin"],
             stdin: secret + "\n", prefix: "backstage: name:", fragment: "64"),
        Case(label: "empty name",
             arguments: addConnection(["--name": ""]) + ["--client-secret-stdin"],
             stdin: secret + "\n", prefix: "backstage: name:", fragment: "required"),
        Case(label: "empty client id",
             arguments: addConnection(["--client-id": ""]) + ["--client-secret-stdin"],
             stdin: secret + "\n", prefix: "backstage: client_id:", fragment: nil),
        Case(label: "token URL not http(s)",
             arguments: addConnection(["--token-url": "ftp://idp.example.com/token"]) + ["--client-secret-stdin"],
             stdin: secret + "\n", prefix: "backstage: oauth_token_url:", fragment: "http:// or https://"),
        Case(label: "token URL over 256 characters",
             arguments: addConnection(["--token-url": "https://idp.example.com/" + String(repeating: "t", count: 240)]) + ["--client-secret-stdin"],
             stdin: secret + "\n", prefix: "backstage: oauth_token_url:", fragment: "256"),
        Case(label: "invalid audience",
             arguments: addConnection([:], audiences: ["api.example.com/x"]) + ["--client-secret-stdin"],
             stdin: secret + "\n", prefix: "backstage: audiences:", fragment: "Audience URL is invalid: api.example.com/x"),
        Case(label: "no audience",
             arguments: addConnection([:], audiences: []) + ["--client-secret-stdin"],
             stdin: secret + "\n", prefix: "backstage: audiences:", fragment: "One or more audience URLs are required."),
        Case(label: "audience of another connection",
             arguments: addConnection([:], audiences: ["https://fresh.example.com", takenAudience]) + ["--client-secret-stdin"],
             stdin: secret + "\n", prefix: "backstage: audiences:",
             fragment: "There is already an outgoing oauth connection for the provided audience: \(takenAudience)"),
        Case(label: "audience of another connection, with spaces around it",
             arguments: addConnection([:], audiences: ["  \(takenAudience) "]) + ["--client-secret-stdin"],
             stdin: secret + "\n", prefix: "backstage: audiences:",
             fragment: "There is already an outgoing oauth connection for the provided audience: \(takenAudience)"),
        Case(label: "no secret, stdin not a terminal",
             arguments: addConnection([:]), stdin: nil, prefix: "backstage: client_secret:", fragment: "--client-secret-stdin"),
        Case(label: "empty secret line",
             arguments: addConnection([:]) + ["--client-secret-stdin"], stdin: "\n", prefix: "backstage: client_secret:", fragment: nil),
        Case(label: "secret over 255 characters",
             arguments: addConnection([:]) + ["--client-secret-stdin"], stdin: String(repeating: "Q", count: 256) + "\n",
             prefix: "backstage: client_secret:", fragment: "255"),
        Case(label: "unknown grant type",
             arguments: addConnection(["--grant-type": "implicit"]) + ["--client-secret-stdin"],
             stdin: secret + "\n", prefix: "backstage: grant_type:", fragment: nil),
        Case(label: "password grant without username",
             arguments: addConnection(["--grant-type": "password"]) + ["--client-secret-stdin", "--password-stdin"],
             stdin: "\(secret)\n\(password)\n", prefix: "backstage: credentials_username:", fragment: nil),
        Case(label: "password grant without password",
             arguments: addConnection(["--grant-type": "password", "--username": "u"]) + ["--client-secret-stdin"],
             stdin: secret + "\n", prefix: "backstage: credentials_password:", fragment: nil),
    ]

    static let commandCases: [Case] = {
        func add(_ trigger: String?, url: String = "https://hooks.example.com/x", _ extra: [String] = []) -> [String] {
            ["commands", "add"] + (trigger.map { ["--trigger", $0] } ?? []) + ["--url", url] + extra
        }
        return [
            Case(label: "trigger with a space", arguments: add("my cmd"), stdin: nil,
                 prefix: "backstage: trigger:", fragment: "A trigger word must not contain spaces"),
            Case(label: "no trigger", arguments: add(nil), stdin: nil, prefix: "backstage: trigger:", fragment: nil),
            Case(label: "trigger over 128 characters", arguments: add(String(repeating: "t", count: 129)), stdin: nil,
                 prefix: "backstage: trigger:", fragment: "128"),
            Case(label: "built-in trigger /echo", arguments: add("/echo"), stdin: nil,
                 prefix: "backstage: trigger:", fragment: "This trigger word is already in use. Please choose another word."),
            Case(label: "trigger taken in the team", arguments: add("weather"), stdin: nil,
                 prefix: "backstage: trigger:", fragment: "This trigger word is already in use. Please choose another word."),
            Case(label: "trigger taken in the team, other spelling", arguments: add(" /Weather"), stdin: nil,
                 prefix: "backstage: trigger:", fragment: "This trigger word is already in use. Please choose another word."),
            Case(label: "URL over 1024 characters",
                 arguments: add("long", url: "https://hooks.example.com/" + String(repeating: "u", count: 1000)), stdin: nil,
                 prefix: "backstage: url:", fragment: "1024"),
            Case(label: "URL not http(s)", arguments: add("ftp", url: "ftp://hooks.example.com/x"), stdin: nil,
                 prefix: "backstage: url:", fragment: nil),
            Case(label: "title over 64 characters", arguments: add("titled", ["--title", String(repeating: "T", count: 65)]), stdin: nil,
                 prefix: "backstage: display_name:", fragment: "64"),
            Case(label: "description over 128 characters",
                 arguments: add("described", ["--description", String(repeating: "D", count: 129)]), stdin: nil,
                 prefix: "backstage: description:", fragment: "128"),
            Case(label: "bad method", arguments: add("method", ["--method", "put"]), stdin: nil,
                 prefix: "backstage: method:", fragment: nil),
            Case(label: "bad method in a new team", arguments: add("method", ["--method", "put", "--team", "brand-new"]), stdin: nil,
                 prefix: "backstage: method:", fragment: nil),
            Case(label: "empty team name", arguments: add("teamless", ["--team", "  "]), stdin: nil,
                 prefix: "backstage: team:", fragment: nil),
        ]
    }()

    @Test(arguments: connectionCases + commandCases)
    func refused(_ invalid: Case) async throws {
        let sandbox = try await Self.prepared()
        let before = try await sandbox.snapshot()
        let teamsBefore = try await sandbox.bs(["commands", "list", "--team", "brand-new"])
        let result = try await sandbox.bs(invalid.arguments, stdin: invalid.stdin)
        expectFailure(result, status: Exit.invalidInput, prefix: invalid.prefix, containing: invalid.fragment)
        #expect(!result.allOutput.contains(Self.secret), "the secret was echoed: \(result)")
        #expect(!result.allOutput.contains(Self.password), "the password was echoed: \(result)")
        if let stdin = invalid.stdin, stdin.count > 100 {
            #expect(!result.allOutput.contains(stdin.trimmingCharacters(in: .newlines)), "the secret was echoed")
        }
        #expect(try await sandbox.snapshot() == before, "a refused command wrote something")
        let teamsAfter = try await sandbox.bs(["commands", "list", "--team", "brand-new"])
        #expect(teamsAfter.status == teamsBefore.status, "a refused add created its team: \(teamsAfter)")
    }

    // MARK: Edits are checked too

    @Test func refusedEditsWriteNothing() async throws {
        let sandbox = try await Self.prepared()
        let other = try await sandbox.addConnection("Second", audiences: ["https://second.example.com"])
        let otherId = try #require(other.string("id"))
        try await sandbox.addCommand("forecast", url: "https://hooks.example.com/forecast")
        let before = try await sandbox.snapshot()
        let edits: [([String], String?, String)] = [
            (["connections", "edit", otherId, "--name", String(repeating: "n", count: 65), "--client-secret-stdin"], Self.secret + "\n", "backstage: name:"),
            (["connections", "edit", otherId, "--audience", Self.takenAudience], nil, "backstage: audiences:"),
            (["connections", "edit", otherId, "--token-url", "idp.example.com/token", "--client-secret-stdin"], Self.secret + "\n", "backstage: oauth_token_url:"),
            (["connections", "edit", otherId, "--client-id", ""], nil, "backstage: client_id:"),
            (["connections", "edit", otherId, "--client-secret-stdin"], "\n", "backstage: client_secret:"),
            (["commands", "edit", "forecast", "--trigger", "weather"], nil, "backstage: trigger:"),
            (["commands", "edit", "forecast", "--trigger", "echo"], nil, "backstage: trigger:"),
            (["commands", "edit", "forecast", "--url", "hooks.example.com"], nil, "backstage: url:"),
            (["commands", "edit", "forecast", "--method", "delete"], nil, "backstage: method:"),
            (["commands", "edit", "forecast", "--description", String(repeating: "d", count: 129)], nil, "backstage: description:"),
        ]
        for (arguments, stdin, prefix) in edits {
            let result = try await sandbox.bs(arguments, stdin: stdin)
            expectFailure(result, status: Exit.invalidInput, prefix: prefix)
            #expect(!result.allOutput.contains(Self.secret), "the secret was echoed: \(result)")
        }
        #expect(try await sandbox.snapshot() == before)
    }

    // MARK: What is allowed

    @Test func sameTriggerInAnotherTeamIsAllowed() async throws {
        let sandbox = try await Self.prepared()
        let add = try await sandbox.bs(["commands", "add", "--trigger", "weather", "--url", "https://hooks.example.com/w2", "--team", "other"])
        #expect(add.status == 0, "\(add)")
        #expect(add.stdoutLines.first?.hasPrefix("Created slash command /weather in team other (") == true, "\(add)")
        let all = try JSON.array(try await sandbox.bs(["commands", "list", "--json"]).stdout)
        #expect(all.count == 2)
        #expect(Set(all.compactMap { $0.string("team_id") }).count == 2)
        // …but not twice in that team either.
        expectFailure(
            try await sandbox.bs(["commands", "add", "--trigger", "weather", "--url", "https://hooks.example.com/w3", "--team", "other"]),
            status: Exit.invalidInput, prefix: "backstage: trigger: This trigger word is already in use. Please choose another word.")
    }

    @Test func limitsAreInclusive() async throws {
        let sandbox = try await Self.prepared()
        try await sandbox.addConnection(
            String(repeating: "n", count: 64), audiences: ["https://limits.example.com"],
            tokenURL: "https://idp.example.com/" + String(repeating: "t", count: 256 - "https://idp.example.com/".count))
        try await sandbox.addCommand(
            String(repeating: "t", count: 128), url: "https://hooks.example.com/" + String(repeating: "u", count: 1024 - "https://hooks.example.com/".count),
            ["--title", String(repeating: "T", count: 64), "--description", String(repeating: "D", count: 128)])
    }
}
