import Foundation
import GRDB

/// Where the embedded database lives and the checks made before SQLite touches it: a file that
/// is not ours is refused before anything could write to it.
public enum DatabaseFile {
    /// `PRAGMA application_id` of a backstage database ("MMBS").
    static let applicationID: Int32 = 0x4D4D_4253
    private static let sqliteMagic = Array("SQLite format 3\0".utf8)

    /// `--db`, else `BACKSTAGE_DB`, else `$XDG_DATA_HOME/backstage/backstage.sqlite`
    /// (`~/.local/share/...` when XDG_DATA_HOME is unset or not absolute).
    public static func defaultPath(environment: [String: String] = ProcessEnvironment.current) -> String {
        if let path = environment["BACKSTAGE_DB"], !path.isEmpty { return path }
        var dataHome = environment["XDG_DATA_HOME"] ?? ""
        if !dataHome.hasPrefix("/") {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            dataHome = home + "/.local/share"
        }
        return dataHome + "/backstage/backstage.sqlite"
    }

    /// Where the database is and whether backstage may create its directory: only the data
    /// directory's default is created; a path someone chose (`--db`, `BACKSTAGE_DB`) must be in
    /// a directory that exists, so a typo is not quietly a new, empty store.
    public static func location(option: String?, environment: [String: String] = ProcessEnvironment.current)
        -> (path: String, createsDirectory: Bool) {
        if let option { return (option, false) }
        if let path = environment["BACKSTAGE_DB"], !path.isEmpty { return (path, false) }
        return (defaultPath(environment: environment), true)
    }

    enum State {
        case absent, empty, ours
        /// An SQLite file without our id whose main file holds no table (a fresh database).
        case emptySQLite
        /// An SQLite file without our id in its header but with a write-ahead log: only SQLite
        /// can tell what it holds.
        case sqliteWithLog
    }

    /// Creates, if absent, the file itself (0600) and, when `createsDirectory`, its missing parent
    /// directories (0700); otherwise a missing directory is refused and named.
    static func prepare(_ path: String, createsDirectory: Bool) throws -> State {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw StoreError.unusable(path: path, reason: "it is a directory") }
            return try inspect(path)
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
            guard createsDirectory else {
                throw StoreError.unusable(path: path, reason: "the directory \(directory) does not exist; create it, or choose a file in an existing directory (backstage creates only its default data directory)")
            }
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.unusable(path: path, reason: "cannot create the folder \(directory): \(describe(error))")
            }
        }
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if descriptor < 0 {
            throw StoreError.unusable(path: path, reason: "cannot create the file: \(String(cString: strerror(errno)))")
        }
        fchmod(descriptor, 0o600) // the umask may have narrowed it; never widen beyond 0600
        close(descriptor)
        return .absent
    }

    private static func inspect(_ path: String) throws -> State {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let reason = access(path, R_OK) != 0 ? String(cString: strerror(errno)) : "cannot be opened"
            throw StoreError.unusable(path: path, reason: "cannot read it: \(reason)")
        }
        defer { try? handle.close() }
        let header: Data
        do { header = try handle.read(upToCount: 108) ?? Data() } catch {
            throw StoreError.unusable(path: path, reason: "cannot read it: \(describe(error))")
        }
        if header.isEmpty { return .empty }
        guard header.count >= 72, Array(header.prefix(16)) == sqliteMagic else {
            throw StoreError.notABackstageDatabase(path: path, reason: "not an SQLite file")
        }
        if applicationID(inHeader: Array(header)) == applicationID { return .ours }
        let log = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber
        if (log?.intValue ?? 0) > 0 { return .sqliteWithLog }
        // Page 1 holds the schema table: a leaf page (0x0D) with no cells means no tables at all.
        guard header.count >= 105, header[100] == 0x0D, header[103] == 0, header[104] == 0 else {
            throw StoreError.notABackstageDatabase(path: path, reason: "an SQLite database that backstage did not create")
        }
        return .emptySQLite
    }

    /// The application id in a file's first bytes, if they are an SQLite header.
    private static func applicationID(inHeader header: [UInt8]) -> Int32? {
        guard header.count >= 72, header.prefix(16).elementsEqual(sqliteMagic) else { return nil }
        return header[68..<72].reduce(Int32(0)) { ($0 << 8) | Int32($1) }
    }

    /// The file's header if it says backstage made it: read with the system's calls alone, for
    /// the console's first frame (`SQLiteStore.earlyLists`), which reads nothing else first.
    static func oursHeader(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var header = [UInt8](repeating: 0, count: 72)
        let count = header.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 72) }
        return count == 72 && applicationID(inHeader: header) == applicationID ? header : nil
    }

    /// A file whose header does not (yet) carry our application id but has a write-ahead log: the
    /// id may still sit in the log, and a fresh empty database is fine too. Anything else is
    /// refused. Checked read-only, so the file itself is never modified.
    static func requireOursOrEmpty(_ path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        let (applicationID, objects): (Int32, Int)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            (applicationID, objects) = try queue.read { db in
                (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0)
            }
        } catch let error as DatabaseError {
            throw StoreError.notABackstageDatabase(path: path, reason: "SQLite cannot read it: \(error.message ?? "\(error.resultCode)")")
        }
        if applicationID != Self.applicationID && objects > 0 {
            throw StoreError.notABackstageDatabase(path: path, reason: "an SQLite database that backstage did not create")
        }
    }

    static func describe(_ error: Error) -> String {
        if let error = error as? CocoaError, let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return (error as NSError).localizedDescription
    }
}
