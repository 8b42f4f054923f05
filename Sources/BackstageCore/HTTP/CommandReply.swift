/// What a command's receiver sent back, whatever its status, as a person may read it: the status,
/// the size, a redirect's Location and the body, all server text sanitised.
public struct CommandReply: Sendable, Equatable {
    public let status: Int
    /// Go's `resp.Status`: the code and the reason phrase, e.g. "500 Internal Server Error".
    public let statusText: String
    public let contentType: String?
    /// The bytes read (a reply past 1 MiB is cut there, as Mattermost cuts it).
    public let byteCount: Int
    /// A redirect's target, a password in it masked. Present only for 3xx.
    public let location: String?
    /// The body as text: whole escape sequences and control characters removed, line breaks kept.
    public let body: String

    public init(status: Int, reason: String, contentType: String?, body bytes: [UInt8], location: String?) {
        self.status = status
        statusText = "\(status) \(TerminalText.sanitized(reason))".trimmingCharacters(in: .whitespaces)
        self.contentType = contentType.map(TerminalText.sanitized)
        byteCount = bytes.count
        self.location = (300..<400).contains(status) ? location.map { HTTPURL.maskingCredentials(TerminalText.sanitized($0)) } : nil
        body = TerminalText.sanitizedKeepingLines(String(decoding: bytes, as: UTF8.self))
    }

    init(_ response: OutboundResponse) {
        self.init(status: response.status, reason: response.reason, contentType: response.header("Content-Type"),
                  body: response.body, location: response.header("Location"))
    }

    public var isRedirect: Bool { (300..<400).contains(status) }

    /// "HTTP 500 Internal Server Error · 312 bytes (text/html)".
    public var headline: String {
        let size = byteCount == 0 ? "no body" : byteCount == 1 ? "1 byte" : "\(byteCount) bytes"
        return "HTTP \(statusText) · \(size)" + (contentType.map { " (\($0))" } ?? "")
    }

    /// A redirect's line: where it points, and that backstage (like Mattermost) does not go there.
    public var redirectNote: String? {
        guard isRedirect else { return nil }
        guard let location, !location.isEmpty else { return "no Location header; redirects are not followed" }
        return "Location: \(location) (redirects are not followed)"
    }

    /// The body's lines without the blank ones at its end.
    public var bodyLines: [Substring] {
        var lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines
    }
}

/// How much of a reply's body a report shows: the console a screenful, the CLI all of it.
public struct BodyLimit: Sendable, Equatable {
    /// nil: every line.
    public var lines: Int?
    /// nil: whole lines. Otherwise longer lines end in an ellipsis (a minified page is one line).
    public var lineLength: Int?

    public init(lines: Int?, lineLength: Int?) {
        self.lines = lines
        self.lineLength = lineLength
    }

    public static let whole = BodyLimit(lines: nil, lineLength: nil)
    /// The console's result overlay.
    public static let screenful = BodyLimit(lines: 20, lineLength: 400)

    /// The lines to show, each indented, and a note of what was left out.
    func apply(_ lines: [Substring], indent: String) -> [ReportLine] {
        let shown = lines.prefix(self.lines ?? lines.count)
        var report = shown.map { line -> ReportLine in
            guard let lineLength, line.count > lineLength else { return ReportLine(indent + line) }
            return ReportLine(indent + line.prefix(lineLength) + "…")
        }
        let omitted = lines.count - shown.count
        if omitted > 0 {
            report.append(ReportLine("\(indent)… \(omitted) more line\(omitted == 1 ? "" : "s") (backstage commands run shows them all)", .muted))
        }
        return report
    }
}
