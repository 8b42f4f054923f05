import Foundation

/// The authorized_keys file, re-read at each login: a file that no longer parses (or that group
/// or others may write) leaves the last good version in force, and says why in the log.
final class KeyFile: @unchecked Sendable {
    let path: String
    private let lock = NSLock()
    private var current: AuthorizedKeys
    private var lastProblem: String?

    /// The first read must succeed: the server does not start on a file it cannot use.
    init(path: String, log: ServeLog) throws {
        self.path = path
        current = try Self.read(path)
        for skipped in current.skipped { log.line(skipped) }
        let names = current.keys.map { $0.readOnly ? "\($0.name) (read-only)" : $0.name }
        log.line("authorized keys \(path): \(names.isEmpty ? "no admin yet" : names.joined(separator: ", "))")
    }

    /// The keys now: freshly read, or the last good version.
    func reload(log: ServeLog) -> AuthorizedKeys {
        do {
            let keys = try Self.read(path)
            lock.withLock {
                let changed = keys != current
                current = keys
                lastProblem = nil
                if changed { for skipped in keys.skipped { log.line(skipped) } }
            }
            return keys
        } catch {
            let problem = "\(error)"
            return lock.withLock {
                if lastProblem != problem { log.line("keeping the last good authorized keys: \(problem)") }
                lastProblem = problem
                return current
            }
        }
    }

    static func read(_ path: String) throws -> AuthorizedKeys {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw AuthorizedKeys.Refusal("cannot read the authorized keys \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & 0o022 == 0 else {
            throw AuthorizedKeys.Refusal("refusing the authorized keys \(path): group or others may write it (mode \(String(info.st_mode & 0o777, radix: 8))); chmod go-w \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuthorizedKeys.Refusal("cannot read the authorized keys \(path)")
        }
        return try AuthorizedKeys.parse(String(decoding: data, as: UTF8.self), file: path)
    }
}
