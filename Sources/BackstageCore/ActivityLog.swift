import Foundation

/// An append-only record of what was done: one line per save, delete, validate and test-fire,
/// naming the item, the host it talks to and the outcome. Never a secret or a token: lines are
/// built only from names, ids, hosts and outcome text, and server text is sanitised.
///
/// The file is created 0600; an existing file that group or others may read or write, that is
/// not a regular file (a symlink, a FIFO) or that belongs to someone else is refused, never
/// silently used or re-permissioned. Each line is one `write` to an O_APPEND descriptor, so two
/// admins logging to one file never interleave within a line. Writing is best effort once open:
/// a full disk must not stop a save.
public final class ActivityLog: Sendable {
    public let path: String
    private let descriptor: Int32
    private let user: String

    public struct RefusedFile: Error, CustomStringConvertible {
        public let description: String
    }

    /// `actor`: the admin named by `--actor`/`BACKSTAGE_ACTOR` (attribution, not authentication);
    /// without one, the login user.
    public init(path: String, actor: String? = nil) throws {
        self.path = path
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0o600)
        guard fd >= 0 else {
            let reason = errno == ELOOP ? "it is a symbolic link" : String(cString: strerror(errno))
            throw RefusedFile(description: "cannot open the log file \(path): \(reason)")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw RefusedFile(description: "cannot read the log file \(path): \(String(cString: strerror(errno)))")
        }
        let problem: String?
        if info.st_mode & S_IFMT != S_IFREG {
            problem = "it is not a regular file"
        } else if info.st_uid != geteuid() {
            problem = "it belongs to another user"
        } else if info.st_mode & 0o077 != 0 {
            problem = "others may read or write it (mode \(String(info.st_mode & 0o777, radix: 8))); chmod 600 \(path)"
        } else {
            problem = nil
        }
        if let problem {
            close(fd)
            throw RefusedFile(description: "refusing the log file \(path): \(problem)")
        }
        descriptor = fd
        let login = getpwuid(geteuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } }
        user = TerminalText.sanitized(actor ?? ProcessEnvironment.current["USER"] ?? login ?? "uid \(geteuid())")
    }

    deinit { close(descriptor) }

    /// `2026-11-29T10:00:00.123Z alice <action> <subject> host=<host> <outcome>`.
    public func record(_ action: String, _ subject: String, host: String?, outcome: String = "ok") {
        let time = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
        var line = "\(time) \(user) \(action) \(Self.clean(subject, limit: 300))"
        if let host { line += " host=\(Self.clean(host, limit: 255))" }
        line += " " + Self.clean(outcome, limit: 500) + "\n"
        line.utf8CString.withUnsafeBufferPointer { bytes in
            _ = write(descriptor, bytes.baseAddress, bytes.count - 1)
        }
    }

    /// One line, no control characters, bounded.
    static func clean(_ text: String, limit: Int) -> String {
        let sanitized = TerminalText.sanitized(text)
        guard sanitized.unicodeScalars.count > limit else { return sanitized }
        return String(String.UnicodeScalarView(sanitized.unicodeScalars.prefix(limit))) + "…"
    }

    public static func host(of url: String) -> String { URL(string: url)?.host ?? url }

    public static func subject(_ connection: OutgoingOAuthConnection) -> String {
        "connection \"\(connection.name)\" (id \(connection.id))"
    }

    public static func subject(_ command: SlashCommand) -> String {
        "command /\(command.trigger) (id \(command.id))"
    }
}

extension ActivityLog {
    /// A Validate (saved or not): the outcome without the token.
    public func validated(_ connection: OutgoingOAuthConnection, ok: Bool, detail: String) {
        let subject = connection.id.isEmpty ? "unsaved connection \"\(connection.name)\"" : Self.subject(connection)
        record("validated", subject, host: Self.host(of: connection.oauthTokenURL), outcome: ok ? "ok: \(detail)" : "failed: \(detail)")
    }

    /// A test-fire: the OAuth step and the command's answer.
    public func testFired(_ result: TestFireResult) {
        let oauth: String
        switch result.oauth {
        case .notLinked: oauth = "not linked"
        case .obtained(let connection, _, _, _, _, _): oauth = "token from \"\(connection.name)\""
        case .failed(let connection, _, let reason): oauth = "token from \"\(connection.name)\" failed: \(reason)"
        case .skipped(let connection, _, _): oauth = "token from \"\(connection.name)\" skipped (no secret given)"
        }
        let answer: String
        switch result.outcome {
        // The status only: a reason phrase is the receiver's free text.
        case .answered(let status, _, _, _, _): answer = "\(status)"
        case .failed(let message, let cause): answer = "\(message) \(cause)"
        }
        record("test-fired", Self.subject(result.command), host: Self.host(of: result.url), outcome: "oauth: \(oauth); answer: \(answer)")
    }
}
