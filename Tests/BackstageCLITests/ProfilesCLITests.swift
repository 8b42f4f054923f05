import Foundation
import Testing
import TestSupport
@testable import BackstageCLI

/// profiles.yaml, `--profile`, `profiles list`, `--version` and shell completion.
@Suite("profiles")
struct ProfilesCLITests {
    // MARK: The file, without a process

    static let good = """
        # two servers
        profiles:
          prod:
            server: https://mattermost.example.com
            team: engineering
            token_file: ~/.config/backstage/prod.token
          staging:
            server: http://127.0.0.1:8065
            token_file: tokens/staging.token
        """

    /// The refusal's message, or nil when the text parses.
    static func refusal(_ text: String, path: String = "/cfg/backstage/profiles.yaml") -> CLIFailure? {
        do {
            _ = try ProfileFile.parse(text, path: path, home: "/home/ada")
            return nil
        } catch let failure as CLIFailure {
            return failure
        } catch {
            Issue.record("not a CLIFailure: \(error)")
            return nil
        }
    }

    @Test func aGoodFileGivesItsProfilesInOrderWithTokenPathsResolved() throws {
        let file = try ProfileFile.parse(Self.good, path: "/cfg/backstage/profiles.yaml", home: "/home/ada")
        #expect(file.profiles.map(\.name) == ["prod", "staging"])
        let prod = try file.profile(named: "prod")
        #expect(prod.server == "https://mattermost.example.com")
        #expect(prod.team == "engineering")
        #expect(prod.tokenFile == "/home/ada/.config/backstage/prod.token")
        #expect(prod.line == 3)
        let staging = try file.profile(named: "staging")
        #expect(staging.team == nil)
        // Relative to the profile file's folder, not to wherever backstage runs.
        #expect(staging.tokenFile == "/cfg/backstage/tokens/staging.token")
        #expect(try ProfileFile.parse("", path: "/p.yaml", home: "/h").profiles.isEmpty)
    }

    @Test func anUnknownKeyIsRefusedWithItsLineAndTheKnownKeys() {
        let text = "profiles:\n  prod:\n    server: https://mm.example.com\n    teem: eng\n"
        let failure = Self.refusal(text)
        #expect(failure?.status == 2)
        #expect(failure?.message == "/cfg/backstage/profiles.yaml line 4: unknown key \"teem\" in profile \"prod\"; known keys: server, team, token_file")
        let top = Self.refusal("profile:\n  prod:\n    server: https://mm.example.com\n")
        #expect(top?.message.hasPrefix("/cfg/backstage/profiles.yaml line 1: unknown key \"profile\"") == true, "\(String(describing: top))")
    }

    @Test(arguments: ["token", "access_token", "pat", "password", "Token"])
    func aTokenInTheFileIsRefusedWithItsLine(key: String) {
        let text = "profiles:\n  prod:\n    server: https://mm.example.com\n    team: eng\n    \(key): abc123secret\n"
        let failure = Self.refusal(text)
        #expect(failure?.status == 2)
        let message = failure?.message ?? ""
        #expect(message.hasPrefix("/cfg/backstage/profiles.yaml line 5: a profile holds token_file, never the token itself"), "\(message)")
        #expect(message.contains("\"\(key)\""))
        #expect(!message.contains("abc123secret"))
    }

    @Test func aYAMLSyntaxErrorNamesItsLine() {
        let text = "profiles:\n  prod:\n    server: https://mm.example.com\n    team: [eng\n"
        let failure = Self.refusal(text)
        #expect(failure?.status == 2)
        let message = failure?.message ?? ""
        #expect(message.hasPrefix("/cfg/backstage/profiles.yaml line 4: not valid YAML:"), "\(message)")
        #expect(message.hasSuffix("from line 4"), "\(message)")
        let midway = Self.refusal("profiles:\n  prod:\n    server: \"https://mm.example.com\n    team: eng\n  qa: [\n")
        #expect(midway?.message.hasPrefix("/cfg/backstage/profiles.yaml line 5: not valid YAML:") == true, "\(String(describing: midway))")
        let tabs = Self.refusal("profiles:\n\tprod:\n")
        #expect(tabs?.message.hasPrefix("/cfg/backstage/profiles.yaml line 2: not valid YAML:") == true, "\(String(describing: tabs))")
        let twice = Self.refusal("profiles:\n  prod:\n    server: https://a.example.com\n  prod:\n    server: https://b.example.com\n")
        #expect(twice?.message.contains("prod given twice") == true, "\(String(describing: twice))")
    }

    @Test func anUnknownProfileListsTheKnownOnes() throws {
        let file = try ProfileFile.parse(Self.good, path: "/cfg/profiles.yaml", home: "/home/ada")
        #expect(throws: Never.self) { try file.profile(named: "prod") }
        do {
            _ = try file.profile(named: "qa")
            Issue.record("qa was found")
        } catch let failure as CLIFailure {
            #expect(failure.message == "/cfg/profiles.yaml: no profile \"qa\"; known: prod, staging")
            #expect(failure.status == 2)
        }
    }

    @Test func aProfileWithoutAServerOrWithANonHTTPOneIsRefused() {
        let missing = Self.refusal("profiles:\n  prod:\n    team: eng\n  qa:\n    team: eng\n")
        #expect(missing?.message == "/cfg/backstage/profiles.yaml line 2: profile \"prod\" has no server (add server: https://...)")
        let ftp = Self.refusal("profiles:\n  ok:\n    server: https://a.example.com\n  prod:\n    server: ftp://mm.example.com\n")
        #expect(ftp?.message == "/cfg/backstage/profiles.yaml line 4: profile \"prod\": server must be an http:// or https:// URL")
        let list = Self.refusal("- prod\n")
        #expect(list?.message.hasPrefix("/cfg/backstage/profiles.yaml line 1: expected \"profiles:\"") == true)
    }

    @Test func aFileOthersCanChangeIsRefused() throws {
        let sandbox = try Sandbox()
        let path = sandbox.path("profiles.yaml")
        try Self.good.write(toFile: path, atomically: true, encoding: .utf8)
        for mode in [0o664, 0o646] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            do {
                _ = try ProfileFile.load(path: path)
                Issue.record("mode \(String(mode, radix: 8)) was accepted")
            } catch let failure as CLIFailure {
                #expect(failure.message == "\(path) can be changed by other users; chmod go-w \(path)")
                #expect(failure.status == 2)
            }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(try ProfileFile.load(path: path).profiles.count == 2)
    }

    // MARK: The binary

    /// A config home holding profiles.yaml (mode 644) in the sandbox.
    static func writeProfiles(_ text: String, in sandbox: Sandbox) throws -> (env: [String: String], path: String) {
        let folder = sandbox.path("config/backstage")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/profiles.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        // MM_ACCESS_TOKEN empty: the token can only come from the profile's file.
        return (["XDG_CONFIG_HOME": sandbox.path("config"), "BACKSTAGE_PROFILE": "", "MM_ACCESS_TOKEN": ""], path)
    }

    static func writeToken(_ token: String, at path: String, mode: Int) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try token.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    @Test func profileReachesTheServerWithTheTokenFromItsFileAndTeamOverridesIt() async throws {
        let fake = try await FakeMattermost()
        let sandbox = try Sandbox()
        fake.seedConnections(2)
        let (env, _) = try Self.writeProfiles("""
            profiles:
              x:
                server: \(fake.url)
                team: not-\(fake.teamName)
                token_file: x.token
            """, in: sandbox)
        try Self.writeToken(fake.pat + "\n", at: sandbox.path("config/backstage/x.token"), mode: 0o600)

        let wrongTeam = try await sandbox.run(["--profile", "x", "connections", "list", "--json"], environment: env)
        #expect(wrongTeam.status != 0, "\(wrongTeam)")
        #expect(fake.requests.contains { $0.path == "/api/v4/teams/name/not-\(fake.teamName)" })

        let list = try await sandbox.run(["connections", "list", "--json", "--profile", "x", "--team", fake.teamName], environment: env)
        #expect(list.status == 0, "\(list)")
        #expect(try JSON.array(list.stdout).count == 2)
        #expect(fake.requests.contains { $0.path == "/api/v4/teams/name/\(fake.teamName)" })
        #expect(fake.requests.allSatisfy { $0.header("Authorization") == "Bearer \(fake.pat)" })
        #expect(!list.allOutput.contains(fake.pat))
        // Server mode: nothing local was created.
        #expect(!FileManager.default.fileExists(atPath: sandbox.db))

        // BACKSTAGE_PROFILE is the default profile.
        var byDefault = env
        byDefault["BACKSTAGE_PROFILE"] = "x"
        let viaEnvironment = try await sandbox.run(["connections", "list", "--team", fake.teamName], environment: byDefault)
        #expect(viaEnvironment.status == 0, "\(viaEnvironment)")
        await fake.shutdown()
    }

    @Test func profileFailuresAreOneLineNamingTheFile() async throws {
        let sandbox = try Sandbox()
        let path = sandbox.path("config/backstage/profiles.yaml")
        var env = ["XDG_CONFIG_HOME": sandbox.path("config"), "BACKSTAGE_PROFILE": "", "MM_ACCESS_TOKEN": ""]
        let absent = try await sandbox.run(["--profile", "prod", "connections", "list"], environment: env)
        expectFailure(absent, status: Exit.invalidInput, prefix: "backstage: \(path) does not exist")

        (env, _) = try Self.writeProfiles("profiles:\n  prod:\n    server: https://mm.example.com\n    token: s3cr3t-value\n", in: sandbox)
        let token = try await sandbox.run(["commands", "list", "--profile", "prod"], environment: env)
        expectFailure(token, status: Exit.invalidInput, prefix: "backstage: \(path) line 4: a profile holds token_file, never the token itself")
        #expect(!token.allOutput.contains("s3cr3t-value"))

        _ = try Self.writeProfiles(Self.good, in: sandbox)
        let unknown = try await sandbox.run(["connections", "list", "--profile", "qa"], environment: env)
        expectFailure(unknown, status: Exit.invalidInput, prefix: "backstage: \(path): no profile \"qa\"; known: prod, staging")

        // HOME (~) is the sandbox's; its token file does not exist.
        let noToken = try await sandbox.run(["connections", "list", "--profile", "prod"], environment: env)
        expectFailure(noToken, status: Exit.invalidInput, prefix: "backstage: ", containing: "\(sandbox.home)/.config/backstage/prod.token")

        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: path)
        let writable = try await sandbox.run(["connections", "list", "--profile", "prod"], environment: env)
        expectFailure(writable, status: Exit.invalidInput, prefix: "backstage: \(path) can be changed by other users; chmod go-w \(path)")
        // Still nothing written locally: a broken profile never falls back to the embedded store.
        #expect(!FileManager.default.fileExists(atPath: sandbox.db))
    }

    @Test func profilesListShowsEachProfileAndItsTokenFileButNeverTheToken() async throws {
        let sandbox = try Sandbox()
        let (env, path) = try Self.writeProfiles("""
            profiles:
              prod:
                server: https://mattermost.example.com
                team: engineering
                token_file: prod.token
              staging:
                server: https://mm-staging.example.com
                team: eng
                token_file: ~/staging.token
              qa:
                server: https://qa.example.com
                token_file: qa.token
            """, in: sandbox)
        let folder = (path as NSString).deletingLastPathComponent
        try Self.writeToken("prod-token-value", at: folder + "/prod.token", mode: 0o600)
        try Self.writeToken("staging-token-value", at: sandbox.home + "/staging.token", mode: 0o644)

        let text = try await sandbox.run(["profiles", "list"], environment: env)
        #expect(text.status == 0, "\(text)")
        #expect(text.stdoutLines.count == 3, "\(text)")
        #expect(text.stdoutLines[0].hasPrefix("prod     https://mattermost.example.com  engineering  \(folder)/prod.token (ok)"), "\(text)")
        #expect(text.stdoutLines[1].contains("\(sandbox.home)/staging.token (readable by others)"), "\(text)")
        // No team: "-" in its column.
        #expect(text.stdoutLines[2].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                == ["qa", "https://qa.example.com", "-", "\(folder)/qa.token", "(missing)"], "\(text)")
        #expect(!text.allOutput.contains("token-value"))

        let json = try await sandbox.run(["profiles", "list", "--json"], environment: env)
        #expect(json.status == 0, "\(json)")
        let entries = try JSON.array(json.stdout)
        #expect(entries.map { $0.string("name") } == ["prod", "staging", "qa"])
        #expect(entries[0].string("server") == "https://mattermost.example.com")
        #expect(entries[0].string("team") == "engineering")
        #expect(entries[0].string("token_file") == folder + "/prod.token")
        #expect(entries.map { $0.string("token_file_status") } == ["ok", "readable by others", "missing"])
        #expect(Set(entries[0].keys) == ["name", "server", "team", "token_file", "token_file_status"])
        #expect(!json.allOutput.contains("token-value"))
    }

    @Test func profilesListWithoutAFileShowsWhereAndAnExample() async throws {
        let sandbox = try Sandbox()
        let env = ["XDG_CONFIG_HOME": "", "BACKSTAGE_PROFILE": ""]
        let result = try await sandbox.run(["profiles", "list"], environment: env)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("\(sandbox.home)/.config/backstage/profiles.yaml does not exist"), "\(result)")
        #expect(result.stdout.contains("token_file: ~/.config/backstage/prod.token"))
        #expect(result.stderr.isEmpty)
        let json = try await sandbox.run(["profiles", "list", "--json"], environment: env)
        #expect(json.status == 0 && json.stdout == "[]\n", "\(json)")
    }

    // MARK: Version and completion

    @Test func versionPrintsTheOneVersionString() async throws {
        let result = try await CLI.run(["--version"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "backstage \(BackstageVersion.current)\n")
        #expect(BackstageVersion.current.split(separator: ".").count == 3)
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func aCompletionScriptIsProducedAndCompletesProfile(shell: String) async throws {
        let result = try await CLI.run(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("--profile"))
        #expect(result.stdout.contains("connections"))
        // The script asks the binary for --profile's values (custom completion).
        #expect(result.stdout.contains("---completion"))
    }

    @Test func bashCompletesProfileNamesThroughTheGeneratedScript() async throws {
        let sandbox = try Sandbox()
        var (env, _) = try Self.writeProfiles(Self.good, in: sandbox)
        let binaries = try #require(CLI.executable).deletingLastPathComponent().path
        env["PATH"] = binaries + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        // What bash does on Tab after `backstage connections list --profile st`.
        let script = """
            source <(backstage --generate-completion-script bash)
            COMP_WORDS=(backstage connections list --profile st); COMP_CWORD=4
            COMP_LINE="backstage connections list --profile st"; COMP_POINT=${#COMP_LINE}
            _backstage backstage st --profile
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try await CLI.run(["-c", script], environment: env, executable: URL(fileURLWithPath: "/bin/bash"))
        #expect(result.status == 0, "\(result)")
        #expect(result.stdoutLines == ["staging"], "\(result)")
    }

    /// What the man page plugin (scripts/man) reads: the whole CLI, profiles included, as JSON.
    @Test func theHelpDumpForTheManPageDescribesProfiles() async throws {
        let result = try await CLI.run(["--experimental-dump-help"])
        #expect(result.status == 0, "\(result)")
        let command = try #require(try JSON.object(result.stdout).object("command"))
        let subcommands = (command["subcommands"] as? [[String: Any]])?.compactMap { $0.string("commandName") } ?? []
        #expect(subcommands.contains("profiles"), "\(subcommands)")
        #expect(result.stdout.contains("\"profile\""))
    }

    @Test func profileNamesAreCompletedFromTheFile() async throws {
        let sandbox = try Sandbox()
        let (env, _) = try Self.writeProfiles(Self.good, in: sandbox)
        // What the generated scripts run: <argument-index> <cursor-index> then the words.
        let all = try await sandbox.run(["---completion", "--", "--profile", "2", "0", "backstage", "--profile", ""], environment: env)
        #expect(all.status == 0, "\(all)")
        #expect(all.stdoutLines.contains("prod") && all.stdoutLines.contains("staging"), "\(all)")
        let some = try await sandbox.run(["---completion", "connections", "list", "--", "--profile", "4", "2", "backstage", "connections", "list", "--profile", "st"], environment: env)
        #expect(some.stdoutLines.contains("staging") && !some.stdoutLines.contains("prod"), "\(some)")
    }
}
