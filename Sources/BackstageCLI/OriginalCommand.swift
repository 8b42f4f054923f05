import BackstageCore
import BackstageServe
import Foundation

/// Under OpenSSH's sshd with a forced `command="backstage --actor alice …"`, the command the
/// client asked for arrives in SSH_ORIGINAL_COMMAND: it runs with the same splitting and
/// allow-list as `backstage serve`'s exec, after the forced command's own options.
enum OriginalCommand {
    /// Runs SSH_ORIGINAL_COMMAND if there is one; false: none, open the console.
    static func runIfGiven(environment: [String: String] = ProcessEnvironment.current) async throws -> Bool {
        guard let line = environment["SSH_ORIGINAL_COMMAND"], !line.trimmingCharacters(in: .whitespaces).isEmpty else { return false }
        let words: [String]
        do {
            words = try ExecPolicy.arguments(for: try ShellWords.split(line))
        } catch {
            throw CLIFailure(message: "\(error)", status: 64)
        }
        let status = await BackstageCommand.runMain(Array(CommandLine.arguments.dropFirst()) + words)
        if status != 0 { throw CLIFailure(message: "", status: status, alreadyReported: true) }
        return true
    }
}
