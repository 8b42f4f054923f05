import BackstageCore
import Foundation

/// The personal access token for server mode: from MM_ACCESS_TOKEN or a private file, never
/// from an argument (arguments show in `ps` and shell history).
enum ServerToken {
    static func load(file: String?, environment: [String: String]) throws -> Secret {
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
}
