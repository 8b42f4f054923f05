import Foundation
import Testing

/// `--help` of a subcommand starts with what is particular to it; the dozen global options come after.
@Suite("help")
struct HelpCLITests {
    /// The options of one help page, in the order listed.
    static func options(_ help: String) -> [String] {
        help.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  --") || line.hasPrefix("  -h") else { return nil }
            return line.dropFirst(2).split(separator: " ").first.map { String($0.split(separator: "/").first ?? $0) }
        }
    }

    @Test(arguments: [
        (["commands", "add"], ["--trigger", "--url", "--method", "--title", "--description", "--username", "--icon-url", "--autocomplete",
                               "--hint", "--autocomplete-description", "--json"]),
        (["commands", "run"], ["--channel", "--user", "--site-url", "--client-secret-stdin", "--password-stdin", "--json"]),
        (["commands", "edit"], ["--trigger", "--url", "--method", "--title", "--description", "--username", "--icon-url", "--autocomplete",
                                "--hint", "--autocomplete-description", "--json", "--expect-update-at"]),
        (["connections", "validate"], ["--token-url", "--client-id", "--grant-type", "--username", "--client-secret-stdin", "--password-stdin", "--json",
                                       "--all", "--concurrency"]),
        (["connections", "list"], ["--json"]),
        (["export"], ["--out"]),
        (["doctor"], ["--json", "--validate", "--stale-days", "--concurrency"]),
        ([], ["--theme", "--no-color", "--mouse", "--refresh"]),
    ])
    func ownOptionsComeFirst(command: [String], own: [String]) async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run(command + ["--help"])
        #expect(result.status == 0, "\(result)")
        let listed = Self.options(result.stdout)
        #expect(Array(listed.prefix(own.count)) == own, "\(result.stdout)")
        // Then the global ones, in their order.
        let global = ["--db", "--ca-file", "--connect-timeout", "--timeout", "--server", "--team", "--token-file", "--profile", "--log"]
        #expect(Array(listed.dropFirst(own.count).prefix(global.count)) == global, "\(result.stdout)")
    }
}
