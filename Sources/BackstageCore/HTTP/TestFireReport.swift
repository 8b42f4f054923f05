/// A test-fire told in lines, the same for the CLI and the console. Server text is sanitised;
/// no token appears.
public struct ReportLine: Sendable, Equatable {
    public enum Tone: Sendable, Equatable { case plain, good, bad, warning, muted }
    public let text: String
    public let tone: Tone

    public init(_ text: String, _ tone: Tone = .plain) {
        self.text = text
        self.tone = tone
    }
}

extension TestFireResult {
    /// The report as the console's result overlay shows it: a reply's first lines.
    public var reportLines: [ReportLine] { reportLines(body: .screenful) }

    /// The report with as much of the reply's body as `limit` lets through.
    public func reportLines(body limit: BodyLimit) -> [ReportLine] {
        var lines: [ReportLine] = []
        switch oauth {
        case .notLinked(let nearMisses):
            lines.append(ReportLine("OAuth:    Not linked to an OAuth connection; sent with the command token (Authorization: Token ********)", .muted))
            for miss in nearMisses { lines.append(ReportLine("          Near miss: the URL \(miss.hint)", .warning)) }
        case .obtained(let connection, let audience, let tokenType, let expiresIn, let scope, let elapsed):
            lines.append(ReportLine("OAuth:    Connected to \"\(connection.name)\" (audience \(audience))", .good))
            var details = "token_type \(tokenType)"
            if let expiresIn { details += ", expires_in \(expiresIn) s" }
            if let scope { details += ", scope \(TerminalText.sanitized(scope))" }
            lines.append(ReportLine("          new token obtained in \(elapsed.wholeMilliseconds) ms (\(details))"))
        case .failed(let connection, let audience, let reason):
            lines.append(ReportLine("OAuth:    !! TOKEN STEP FAILED for \"\(connection.name)\" (audience \(audience)): \(TerminalText.sanitized(reason))", .bad))
            lines.append(ReportLine("          !! Sent with the command token instead (Authorization: Token ********), as Mattermost does", .bad))
        case .skipped(let connection, let audience, let reason):
            lines.append(ReportLine("OAuth:    token step SKIPPED for \"\(connection.name)\" (audience \(audience)): \(TerminalText.sanitized(reason))", .warning))
            lines.append(ReportLine("          Sent with the command token instead (Authorization: Token ********); Mattermost itself would send a Bearer token", .warning))
        }
        lines.append(ReportLine("Request:  \(method) \(url)  (Authorization: \(authorizationScheme) ********)"))
        lines.append(ReportLine("          " + fields.map { "\($0.0)=\($0.1)" }.joined(separator: " "), .muted))
        switch outcome {
        case .answered(let status, let reason, let elapsed, let contentType, let response):
            lines.append(ReportLine("Response: \(status) \(TerminalText.sanitized(reason)) in \(elapsed.wholeMilliseconds) ms (\(contentType ?? "no content type"))",
                                    status == 200 ? .good : .bad))
            lines += Self.describe(response, indent: "          ", limit: limit)
            if replyCut { lines.append(ReportLine("          (reply cut at 1 MiB, as Mattermost cuts it)", .warning)) }
        case .failed(let message, let cause):
            lines.append(ReportLine("Response: \(message)", .bad))
            lines.append(ReportLine("          \(TerminalText.sanitized(cause))", .bad))
            if let reply { lines += Self.describe(reply, cut: replyCut, indent: "          ", limit: limit) }
        }
        return lines
    }

    /// A reply that did not count as an answer: its status and size (a non-200's cause already
    /// says them), where a redirect points, and its body.
    static func describe(_ reply: CommandReply, cut: Bool, indent: String, limit: BodyLimit) -> [ReportLine] {
        var lines: [ReportLine] = []
        if reply.status == 200 { lines.append(ReportLine(indent + reply.headline)) }
        if let note = reply.redirectNote { lines.append(ReportLine(indent + note, .warning)) }
        let body = reply.bodyLines
        if !body.isEmpty {
            lines.append(ReportLine("\(indent)body:"))
            lines += limit.apply(body, indent: indent + "  ")
        }
        if cut && reply.status != 200 { lines.append(ReportLine("\(indent)(reply cut at 1 MiB, as Mattermost cuts it)", .warning)) }
        return lines
    }

    static func describe(_ response: CommandResponse, indent: String, limit: BodyLimit) -> [ReportLine] {
        var lines = [ReportLine("\(indent)response_type: \(response.responseType.flatMap { $0.isEmpty ? nil : TerminalText.sanitized($0) } ?? "ephemeral")")]
        if let username = response.username, !username.isEmpty { lines.append(ReportLine("\(indent)username: \(TerminalText.sanitized(username))")) }
        if let goto = response.gotoLocation, !goto.isEmpty { lines.append(ReportLine("\(indent)goto_location: \(TerminalText.sanitized(goto))")) }
        if let text = response.text, !text.isEmpty {
            lines.append(ReportLine("\(indent)text:"))
            lines += limit.apply(TerminalText.sanitizedKeepingLines(text).split(separator: "\n", omittingEmptySubsequences: false), indent: indent + "  ")
        }
        for (index, attachment) in (response.attachments ?? []).enumerated() {
            let parts = [attachment.pretext, attachment.title, attachment.text ?? attachment.fallback].compactMap { $0 }.filter { !$0.isEmpty }
            lines.append(ReportLine("\(indent)attachment \(index + 1): \(TerminalText.sanitized(parts.joined(separator: " | ")))"))
        }
        for extra in response.extraResponses ?? [] {
            lines.append(ReportLine("\(indent)extra response:"))
            lines += describe(extra, indent: indent + "  ", limit: limit)
        }
        return lines
    }
}

extension Duration {
    public var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
