/// The live banner under a slash command's Request URL: which connection's audience covers the
/// URL, or that none does and why it almost did. Said here once, for the form, the lists, the CLI
/// and the test-fire report alike.
public struct Banner: Sendable, Equatable {
    public enum Tone: Sendable, Equatable { case linked, unlinked, nearMiss, muted, warning }

    public struct Line: Sendable, Equatable {
        public let text: String
        public let tone: Tone
        public init(_ text: String, _ tone: Tone) {
            self.text = text
            self.tone = tone
        }
    }

    /// Where a server's own answer stands (server mode).
    public enum ServerAnswer: Sendable, Equatable {
        case asking
        /// The connection's name, or nil: not linked. An error answer counts as "not linked", as in
        /// Mattermost's web form.
        case answered(String?)
        /// The server could not be reached: the local answer stands.
        case unreachable(String)
    }

    public let lines: [Line]

    /// The local answer, with up to `nearMisses` hints; with `server`, the server's answer leads
    /// once it is in, and the local one is labelled a preview.
    public init(_ result: MatchResult, nearMisses: Int = 2, server: ServerAnswer? = nil) {
        let preview = server == nil ? "" : " (local preview)"
        var lines: [Line] = []
        switch server {
        case .answered(let name?)?:
            lines.append(Line("Connected to \"\(TerminalText.sanitized(name))\" (the server says)", .linked))
        case .answered(nil)?:
            lines.append(Line("Not linked to an OAuth connection (the server says)", .unlinked))
        case .asking?, .unreachable?, nil:
            if let match = result.match {
                lines.append(Line("Connected to \"\(match.connection.name)\" (audience \(HTTPURL.maskingCredentials(match.audience)))\(preview)", .linked))
            } else {
                lines.append(Line("Not linked to an OAuth connection\(preview)", .unlinked))
            }
            if case .asking? = server { lines.append(Line("Asking the server...", .muted)) }
            if case .unreachable(let reason)? = server {
                lines.append(Line("The server could not be asked: \(TerminalText.sanitized(reason))", .warning))
            }
        }
        var serverSaysLinked = false
        if case .answered(_?)? = server { serverSaysLinked = true }
        if result.match == nil && !serverSaysLinked {
            for miss in result.nearMisses.prefix(nearMisses) { lines.append(Line("Near miss\(preview): this URL \(miss.hint)", .nearMiss)) }
        }
        self.lines = lines
    }

    /// One cell of a list: `Connected to "name"`, `Not linked (near miss: "name")` or `Not linked`.
    public static func short(_ result: MatchResult) -> Line {
        if let match = result.match { return Line("Connected to \"\(match.connection.name)\"", .linked) }
        if let miss = result.nearMisses.first { return Line("Not linked (near miss: \"\(miss.connection.name)\")", .nearMiss) }
        return Line("Not linked", .unlinked)
    }
}
