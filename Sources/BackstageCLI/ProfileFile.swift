import BackstageCore
import Foundation
import Yams

/// `profiles.yaml`: named servers for admins with several. Parsed whole and strictly, so a typo is
/// reported with its line instead of silently sending commands (or a token) to the wrong place.
/// It never holds a token, only the path of a private file that does.
struct ProfileFile: Sendable {
    struct Profile: Sendable, Equatable {
        let name: String
        let server: String
        let team: String?
        /// Absolute: `~` expanded, a relative path taken from the profile file's folder.
        let tokenFile: String?
        /// 1-based line of the profile's name in the file.
        let line: Int
    }

    let path: String
    /// In the file's order.
    let profiles: [Profile]

    static let knownKeys = ["server", "team", "token_file"]
    /// Keys that would put the token itself in a file that is read, copied and shared like config.
    static let secretKeys: Set<String> = ["token", "access_token", "pat", "password"]

    static let example = """
        # profiles.yaml: one entry per server; the token itself lives in its own file (chmod 600)
        profiles:
          prod:
            server: https://mattermost.example.com
            team: engineering
            token_file: ~/.config/backstage/prod.token
          staging:
            server: https://mm-staging.example.com
            team: eng
            token_file: ~/.config/backstage/staging.token
        """

    /// `$XDG_CONFIG_HOME/backstage/profiles.yaml`, else `~/.config/backstage/profiles.yaml`.
    static func defaultPath(environment: [String: String] = ProcessEnvironment.current) -> String {
        var configHome = environment["XDG_CONFIG_HOME"] ?? ""
        // The XDG spec ignores a relative value.
        if !configHome.hasPrefix("/") { configHome = home(environment) + "/.config" }
        return configHome + "/backstage/profiles.yaml"
    }

    static func home(_ environment: [String: String]) -> String {
        environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }

    /// Reads and checks the file at `path`; every refusal names the file (and the line, if any).
    static func load(path: String, environment: [String: String] = ProcessEnvironment.current) throws -> ProfileFile {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw refusal("\(path) does not exist; create it to use profiles (`backstage profiles list` shows an example)")
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw refusal("\(path) is not a regular file") }
        // Whoever can change it can point the token at their own server.
        guard info.st_mode & 0o022 == 0 else {
            throw refusal("\(path) can be changed by other users; chmod go-w \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw refusal("\(path) cannot be read") }
        guard let text = String(data: data, encoding: .utf8) else { throw refusal("\(path) is not UTF-8 text") }
        return try parse(text, path: path, home: home(environment))
    }

    static func parse(_ text: String, path: String, home: String) throws -> ProfileFile {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count - (text.hasSuffix("\n") ? 1 : 0)
            throw syntaxRefusal(error, path: path, lineCount: lineCount)
        }
        guard let root else { return ProfileFile(path: path, profiles: []) }
        guard let top = root.mapping else {
            throw refusal(at: root, path, "expected \"profiles:\" with one entry per profile")
        }
        var profilesNode: Node?
        for (key, value) in top {
            let name = try keyName(key, path)
            try refuseSecret(name, key, path)
            guard name == "profiles" else {
                throw refusal(at: key, path, "unknown key \"\(name)\"; the file holds only \"profiles\"")
            }
            profilesNode = value
        }
        guard let profilesNode, profilesNode.null == nil else { return ProfileFile(path: path, profiles: []) }
        guard let entries = profilesNode.mapping else {
            throw refusal(at: profilesNode, path, "\"profiles\" must map each profile's name to its server, team and token_file")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let profiles = try entries.map { key, value in
            try profile(named: try keyName(key, path), at: key, value, path: path, home: home, folder: folder)
        }
        return ProfileFile(path: path, profiles: profiles)
    }

    func profile(named name: String) throws -> Profile {
        if let found = profiles.first(where: { $0.name == name }) { return found }
        let known = profiles.isEmpty ? "it defines none" : "known: " + profiles.map(\.name).joined(separator: ", ")
        throw ProfileFile.refusal("\(path): no profile \"\(name)\"; \(known)")
    }

    // MARK: Pieces

    private static func profile(
        named name: String, at key: Node, _ value: Node, path: String, home: String, folder: String
    ) throws -> Profile {
        let line = key.mark?.line ?? 1
        try refuseSecret(name, key, path)
        guard let fields = value.mapping else {
            throw refusal(at: key, path, "profile \"\(name)\" must map server, team and token_file to their values")
        }
        var values: [String: String] = [:]
        for (fieldKey, fieldValue) in fields {
            let field = try keyName(fieldKey, path)
            try refuseSecret(field, fieldKey, path)
            guard knownKeys.contains(field) else {
                throw refusal(at: fieldKey, path, "unknown key \"\(field)\" in profile \"\(name)\"; known keys: \(knownKeys.joined(separator: ", "))")
            }
            if fieldValue.null != nil { continue }
            guard let scalar = fieldValue.scalar?.string else {
                throw refusal(at: fieldKey, path, "\"\(field)\" in profile \"\(name)\" must be a single value")
            }
            if !scalar.isEmpty { values[field] = scalar }
        }
        guard let server = values["server"] else {
            throw refusal(at: key, path, "profile \"\(name)\" has no server (add server: https://...)")
        }
        guard HTTPURL.isValid(server) else {
            throw refusal(at: key, path, "profile \"\(name)\": server must be an http:// or https:// URL")
        }
        var tokenFile: String?
        if let raw = values["token_file"] {
            guard let resolved = resolve(raw, home: home, folder: folder) else {
                throw refusal(at: key, path, "profile \"\(name)\": token_file may start with ~/ (your home) but not ~user")
            }
            tokenFile = resolved
        }
        return Profile(name: name, server: server, team: values["team"], tokenFile: tokenFile, line: line)
    }

    /// `~` is $HOME; a relative path is the profile file's neighbour, wherever backstage runs from.
    static func resolve(_ raw: String, home: String, folder: String) -> String? {
        if raw == "~" { return home }
        if raw.hasPrefix("~/") { return home + raw.dropFirst() }
        if raw.hasPrefix("~") { return nil }
        if raw.hasPrefix("/") { return raw }
        return URL(fileURLWithPath: folder).appendingPathComponent(raw).standardizedFileURL.path
    }

    private static func keyName(_ key: Node, _ path: String) throws -> String {
        guard let name = key.scalar?.string, !name.isEmpty else { throw refusal(at: key, path, "a key must be a plain name") }
        return name
    }

    private static func refuseSecret(_ name: String, _ key: Node, _ path: String) throws {
        guard secretKeys.contains(name.lowercased()) else { return }
        throw refusal(at: key, path, "a profile holds token_file, never the token itself (found \"\(name)\"); put the token in a file of mode 600")
    }

    private static func syntaxRefusal(_ error: YamlError, path: String, lineCount: Int) -> CLIFailure {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            // libyaml may place the mark just past the last line (an unclosed bracket); name a real line.
            let line = min(mark.line, max(lineCount, 1))
            let opened = context.map { "; \($0.text) from line \($0.mark.line)" } ?? ""
            return refusal("\(path) line \(line): not valid YAML: \(problem)\(opened)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return refusal("\(path) line \(context.mark.line): \(duplicates.sorted().joined(separator: ", ")) given twice")
        case let .reader(problem, _, _, _):
            return refusal("\(path): not readable as YAML: \(problem)")
        default:
            return refusal("\(path): not readable as YAML")
        }
    }

    private static func refusal(at node: Node, _ path: String, _ message: String) -> CLIFailure {
        refusal("\(path) line \(node.mark?.line ?? 1): \(message)")
    }

    static func refusal(_ message: String) -> CLIFailure {
        CLIFailure(message: message, status: ExitStatus.invalidInput)
    }
}
