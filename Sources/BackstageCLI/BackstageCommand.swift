import ArgumentParser
import BackstageCore
import Foundation

/// `backstage`: the console (a later issue) and the scriptable CLI.
public struct BackstageCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "backstage",
        abstract: "Mattermost's Integrations backstage for Outgoing OAuth Connections and Slash Commands, in a terminal.",
        discussion: """
            Data lives in an embedded SQLite file: --db PATH, else $BACKSTAGE_DB, else
            $XDG_DATA_HOME/backstage/backstage.sqlite (~/.local/share/backstage/backstage.sqlite).

            Exit status: 0 success; 1 other failure; 2 invalid input; 3 not found or ambiguous; \
            4 conflict (changed by someone else since it was read); 5 unusable database; 64 bad usage.
            """,
        subcommands: [ConnectionsCommand.self, CommandsCommand.self]
    )

    @OptionGroup public var global: GlobalOptions

    public init() {}

    public func run() async throws {
        // The console arrives with a later issue; until then, say how to use the CLI.
        print(Self.helpMessage())
    }

    /// Parses `arguments`, runs the command, and turns every failure into one line on stderr and
    /// an exit status. Returns the status.
    public static func runMain(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let failure as CLIFailure {
            Output.error(failure.message)
            return failure.status
        } catch let failure as ValidationFailure {
            Output.error(failure.description)
            return ExitStatus.invalidInput
        } catch let error as StoreError {
            Output.error(error.description)
            return ExitStatus.of(error)
        } catch {
            // Usage errors, --help, --version: ArgumentParser's own wording and codes.
            let code = exitCode(for: error).rawValue
            let text = fullMessage(for: error)
            if !text.isEmpty {
                if code == 0 { print(text) } else { FileHandle.standardError.write(Data((text + "\n").utf8)) }
            }
            return code
        }
    }
}

/// `--db`, shared by every subcommand (accepted before or after the subcommand's name).
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The embedded database file.", valueName: "path"))
    public var db: String?

    public init() {}

    func openStore() throws -> any Store {
        try SQLiteStore(path: db ?? DatabaseFile.defaultPath())
    }
}

enum ExitStatus {
    static let failure: Int32 = 1
    static let invalidInput: Int32 = 2
    static let notFound: Int32 = 3
    static let conflict: Int32 = 4
    static let unusableStore: Int32 = 5

    static func of(_ error: StoreError) -> Int32 {
        switch error {
        case .notFound, .ambiguous: return notFound
        case .conflict: return conflict
        case .notABackstageDatabase, .unusable, .newerSchema: return unusableStore
        }
    }
}

/// A failure the CLI itself detects, with its exit status.
struct CLIFailure: Error {
    let message: String
    let status: Int32

    static func invalid(_ field: String, _ message: String) -> CLIFailure {
        CLIFailure(message: FieldError(field, message).description, status: ExitStatus.invalidInput)
    }
}
