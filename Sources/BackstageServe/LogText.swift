import BackstageCore

/// Text from a file or a client, made safe for one log line: sanitised and capped.
enum LogText {
    static func clean(_ text: String, limit: Int = 120) -> String {
        let sanitized = TerminalText.sanitized(text)
        guard sanitized.count > limit else { return sanitized }
        return String(sanitized.prefix(limit)) + "…"
    }
}
