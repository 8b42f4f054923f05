import ArgumentParser
import Testing
@testable import BackstageCLI

@Suite("command names")
struct CommandNamesTests {
    /// A command without an explicit name is named by `String(describing:)` on its type whenever
    /// the parser builds its tree, on every CLI call: a dynamic cast that scans every protocol
    /// conformance in the binary (issue 18: ~2 ms of CPU for the 13 that had none).
    @Test func everyCommandNamesItself() {
        var unnamed: [String] = []
        var pending: [ParsableCommand.Type] = [BackstageCommand.self]
        while let command = pending.popLast() {
            if command.configuration.commandName == nil { unnamed.append("\(command)") }
            pending += command.configuration.subcommands
        }
        #expect(unnamed.isEmpty)
    }

    /// The names are the ones the parser gave the types before they were spelt out.
    @Test func theNamesAreTheUsualOnes() {
        func names(_ group: ParsableCommand.Type) -> [String] { group.configuration.subcommands.map { $0.configuration.commandName ?? "?" } }
        #expect(names(BackstageCommand.self) == ["connections", "commands", "export", "import", "profiles", "doctor", "serve"])
        #expect(names(ConnectionsCommand.self) == ["list", "show", "add", "edit", "delete", "validate"])
        #expect(names(CommandsCommand.self) == ["list", "show", "add", "edit", "delete", "regen-token", "match", "run"])
        #expect(names(ProfilesCommand.self) == ["list"])
    }
}
