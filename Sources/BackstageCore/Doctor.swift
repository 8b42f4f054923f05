import Foundation

/// One thing the health check found: what, where, and how to fix it. Encoded as it is in
/// `doctor --json`.
public struct HealthFinding: Sendable, Equatable, Encodable {
    public enum Severity: String, Sendable, Codable, Comparable {
        case error, warning

        public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
    }

    public enum Code: String, Sendable, Codable {
        /// A command (or webhook URL) that matches no audience but nearly does.
        case nearMiss = "near_miss"
        /// A command linked to a connection whose last Validate got no token.
        case linkedToFailingConnection = "linked_to_failing_connection"
        /// An audience no request can ever match.
        case audienceNeverMatches = "audience_never_matches"
        case neverValidated = "never_validated"
        case staleValidation = "stale_validation"
        /// The last Validate failed, and nothing uses the connection.
        case validationFailed = "validation_failed"
        /// Validate was not tried this run (a server that needs the secret).
        case validationSkipped = "validation_skipped"
        case unusedConnection = "unused_connection"
        case wildcardOverlap = "wildcard_overlap"
    }

    /// The item a finding is about.
    public struct Item: Sendable, Equatable, Encodable {
        public enum Kind: String, Sendable, Codable {
            case connection
            case slashCommand = "slash_command"
            case outgoingWebhook = "outgoing_webhook"
        }

        public let kind: Kind
        public let id: String
        /// The connection's name, the command's `/trigger`, the webhook's label.
        public let name: String
        /// The command's or webhook's team (nil for a connection).
        public let team: String?

        public init(kind: Kind, id: String, name: String, team: String? = nil) {
            self.kind = kind
            self.id = id
            self.name = name
            self.team = team
        }

        static func connection(_ connection: OutgoingOAuthConnection) -> Item {
            Item(kind: .connection, id: connection.id, name: connection.name)
        }

        static func user(_ user: IntegrationRef) -> Item {
            Item(kind: user.kind == .slashCommand ? .slashCommand : .outgoingWebhook, id: user.id,
                 name: user.kind == .slashCommand ? "/" + user.name : user.name, team: user.teamName)
        }

        /// `connection "Payroll"`, `/deploy (ops)`, `webhook "Alerts" (ops)`.
        public var label: String {
            switch kind {
            case .connection: return "connection \"\(name)\""
            case .slashCommand: return "\(name) (\(team ?? ""))"
            case .outgoingWebhook: return "webhook \"\(name)\" (\(team ?? ""))"
            }
        }
    }

    public let severity: Severity
    public let code: Code
    public let item: Item
    /// What the message and the fix are made from; they are written only when read (`h`, `doctor`):
    /// the console's header needs only the counts (issue 18: 120 strings for 60 warnings cost the
    /// first frame ~0.4 ms).
    let facts: Facts

    /// What is wrong, naming the item.
    public var message: String { wording.message }
    /// What to do about it.
    public var fix: String { wording.fix }

    public init(_ severity: Severity, _ code: Code, _ item: Item, message: String, fix: String) {
        self.init(severity, code, item, .written(message: message, fix: fix))
    }

    init(_ severity: Severity, _ code: Code, _ item: Item, _ facts: Facts) {
        self.severity = severity
        self.code = code
        self.item = item
        self.facts = facts
    }

    private enum CodingKeys: String, CodingKey {
        case severity, code, item, message, fix
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(severity, forKey: .severity)
        try container.encode(code, forKey: .code)
        try container.encode(item, forKey: .item)
        let wording = wording
        try container.encode(wording.message, forKey: .message)
        try container.encode(wording.fix, forKey: .fix)
    }
}

/// The outcome of a health check: findings, errors first.
public struct HealthReport: Sendable, Equatable {
    public let findings: [HealthFinding]
    /// Why outgoing webhooks did not count (local store, feature off, no permission), if they did not.
    public let webhooksNote: String?
    /// A server's linkage is our prediction (spec 0.2).
    public let linkageIsPrediction: Bool

    /// "2 errors · 3 warnings", "1 warning", "All healthy": the console header's line, drawn every
    /// frame, so counted once here.
    public let summary: String

    public init(findings: [HealthFinding], webhooksNote: String?, linkageIsPrediction: Bool) {
        self.findings = findings.sorted { $0.severity < $1.severity }
        self.webhooksNote = webhooksNote
        self.linkageIsPrediction = linkageIsPrediction
        summary = Self.summary(errors: findings.count { $0.severity == .error }, warnings: findings.count { $0.severity == .warning })
    }

    public var errors: [HealthFinding] { findings.filter { $0.severity == .error } }
    public var warnings: [HealthFinding] { findings.filter { $0.severity == .warning } }

    public enum Status: String, Sendable, Codable {
        case ok, warnings, errors
    }

    public var status: Status { !errors.isEmpty ? .errors : !warnings.isEmpty ? .warnings : .ok }

    /// Appended, not joined: the first `joined` of a run looks up its generic types at run time
    /// (~0.25 ms, and this is on the console's first frame).
    private static func summary(errors errorCount: Int, warnings warningCount: Int) -> String {
        let errors = errorCount > 0 ? "\(errorCount) error\(errorCount == 1 ? "" : "s")" : ""
        let warnings = warningCount > 0 ? "\(warningCount) warning\(warningCount == 1 ? "" : "s")" : ""
        if errors.isEmpty && warnings.isEmpty { return "All healthy" }
        return errors + (errors.isEmpty || warnings.isEmpty ? "" : " · ") + warnings
    }
}

/// The health check: how every connection and command stands, from the lists alone (offline).
/// Validating first is the caller's choice (`ValidateAll`); the records are then fresh.
public enum Doctor {
    public static let defaultStaleDays = 7

    /// - Parameters:
    ///   - now: milliseconds since 1970 (`Milliseconds.now()`).
    ///   - staleDays: a connection last validated longer ago than this is a warning.
    ///   - skipped: connections this run could not validate, by id, with the reason.
    public static func check(_ inventory: Inventory, now: Int64, staleDays: Int = defaultStaleDays,
                             skipped: [String: String] = [:]) -> HealthReport {
        check(inventory.linkage, connections: inventory.connections, isServer: inventory.isServer, now: now, staleDays: staleDays, skipped: skipped)
    }

    public static func check(_ linkage: Linkage, connections: [OutgoingOAuthConnection], isServer: Bool, now: Int64,
                             staleDays: Int = defaultStaleDays, skipped: [String: String] = [:]) -> HealthReport {
        var findings: [HealthFinding] = []
        let byId = Dictionary(connections.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

        // Commands and webhooks: near misses, and links to a connection that got no token.
        for (index, user) in linkage.users.enumerated() {
            let item = HealthFinding.Item.user(user)
            if let link = linkage.links[index] {
                if let connection = byId[link.connection.id], let record = connection.lastValidation, !record.ok {
                    findings.append(HealthFinding(.error, .linkedToFailingConnection, item, .linkedToFailingConnection(connection: connection.name, record: record)))
                }
            } else if let miss = linkage.matcher.resolve(user.url).nearMisses.first {
                findings.append(HealthFinding(.error, .nearMiss, item,
                                              .nearMiss(url: user.url, miss: miss, trigger: user.kind == .slashCommand ? user.name : nil)))
            }
        }

        // Connections.
        let staleMilliseconds = Int64(staleDays) * 86_400_000
        for connection in connections {
            let item = HealthFinding.Item.connection(connection)
            for audience in connection.audiences {
                if let reason = AudienceRules.neverMatches(audience) {
                    findings.append(HealthFinding(.error, .audienceNeverMatches, item, .audienceNeverMatches(audience: audience, reason: reason)))
                }
            }
            let used = linkage.isUsed(connection.id)
            if let reason = skipped[connection.id] {
                findings.append(HealthFinding(.warning, .validationSkipped, item, .validationSkipped(reason: reason)))
            } else if let record = connection.lastValidation {
                if !record.ok && !used {
                    findings.append(HealthFinding(.warning, .validationFailed, item, .validationFailed(record)))
                } else if now - record.at > staleMilliseconds {
                    findings.append(HealthFinding(.warning, .staleValidation, item,
                                                  .staleValidation(record, days: (now - record.at) / 86_400_000, staleDays: staleDays)))
                }
            } else {
                findings.append(HealthFinding(.warning, .neverValidated, item, .neverValidated))
            }
            if !used {
                findings.append(HealthFinding(.warning, .unusedConnection, item, .unusedConnection(webhooksChecked: linkage.webhooks.isChecked)))
            }
        }

        for overlap in linkage.matcher.allOverlaps() {
            guard let owner = byId[overlap.coveredOwner.id] else { continue }
            findings.append(HealthFinding(.warning, .wildcardOverlap, .connection(owner), .wildcardOverlap(overlap)))
        }
        return HealthReport(findings: findings, webhooksNote: linkage.webhooks.notCheckedNote, linkageIsPrediction: isServer)
    }

    /// A name as a shell word: bare when it is only ASCII letters, digits and `-_./:@`, else
    /// single-quoted, each quote in it written as '\''. (Byte by byte: Foundation's CharacterSet
    /// and replacingOccurrences cost a health check ~1.4M instructions on first use.)
    static func shellWord(_ text: String) -> String {
        let safe = !text.isEmpty && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || "-_./:@".utf8.contains(byte)
        }
        guard !safe else { return text }
        var quoted = "'"
        for scalar in text.unicodeScalars {
            if scalar == "'" { quoted += "'\\''" } else { quoted.unicodeScalars.append(scalar) }
        }
        return quoted + "'"
    }
}

extension HealthReport {
    /// Server mode: our linkage is a prediction, so each near miss is put to the server's own
    /// audience query; one the server links after all is no finding. Unchanged for a local store.
    public func confirmingNearMisses(with store: any Store, linkage: Linkage) async -> HealthReport {
        let misses = findings.filter { $0.code == .nearMiss }
        guard store.isServer, !misses.isEmpty else { return self }
        let users = linkage.users.filter { user in
            linkage.link(of: user) == nil && misses.contains { $0.item.id == user.id }
        }
        let linkedByServer = Set((await store.confirmLinks(users) ?? []).compactMap { answer -> String? in
            if case .linked = answer.answer { return answer.user.id }
            return nil
        })
        guard !linkedByServer.isEmpty else { return self }
        return HealthReport(findings: findings.filter { !($0.code == .nearMiss && linkedByServer.contains($0.item.id)) },
                            webhooksNote: webhooksNote, linkageIsPrediction: linkageIsPrediction)
    }
}
