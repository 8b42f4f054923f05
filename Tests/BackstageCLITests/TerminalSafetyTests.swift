import Foundation
import Testing
import TestSupport

/// Stored text may hold escape sequences; none of them reaches the terminal through text output.
@Suite("terminal safety")
struct TerminalSafetyTests {
    static let esc: UInt8 = 0x1B
    static let evilName = "evil\u{1B}[31mred"
    /// An OSC sequence that would set the window title, ended by BEL.
    static let evilClientId = "client\u{1B}]0;pwned\u{07}"
    /// C1 CSI and a right-to-left override.
    static let sneakyName = "sneaky\u{9B}31m\u{202E}eman"

    /// No ESC or BEL byte anywhere, and no other C0 control but the line break, no DEL, no C1
    /// control and no bidi override: text output drops them, JSON writes them as \u escapes.
    static func expectClean(_ result: CLIResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!result.allBytes.contains(esc), "ESC reached the terminal: \(result)", sourceLocation: sourceLocation)
        #expect(!result.allBytes.contains(0x07), "BEL reached the terminal", sourceLocation: sourceLocation)
        let scalars = (result.stdout + result.stderr).unicodeScalars
        let bad = scalars.filter { scalar in
            switch scalar.value {
            case 0x0A: return false
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return true
            default: return false
            }
        }
        #expect(bad.isEmpty, "control characters in output: \(bad.map { String($0.value, radix: 16) }): \(result)",
                sourceLocation: sourceLocation)
    }

    @Test func connectionTextOutputHasNoEscapeSequences() async throws {
        let sandbox = try Sandbox()
        let add = try await sandbox.bs(
            ["connections", "add", "--name", Self.evilName, "--client-id", Self.evilClientId, "--token-url", "https://idp.example.com/t",
             "--audience", "https://evil.example.com/*", "--client-secret-stdin"],
            stdin: "s\n")
        #expect(add.status == 0, "\(add)")
        Self.expectClean(add)
        #expect(add.stdout.contains("evilred"), "the visible text stays, the whole sequence goes: \(add)")
        let json = try JSON.object(try await sandbox.bs(["connections", "show", Self.evilName, "--json"]).stdout)
        let id = try #require(json.string("id"))
        // Stored as given; JSON escapes it.
        #expect(json.string("name") == Self.evilName)
        #expect(json.string("client_id") == Self.evilClientId)

        try await sandbox.addConnection(Self.sneakyName, audiences: ["https://evil.example.com/deeper/*"])

        for arguments in [
            ["connections", "list"], ["connections", "show", Self.evilName], ["connections", "show", id],
            ["connections", "list", "--json"], ["connections", "show", id, "--json"],
            ["connections", "show", Self.sneakyName],
            ["connections", "edit", id, "--client-id", "plain"],
        ] {
            let result = try await sandbox.bs(arguments)
            #expect(result.status == 0, "\(result)")
            Self.expectClean(result)
        }
        let list = try await sandbox.bs(["connections", "list"])
        #expect(list.stdout.contains("evilred  (id \(id))"), "\(list)")
        let shown = try await sandbox.bs(["connections", "show", id])
        #expect(shown.stdout.contains("client") && !shown.stdout.contains("pwned") && !shown.stdout.contains("]0;"), "no residue of the OSC: \(shown)")
        let sneaky = try await sandbox.bs(["connections", "show", Self.sneakyName])
        #expect(sneaky.stdout.contains("sneakyeman") && !sneaky.stdout.contains("31m"), "no residue of the C1 CSI: \(sneaky)")
        #expect(list.stdout.contains("Warning:"), "the overlap warning names both: \(list)")
    }

    @Test func commandTextOutputHasNoEscapeSequences() async throws {
        let sandbox = try Sandbox()
        try await sandbox.addConnection(Self.evilName, audiences: ["https://evil.example.com/api"])
        let add = try await sandbox.bs(
            ["commands", "add", "--trigger", "evil", "--url", "https://evil.example.com/api",
             "--title", "T\u{1B}[2J", "--description", "D\u{1B}]8;;https://phish.example/\u{07}click",
             "--username", "u\u{1B}[5m", "--autocomplete", "--hint", "[\u{1B}[1mcity]", "--autocomplete-description", "a\u{9B}1m"])
        #expect(add.status == 0, "\(add)")
        Self.expectClean(add)
        #expect(add.stdout.contains("OAuth: Connected to \"evilred\""), "\(add)")
        for arguments in [
            ["commands", "list"], ["commands", "show", "evil"], ["commands", "list", "--json"], ["commands", "show", "evil", "--json"],
            ["commands", "regen-token", "evil"], ["commands", "edit", "evil", "--title", "x\u{1B}[0m"],
            ["commands", "match", "https://evil.example.com/api"], ["commands", "match", "https://evil.example.com/api/"],
            ["commands", "match", "https://evil.example.com/api/", "--json"],
        ] {
            let result = try await sandbox.bs(arguments)
            #expect(result.status == 0, "\(result)")
            Self.expectClean(result)
        }
        let nearMiss = try await sandbox.bs(["commands", "match", "https://evil.example.com/api/"])
        #expect(nearMiss.stdout.contains("of \"evilred\" but for a trailing slash"), "\(nearMiss)")
        let shown = try await sandbox.bs(["commands", "show", "evil"])
        for residue in ["[2J", "]8;", "phish", "[5m", "[1m"] {
            #expect(!shown.stdout.contains(residue), "\(residue) left on screen: \(shown)")
        }
    }

    @Test func errorsHaveNoEscapeSequences() async throws {
        let sandbox = try Sandbox()
        try await sandbox.addConnection("Twin\u{1B}[31m", audiences: ["https://one.example.com"])
        try await sandbox.addConnection("Twin\u{1B}[31m", audiences: ["https://two.example.com"])
        let failures: [([String], Int32)] = [
            (["connections", "show", "missing\u{1B}[31m"], Exit.notFound),
            (["connections", "show", "Twin\u{1B}[31m"], Exit.notFound),
            (["commands", "show", "gone\u{1B}]0;x\u{07}"], Exit.notFound),
            (["commands", "list", "--team", "t\u{1B}[1m"], Exit.notFound),
            (["connections", "add", "--name", "n", "--client-id", "c", "--token-url", "https://idp.example.com/t",
              "--audience", "https://x\u{1B}[31m.example.com", "--client-secret-stdin"], Exit.invalidInput),
            (["commands", "add", "--trigger", "a\u{1B}[31m b", "--url", "https://x.example.com"], Exit.invalidInput),
        ]
        for (arguments, status) in failures {
            let result = try await sandbox.bs(arguments, stdin: "s\n")
            expectFailure(result, status: status, prefix: "backstage: ")
            Self.expectClean(result)
        }
    }

    /// What a server holds or says reaches the terminal without escape sequences in list, show and
    /// run (text and --json alike); --json stays valid and keeps stored values exact, escaped.
    @Test func serverTextHasNoEscapeSequences() async throws {
        let fake = try await FakeMattermost()
        let receiver = try await ScriptedHTTPServer { _ in .text(500, "\u{1B}]0;PWNED-TITLE\u{07}\u{1B}[2J\u{1B}[H\u{1B}[31;1mno") }
        let connection = fake.seedConnection(["name": Self.evilName, "client_id": Self.evilClientId, "oauth_token_url": "https://idp.example.com/t",
                             "audiences": [receiver.url("/*")]])
        fake.seedCommand(trigger: "evil", url: receiver.url("/evil"), ["display_name": "T\u{1B}[2J", "description": "D\u{9B}5m\u{202E}x"])
        let sandbox = try Sandbox()
        let server = ["--server", fake.url, "--team", fake.teamName]
        for arguments in [["connections", "list"], ["connections", "show", connection], ["connections", "list", "--json"],
                          ["commands", "list"], ["commands", "show", "evil"], ["commands", "list", "--json"],
                          ["commands", "run", "evil"], ["commands", "run", "evil", "--json"]] {
            let result = try await sandbox.run(arguments + server, environment: ["MM_ACCESS_TOKEN": fake.pat])
            #expect(result.status == (arguments[1] == "run" ? Exit.commandFailed : Exit.success), "\(result)")
            Self.expectClean(result)
            if arguments.last == "--json" {
                _ = try JSON.parse(result.stdout)
            } else {
                for residue in ["]0;", "PWNED", "[2J", "[31m", "[31;1m"] { #expect(!result.stdout.contains(residue), "\(residue): \(result)") }
            }
            if arguments == ["commands", "run", "evil", "--json"] {
                #expect(try JSON.object(result.stdout).object("reply")?.string("body") == "no", "a server's reply is sanitised: \(result)")
            }
        }
        let list = try await sandbox.run(["connections", "list", "--json"] + server, environment: ["MM_ACCESS_TOKEN": fake.pat])
        #expect(try JSON.array(list.stdout).first?.string("name") == Self.evilName, "--json keeps the value, escaped")
        await receiver.shutdown()
        await fake.shutdown()
    }

    /// ArgumentParser's own errors echo arguments: sanitised as well.
    @Test func usageErrorsHaveNoEscapeSequences() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.bs(["connections", "\u{1B}]0;PWNED\u{07}\u{1B}[31mfoo"])
        #expect(result.status == Exit.usage, "\(result)")
        Self.expectClean(result)
        #expect(result.stderr.contains("Unexpected argument 'foo'"), "\(result)")
    }
}
