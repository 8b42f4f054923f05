import ArgumentParser
import BackstageCore
import Foundation

/// `backstage doctor`: one health check for a person or a cron job, with monitoring plugins' exit
/// codes (0 OK, 1 warnings, 2 errors, 3 could not check).
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check every connection and command: near misses, failing or stale validations, unused connections, overlaps.",
        discussion: """
            Offline by default: it reads the store and the last Validate of each connection. \
            --validate validates every connection first (as connections validate --all).

            Errors: a command whose URL nearly matches an audience (a near miss); a command linked to a \
            connection whose last Validate got no token; an audience that can never match. Warnings: a \
            connection never validated, or last validated more than --stale-days ago; a connection used \
            by nothing; wildcard overlaps. Each finding names the item and the fix.

            Exit status (as monitoring plugins use it): 0 all healthy, 1 warnings, 2 errors, 3 could not \
            check (the store cannot be opened, the server is unreachable or refuses, the feature is off).
            """)

    @Flag(help: "JSON: {status, summary, errors, warnings, linkage, webhooks_checked, findings: [{severity, code, item, message, fix}]}.")
    var json = false
    @Flag(help: "Validate every connection first (each within --timeout seconds).") var validate = false
    @Option(name: .customLong("stale-days"), help: ArgumentHelp("Warn about a connection last validated longer ago than this.", valueName: "days"))
    var staleDays: Int = Doctor.defaultStaleDays
    @Option(help: ArgumentHelp("With --validate: how many to validate at once.", valueName: "n")) var concurrency: Int = 4
    // After the command's own options, so that --help lists those first.
    @OptionGroup var global: GlobalOptions

    static let couldNotCheck: Int32 = 3

    func run() async throws {
        guard staleDays >= 0 else { throw CLIFailure(message: "--stale-days must be 0 or more", status: 64) }
        guard concurrency >= 1 else { throw CLIFailure(message: "--concurrency must be at least 1", status: 64) }
        let report: HealthReport
        let validated: [ValidateAll.Result]?
        do {
            (report, validated) = try await check()
        } catch let failure as CLIFailure where failure.status == 64 {
            throw failure
        } catch {
            throw CLIFailure(message: "could not check: \(Self.describe(error))", status: Self.couldNotCheck)
        }
        if json {
            try Output.json(ReportJSON(report: report, validated: validated))
        } else {
            print(report)
        }
        switch report.status {
        case .ok: return
        case .warnings: throw CLIFailure(message: report.summary, status: 1, alreadyReported: true)
        case .errors: throw CLIFailure(message: report.summary, status: 2, alreadyReported: true)
        }
    }

    private func check() async throws -> (HealthReport, [ValidateAll.Result]?) {
        let store = try await global.openStore()
        var validated: [ValidateAll.Result]?
        var skipped: [String: String] = [:]
        if validate {
            let connections = try await store.listConnections()
            let results = try await OutboundHTTP.using(try global.httpSettings()) { http in
                try await ValidateAllCommand.validateAll(connections, store: store, http: http, concurrency: concurrency, timeout: global.timeout)
            }
            for result in results { if case .skipped(let reason) = result.status { skipped[result.connection.id] = reason } }
            validated = results
        }
        // Loaded after validating, so the records are the new ones.
        let inventory = try await Inventory.load(from: store)
        let linkage = inventory.linkage
        let report = Doctor.check(linkage, connections: inventory.connections, isServer: inventory.isServer, now: Milliseconds.now(),
                                  staleDays: staleDays, skipped: skipped)
        return (await report.confirmingNearMisses(with: store, linkage: linkage), validated)
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case let error as StoreError: return error.description
        case let error as MattermostError: return error.description
        case let failure as CLIFailure: return failure.message
        case let failure as ValidationFailure: return failure.description
        default: return "\(error)"
        }
    }

    private func print(_ report: HealthReport) {
        Output.line(report.summary)
        for finding in report.findings {
            Output.line("\(finding.severity.rawValue): \(finding.message)")
            Output.line("  fix: \(finding.fix)")
        }
        if report.linkageIsPrediction { Output.line("note: linkage is predicted with backstage's matching rules (spec 0.2); the server decides") }
        if let note = report.webhooksNote { Output.line("note: \(note)") }
    }

    struct ReportJSON: Encodable {
        let report: HealthReport
        let validated: [ValidateAll.Result]?

        enum Keys: String, CodingKey {
            case status, summary, errors, warnings, linkage, findings, validation
            case webhooksChecked = "webhooks_checked", webhooksNote = "webhooks_note"
        }

        func encode(to encoder: Encoder) throws {
            var values = encoder.container(keyedBy: Keys.self)
            try values.encode(report.status.rawValue, forKey: .status)
            try values.encode(report.summary, forKey: .summary)
            try values.encode(report.errors.count, forKey: .errors)
            try values.encode(report.warnings.count, forKey: .warnings)
            try values.encode(report.linkageIsPrediction ? "prediction" : "local", forKey: .linkage)
            try values.encode(report.webhooksNote == nil, forKey: .webhooksChecked)
            try values.encodeIfPresent(report.webhooksNote, forKey: .webhooksNote)
            try values.encode(report.findings, forKey: .findings)
            try values.encodeIfPresent(validated?.map(ValidateAllCommand.ResultJSON.init), forKey: .validation)
        }
    }
}
