import Foundation
import Synchronization

/// A Mattermost server keeps no record of Validate outcomes, so backstage keeps them beside its
/// data directory (`server-validations.json`, mode 0600), keyed by server URL and connection id,
/// so the Validated column means the same in both modes. A record holds a fingerprint of the
/// credentials it proved: once the Client ID, Token URL, grant or username change on the server,
/// the connection reads as not validated again, as in the local store.
public final class ServerValidationCache: Sendable {
    public let path: String
    private let lock = Mutex(())

    struct Entry: Codable, Equatable {
        let record: ValidationRecord
        let fingerprint: String
    }

    public init(path: String) {
        self.path = path
    }

    /// `$XDG_DATA_HOME/backstage/server-validations.json`, beside the default database.
    public static func defaultPath(environment: [String: String] = ProcessEnvironment.current) -> String {
        var directory = DatabaseFile.defaultPath(environment: environment.filter { $0.key != "BACKSTAGE_DB" })
        directory = (directory as NSString).deletingLastPathComponent
        return directory + "/server-validations.json"
    }

    static func key(server: String, connectionId: String) -> String { server + " " + connectionId }

    static func fingerprint(_ connection: OutgoingOAuthConnection) -> String {
        [connection.clientId, connection.oauthTokenURL, connection.grantType.rawValue, connection.credentialsUsername ?? ""]
            .joined(separator: "\u{1F}")
    }

    /// The last outcome for this connection, if its credentials are still the ones it proved.
    public func record(server: String, for connection: OutgoingOAuthConnection) -> ValidationRecord? {
        let entries = lock.withLock { _ in read() }
        guard let entry = entries[Self.key(server: server, connectionId: connection.id)],
              entry.fingerprint == Self.fingerprint(connection) else { return nil }
        return entry.record
    }

    public func store(_ record: ValidationRecord?, server: String, for connection: OutgoingOAuthConnection) throws {
        try lock.withLock { _ in
            var entries = read()
            entries[Self.key(server: server, connectionId: connection.id)] = record.map { Entry(record: $0, fingerprint: Self.fingerprint(connection)) }
            try write(entries)
        }
    }

    private func read() -> [String: Entry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        return (try? JSONDecoder().decode([String: Entry].self, from: data)) ?? [:]
    }

    /// Written whole to a private temporary file, then renamed over the old one.
    private func write(_ entries: [String: Entry]) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(entries)
        let temporary = path + ".\(getpid()).tmp"
        let descriptor = open(temporary, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw CacheError(path: path) }
        fchmod(descriptor, 0o600)
        let written = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == data.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CacheError(path: path)
        }
    }

    struct CacheError: Error, CustomStringConvertible {
        let path: String
        var description: String { "cannot write the validation cache \(path)" }
    }
}
