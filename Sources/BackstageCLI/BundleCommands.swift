import ArgumentParser
import BackstageCore
import Foundation

/// `backstage export`: every connection (never a secret) and command, Mattermost's field names.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write {\"connections\": [...], \"commands\": [...]} with Mattermost's field names and no secrets.")
    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var out: String?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let store = try await global.openStore()
        let team = try await CommandsCommand.TeamScope.resolve(global, in: store)
        let (connections, unavailable) = try await store.connectionsIfAvailable()
        if let unavailable { Output.note("no connections exported: \(unavailable)") }
        let bundle = IntegrationsBundle(connections: connections.map(\.sanitized), commands: try await store.listCommands(teamId: team?.id))
        guard let out else { return try Output.json(bundle) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(bundle)
        guard FileManager.default.createFile(atPath: out, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CLIFailure(message: "cannot write \(out)", status: ExitStatus.failure)
        }
        Output.line("Exported \(bundle.connections.count) connections and \(bundle.commands.count) slash commands to \(out)")
    }
}

/// `backstage import FILE`: every item checked first, then all written in one transaction, or none.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read an export-shaped file: validate every item, then write all of them in one transaction, or none.",
        discussion: "A connection may carry \"client_secret\"; such a file must not be readable by other users. Commands go to --team (default main).")
    @Argument(help: "The file to import.") var file: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        // Read as a stream, so /dev/stdin works too (`ssh … import < FILE` under backstage serve).
        guard let handle = FileHandle(forReadingAtPath: file), let data = try? handle.readToEnd() ?? Data() else {
            throw CLIFailure(message: "cannot read \(file)", status: ExitStatus.invalidInput)
        }
        let bundle: IntegrationsBundle
        do { bundle = try JSONDecoder().decode(IntegrationsBundle.self, from: data) } catch {
            throw CLIFailure(message: "\(file) is not an export file: \(error.localizedDescription)", status: ExitStatus.invalidInput)
        }
        if bundle.connections.contains(where: { $0.clientSecret != nil || $0.credentialsPassword != nil }) {
            let mode = ((try? FileManager.default.attributesOfItem(atPath: file))?[.posixPermissions] as? NSNumber)?.intValue ?? 0
            if mode & 0o077 != 0 {
                throw CLIFailure(message: "\(file) holds secrets and can be read by other users; chmod 600 it first", status: ExitStatus.invalidInput)
            }
        }
        let store = try await global.openStore()
        let team = try await store.team(named: global.team ?? Team.defaultName, createIfMissing: true)
        // Connections are read only when the file brings some: slash commands import on every server.
        let existing = bundle.connections.isEmpty ? [] : try await store.listConnections()
        let plan = ImportPlan(bundle, existingConnections: existing,
                              existingCommands: try await store.listCommands(teamId: team.id), teamId: team.id)
        for refusal in plan.refused { Output.line("Refused \(refusal)") }
        guard plan.refused.isEmpty else {
            throw CLIFailure(message: "\(plan.refused.count) items refused; nothing was imported", status: ExitStatus.invalidInput)
        }
        for connection in plan.connections { for warning in connection.warnings() { Output.warning("connection \"\(connection.name)\": \(warning)") } }
        for command in plan.commands { for warning in command.warnings() { Output.warning("command /\(command.trigger): \(warning)") } }
        try await store.importItems(connections: plan.connections, commands: plan.commands)
        for item in plan.skipped { Output.line("Skipped \(item) (already there)") }
        Output.line("Imported \(plan.connections.count) connections and \(plan.commands.count) slash commands; skipped \(plan.skipped.count) exact duplicates")
    }
}
