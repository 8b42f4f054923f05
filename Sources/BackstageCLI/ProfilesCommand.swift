import ArgumentParser
import Foundation

/// `backstage profiles …`: what profiles.yaml holds, checked the way `--profile` checks it.
struct ProfilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "Named servers from $XDG_CONFIG_HOME/backstage/profiles.yaml (use one with --profile NAME).",
        subcommands: [List.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the profiles: server, team, token file and whether that file is usable (never a token).")
        @Flag(help: "[{\"name\", \"server\", \"team\", \"token_file\", \"token_file_status\"}]") var json = false

        struct Entry: Encodable {
            let name: String
            let server: String
            let team: String?
            let token_file: String?
            let token_file_status: String
        }

        func run() async throws {
            let path = ProfileFile.defaultPath()
            // No file is not an error here: this is where a new user learns what to write.
            guard FileManager.default.fileExists(atPath: path) else {
                if json { return Output.line("[]") }
                Output.line("No profiles: \(path) does not exist. An example:")
                Output.line()
                ProfileFile.example.split(separator: "\n", omittingEmptySubsequences: false).forEach { Output.line("    " + $0) }
                return
            }
            let file = try ProfileFile.load(path: path)
            let entries = file.profiles.map {
                Entry(name: $0.name, server: $0.server, team: $0.team, token_file: $0.tokenFile, token_file_status: Self.status(of: $0.tokenFile))
            }
            if json { return try Output.json(entries) }
            if entries.isEmpty { return Output.line("No profiles in \(path)") }
            let nameWidth = entries.map(\.name.count).max() ?? 0
            let serverWidth = entries.map(\.server.count).max() ?? 0
            let teamWidth = entries.map { ($0.team ?? "-").count }.max() ?? 0
            for entry in entries {
                let token = entry.token_file.map { "\($0) (\(entry.token_file_status))" } ?? "none (MM_ACCESS_TOKEN)"
                Output.line([pad(entry.name, nameWidth), pad(entry.server, serverWidth), pad(entry.team ?? "-", teamWidth), token].joined(separator: "  "))
            }
        }

        private func pad(_ text: String, _ width: Int) -> String {
            text + String(repeating: " ", count: max(0, width - text.count))
        }

        /// Whether `--profile` could use the token file: the same rule as ServerToken (mode 600).
        static func status(of path: String?) -> String {
            guard let path else { return "none" }
            var info = stat()
            guard stat(path, &info) == 0 else { return "missing" }
            if info.st_mode & 0o077 != 0 { return "readable by others" }
            return access(path, R_OK) == 0 ? "ok" : "unreadable"
        }
    }
}
