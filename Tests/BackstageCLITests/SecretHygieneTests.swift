import Foundation
import Testing

/// Secrets go in through stdin and never come out: not in text, not in JSON, not in errors.
@Suite("secret hygiene")
struct SecretHygieneTests {
    /// Distinctive values, so a match can only be a leak.
    static let secret = "cs-\(UUID().uuidString)"
    static let password = "pw-\(UUID().uuidString)"
    static let rotatedSecret = "cs2-\(UUID().uuidString)"
    static let rotatedPassword = "pw2-\(UUID().uuidString)"
    static let all = [secret, password, rotatedSecret, rotatedPassword]

    static func expectNoSecret(_ result: CLIResult, sourceLocation: SourceLocation = #_sourceLocation) {
        for value in all {
            #expect(!result.allOutput.contains(value), "a secret leaked: \(result)", sourceLocation: sourceLocation)
        }
        // Not even a recognisable part of one.
        for value in all {
            #expect(!result.allOutput.contains(String(value.suffix(12))), "part of a secret leaked: \(result)", sourceLocation: sourceLocation)
        }
    }

    @Test func noCommandEverPrintsASecret() async throws {
        let sandbox = try Sandbox()
        var results: [CLIResult] = []
        func run(_ arguments: [String], stdin: String? = nil) async throws -> CLIResult {
            let result = try await sandbox.bs(arguments, stdin: stdin)
            results.append(result)
            return result
        }

        let plain = try await run(
            ["connections", "add", "--name", "Plain", "--client-id", "plain-client", "--token-url", "https://idp.example.com/token",
             "--audience", "https://plain.example.com/*", "--client-secret-stdin", "--json"],
            stdin: Self.secret + "\n")
        #expect(plain.status == 0, "\(plain)")
        let plainJSON = try JSON.object(plain.stdout)
        #expect(plainJSON["client_secret"] == nil && plainJSON["credentials_password"] == nil)
        let plainId = try #require(plainJSON.string("id"))

        let legacy = try await run(
            ["connections", "add", "--name", "Legacy", "--client-id", "legacy-client", "--token-url", "https://idp.example.com/token",
             "--audience", "https://legacy.example.com/api", "--grant-type", "password", "--username", "svc",
             "--client-secret-stdin", "--password-stdin"],
            stdin: "\(Self.secret)\n\(Self.password)\n")
        #expect(legacy.status == 0, "\(legacy)")

        let rotate = try await run(["connections", "edit", "Legacy", "--client-secret-stdin", "--password-stdin", "--json"],
                                   stdin: "\(Self.rotatedSecret)\n\(Self.rotatedPassword)\n")
        #expect(rotate.status == 0, "\(rotate)")
        let rotated = try JSON.object(rotate.stdout)
        #expect(rotated["client_secret"] == nil && rotated["credentials_password"] == nil)
        let rotateText = try await run(["connections", "edit", plainId, "--client-secret-stdin"], stdin: Self.rotatedSecret + "\r\n")
        #expect(rotateText.status == 0, "\(rotateText)")

        try await sandbox.addCommand("plain", url: "https://plain.example.com/cmd")
        let readers: [[String]] = [
            ["connections", "list"], ["connections", "list", "--json"],
            ["connections", "show", "Legacy"], ["connections", "show", "Legacy", "--json"],
            ["connections", "show", plainId], ["connections", "show", plainId, "--json"],
            ["commands", "list"], ["commands", "list", "--json"], ["commands", "show", "plain"],
            ["commands", "match", "https://plain.example.com/cmd"], ["commands", "match", "https://plain.example.com/cmd", "--json"],
            ["commands", "match", "https://LEGACY.example.com/api/", "--json"],
        ]
        for arguments in readers {
            let result = try await run(arguments)
            #expect(result.status == 0, "\(result)")
        }
        let show = try JSON.object(try await run(["connections", "show", "Legacy", "--json"]).stdout)
        #expect(Set(show.keys).isDisjoint(with: ["client_secret", "credentials_password"]))
        let list = try JSON.array(try await run(["connections", "list", "--json"]).stdout)
        #expect(list.allSatisfy { Set($0.keys).isDisjoint(with: ["client_secret", "credentials_password"]) })

        // Failures with secrets on stdin.
        let failures: [([String], String)] = [
            (["connections", "edit", "Legacy", "--client-secret-stdin", "--expect-update-at", "1"], Self.secret + "\n"),
            (["connections", "edit", "Legacy", "--client-secret-stdin", "--audience", "https://plain.example.com/*"], Self.secret + "\n"),
            (["connections", "edit", "Nobody", "--client-secret-stdin"], Self.secret + "\n"),
            (["connections", "add", "--name", "Bad", "--client-id", "c", "--token-url", "not-a-url", "--audience", "https://bad.example.com",
              "--grant-type", "password", "--username", "u", "--client-secret-stdin", "--password-stdin"], "\(Self.secret)\n\(Self.password)\n"),
            (["connections", "add", "--name", "Dup", "--client-id", "c", "--token-url", "https://idp.example.com/t",
              "--audience", "https://legacy.example.com/api", "--client-secret-stdin"], Self.secret + "\n"),
        ]
        for (arguments, stdin) in failures {
            let result = try await run(arguments, stdin: stdin)
            #expect(result.status != 0, "\(result)")
        }

        #expect(results.count > 20)
        for result in results { Self.expectNoSecret(result) }
    }

    @Test func textOutputMasksSecrets() async throws {
        let sandbox = try Sandbox()
        let add = try await sandbox.bs(
            ["connections", "add", "--name", "Masked", "--client-id", "c", "--token-url", "https://idp.example.com/t",
             "--audience", "https://masked.example.com", "--grant-type", "password", "--username", "u",
             "--client-secret-stdin", "--password-stdin"],
            stdin: "\(Self.secret)\n\(Self.password)\n")
        #expect(add.status == 0, "\(add)")
        let show = try await sandbox.bs(["connections", "show", "Masked"])
        #expect(show.stdoutLines.contains("  Client Secret: ********"))
        #expect(show.stdoutLines.contains("  Password: ********"))
        Self.expectNoSecret(add)
        Self.expectNoSecret(show)
    }

    @Test func aSecretTooLongIsRefusedWithoutBeingEchoed() async throws {
        let sandbox = try Sandbox()
        let long = String(repeating: Self.secret, count: 8) // > 255 characters
        let result = try await sandbox.bs(
            ["connections", "add", "--name", "Long", "--client-id", "c", "--token-url", "https://idp.example.com/t",
             "--audience", "https://long.example.com", "--client-secret-stdin"],
            stdin: long + "\n")
        expectFailure(result, status: Exit.invalidInput, prefix: "backstage: client_secret:")
        Self.expectNoSecret(result)
        #expect(try JSON.array(try await sandbox.bs(["connections", "list", "--json"]).stdout).isEmpty)
    }

    @Test func onlyTheFirstLineOfStdinIsTheSecret() async throws {
        let sandbox = try Sandbox()
        // The second line is not part of the secret, so the 255 limit is not hit by it.
        let result = try await sandbox.bs(
            ["connections", "add", "--name", "Lines", "--client-id", "c", "--token-url", "https://idp.example.com/t",
             "--audience", "https://lines.example.com", "--client-secret-stdin"],
            stdin: Self.secret + "\n" + String(repeating: "x", count: 400) + "\n")
        #expect(result.status == 0, "\(result)")
        Self.expectNoSecret(result)
    }
}
