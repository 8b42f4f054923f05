import BackstageCore
import Foundation

/// The personal access token for server mode: from MM_ACCESS_TOKEN or a private file, never
/// from an argument (arguments show in `ps` and shell history).
enum ServerToken {
    static func load(file: String?, environment: [String: String]) throws -> Secret {
        if let token = try inheritedToken(environment) { return token }
        if let file {
            let attributes = try? FileManager.default.attributesOfItem(atPath: file)
            guard let attributes, let data = FileManager.default.contents(atPath: file) else {
                throw CLIFailure(message: MattermostError.unreadableTokenFile(path: file).description, status: ExitStatus.invalidInput)
            }
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
            if mode & 0o077 != 0 {
                throw CLIFailure(message: MattermostError.tokenFileReadableByOthers(path: file).description, status: ExitStatus.invalidInput)
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !token.isEmpty { return Secret(token) }
        }
        if let token = environment["MM_ACCESS_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty {
            return Secret(token)
        }
        throw CLIFailure(message: MattermostError.missingToken.description, status: ExitStatus.invalidInput)
    }

    /// A console or command started by `backstage serve` gets the server's token through an
    /// inherited pipe (BACKSTAGE_TOKEN_FD), never through its arguments or environment.
    private static func inheritedToken(_ environment: [String: String]) throws -> Secret? {
        guard let text = environment["BACKSTAGE_TOKEN_FD"], let fd = Int32(text), fd > 2 else { return nil }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 65536 {
            let count = read(fd, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        close(fd)
        let token = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw CLIFailure(message: MattermostError.missingToken.description, status: ExitStatus.invalidInput) }
        return Secret(token)
    }
}
