import Foundation
import Testing

/// The embedded database file: where it is, how it is created, and what happens with a file that
/// is not (or no longer) a backstage database.
@Suite("database file")
struct DatabaseFileCLITests {
    static let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")
    static var hasSQLite3: Bool { FileManager.default.isExecutableFile(atPath: sqlite3.path) }

    /// Commands that each open the database, reading or writing.
    static let openers: [(arguments: [String], stdin: String?)] = [
        (["connections", "list"], nil),
        (["connections", "list", "--json"], nil),
        (["commands", "list"], nil),
        (["connections", "show", "Anything"], nil),
        (["commands", "match", "https://api.example.com/"], nil),
        (["connections", "add", "--name", "N", "--client-id", "c", "--token-url", "https://idp.example.com/t",
          "--audience", "https://n.example.com", "--client-secret-stdin"], "db-secret\n"),
        (["commands", "add", "--trigger", "t", "--url", "https://n.example.com/t"], nil),
    ]

    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    static func siblings(_ sandbox: Sandbox) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: sandbox.root.path).sorted()
    }

    static func permissions(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    static func runSQLite3(_ database: String, _ sql: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let result = try await CLI.run([database, sql], executable: sqlite3)
        try #require(result.status == 0, "sqlite3 failed: \(result)", sourceLocation: sourceLocation)
    }

    /// A backstage database with a connection and a command in it.
    static func populated(_ sandbox: Sandbox) async throws -> Data {
        try await sandbox.addConnection("Stored", audiences: ["https://stored.example.com/*"])
        try await sandbox.addCommand("stored", url: "https://stored.example.com/cmd")
        return try bytes(sandbox.db)
    }

    // MARK: Files that are not backstage databases

    @Test func aTextFileIsRefusedAndLeftUntouched() async throws {
        let sandbox = try Sandbox()
        let text = Data(String(repeating: "These are my notes, not a database.\n", count: 5).utf8)
        try text.write(to: URL(fileURLWithPath: sandbox.db))
        let files = try Self.siblings(sandbox)
        for (arguments, stdin) in Self.openers {
            let result = try await sandbox.bs(arguments, stdin: stdin)
            expectFailure(result, status: Exit.unusableDatabase, prefix: "backstage: \(sandbox.db) is not a backstage database",
                          containing: "left untouched")
            #expect(!result.allOutput.contains("db-secret"))
        }
        #expect(try Self.bytes(sandbox.db) == text)
        #expect(try Self.siblings(sandbox) == files, "no journal or WAL file was left next to it")
    }

    @Test func aShortBinaryFileIsRefused() async throws {
        let sandbox = try Sandbox()
        let junk = Data([0x53, 0x51, 0x4C, 0x69, 0x74, 0x65, 0x00, 0xFF, 0x01, 0x02])
        try junk.write(to: URL(fileURLWithPath: sandbox.db))
        expectFailure(try await sandbox.bs(["connections", "list"]), status: Exit.unusableDatabase,
                      prefix: "backstage: \(sandbox.db) is not a backstage database")
        #expect(try Self.bytes(sandbox.db) == junk)
    }

    @Test(.enabled(if: DatabaseFileCLITests.hasSQLite3, "needs /usr/bin/sqlite3"))
    func anotherApplicationsSQLiteDatabaseIsRefusedAndLeftUntouched() async throws {
        let sandbox = try Sandbox()
        try await Self.runSQLite3(sandbox.db, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');")
        let original = try Self.bytes(sandbox.db)
        let files = try Self.siblings(sandbox)
        for (arguments, stdin) in Self.openers {
            let result = try await sandbox.bs(arguments, stdin: stdin)
            expectFailure(result, status: Exit.unusableDatabase, prefix: "backstage: \(sandbox.db) is not a backstage database",
                          containing: "did not create")
        }
        #expect(try Self.bytes(sandbox.db) == original)
        #expect(try Self.siblings(sandbox) == files)
    }

    @Test(.enabled(if: DatabaseFileCLITests.hasSQLite3, "needs /usr/bin/sqlite3"))
    func anotherApplicationsWALDatabaseIsRefusedAndLeftUntouched() async throws {
        let sandbox = try Sandbox()
        try await Self.runSQLite3(sandbox.db, "PRAGMA journal_mode = WAL; CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');")
        let original = try Self.bytes(sandbox.db)
        let files = try Self.siblings(sandbox)
        let result = try await sandbox.bs(["connections", "list"])
        expectFailure(result, status: Exit.unusableDatabase, prefix: "backstage: \(sandbox.db) is not a backstage database",
                      containing: "left untouched")
        #expect(try Self.bytes(sandbox.db) == original)
        let after = try Self.siblings(sandbox)
        #expect(after == files) // no -wal or -shm left beside it either
    }

    @Test(.enabled(if: DatabaseFileCLITests.hasSQLite3, "needs /usr/bin/sqlite3"))
    func anEmptySQLiteDatabaseIsAdopted() async throws {
        let sandbox = try Sandbox()
        try await Self.runSQLite3(sandbox.db, "PRAGMA user_version = 0;")
        try await sandbox.addConnection("Adopted", audiences: ["https://adopted.example.com"])
        let list = try JSON.array(try await sandbox.bs(["connections", "list", "--json"]).stdout)
        #expect(list.compactMap { $0.string("name") } == ["Adopted"])
    }

    @Test func anEmptyFileBecomesADatabase() async throws {
        let sandbox = try Sandbox()
        _ = FileManager.default.createFile(atPath: sandbox.db, contents: Data(), attributes: [.posixPermissions: 0o644])
        try await sandbox.addConnection("Fresh", audiences: ["https://fresh.example.com"])
        let list = try JSON.array(try await sandbox.bs(["connections", "list", "--json"]).stdout)
        #expect(list.compactMap { $0.string("name") } == ["Fresh"])
        // It now holds a secret: only its owner may read it.
        let mode = try FileManager.default.attributesOfItem(atPath: sandbox.db)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }

    @Test func aDirectoryIsRefused() async throws {
        let sandbox = try Sandbox()
        let directory = sandbox.path("folder.sqlite")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for arguments in [["connections", "list"], ["commands", "add", "--trigger", "t", "--url", "https://x.example.com"]] {
            let result = try await sandbox.run(arguments + ["--db", directory])
            expectFailure(result, status: Exit.unusableDatabase, prefix: "backstage: cannot use the database \(directory): it is a directory")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    // MARK: Damaged backstage databases

    struct Damage: Sendable, CustomTestStringConvertible {
        let label: String
        let apply: @Sendable (Data) -> Data
        var testDescription: String { label }
    }

    /// Deterministic garbage, so a failure reproduces.
    static func garbage(_ count: Int) -> Data { Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }) }

    static let damages: [Damage] = [
        Damage(label: "truncated to 200 bytes") { Data($0.prefix(200)) },
        Damage(label: "truncated to its first page") { Data($0.prefix(4096)) },
        Damage(label: "first page garbled after the header") { data in
            var copy = data
            copy.replaceSubrange(100..<4096, with: garbage(3996))
            return copy
        },
        Damage(label: "page size field broken") { data in
            var copy = data
            copy[16] = 0x00
            copy[17] = 0x03
            return copy
        },
    ]

    @Test(arguments: damages)
    func aDamagedDatabaseIsRefusedClearly(_ damage: Damage) async throws {
        let sandbox = try Sandbox()
        let original = try await Self.populated(sandbox)
        #expect(original.count > 4096)
        let damaged = damage.apply(original)
        try damaged.write(to: URL(fileURLWithPath: sandbox.db))
        for (arguments, stdin) in Self.openers {
            let result = try await sandbox.bs(arguments, stdin: stdin)
            expectFailure(result, status: Exit.unusableDatabase, prefix: "backstage: cannot use the database \(sandbox.db): ",
                          containing: "corrupt")
        }
        #expect(try Self.bytes(sandbox.db) == damaged, "a damaged database was written to")
    }

    @Test func aDatabaseDamagedBeyondItsFirstPageIsRefusedClearly() async throws {
        let sandbox = try Sandbox()
        let original = try await Self.populated(sandbox)
        var damaged = original
        damaged.replaceSubrange(4096..<damaged.count, with: Self.garbage(damaged.count - 4096))
        try damaged.write(to: URL(fileURLWithPath: sandbox.db))
        for arguments in [["connections", "list"], ["commands", "list"], ["connections", "show", "Stored"]] {
            let result = try await sandbox.bs(arguments)
            expectFailure(result, status: Exit.unusableDatabase, prefix: "backstage: cannot use the database \(sandbox.db): ",
                          containing: "corrupt")
        }
        #expect(try Self.bytes(sandbox.db) == damaged, "a damaged database was written to")
    }

    @Test(.enabled(if: DatabaseFileCLITests.hasSQLite3, "needs /usr/bin/sqlite3"))
    func aDatabaseFromANewerBackstageIsRefused() async throws {
        let sandbox = try Sandbox()
        _ = try await Self.populated(sandbox)
        try await Self.runSQLite3(sandbox.db, "INSERT INTO grdb_migrations (identifier) VALUES ('v999-from-the-future');")
        let newer = try Self.bytes(sandbox.db)
        let result = try await sandbox.bs(["connections", "list"])
        expectFailure(result, status: Exit.unusableDatabase, prefix: "backstage: \(sandbox.db) was written by a newer backstage",
                      containing: "the file was left untouched")
        #expect(try Self.bytes(sandbox.db) == newer, "the message says the file was left untouched")
    }

    // MARK: A new database

    @Test func aNewDatabaseIsPrivate() async throws {
        let sandbox = try Sandbox()
        let path = sandbox.path("a/b/c/backstage/backstage.sqlite")
        let result = try await sandbox.run(["commands", "add", "--trigger", "t", "--url", "https://x.example.com"],
                                           environment: ["XDG_DATA_HOME": sandbox.path("a/b/c")])
        #expect(result.status == 0, "\(result)")
        for folder in ["a", "a/b", "a/b/c", "a/b/c/backstage"] {
            #expect(try Self.permissions(sandbox.path(folder)) == 0o700, "\(folder)")
        }
        #expect(try Self.permissions(path) == 0o600)
        // Reopening it keeps it private and keeps the data.
        let list = try await sandbox.run(["commands", "list", "--json", "--db", path])
        #expect(try JSON.array(list.stdout).count == 1)
        #expect(try Self.permissions(path) == 0o600)
    }

    /// A chosen file whose directory is missing is most likely a typo: refused with exit 5 and
    /// the directory named, nothing created. Only the default data directory is made.
    @Test func aChosenFileInAMissingDirectoryIsRefused() async throws {
        let sandbox = try Sandbox()
        let path = sandbox.path("nonexistent/dir/x.db")
        let missing = sandbox.path("nonexistent/dir")
        for (arguments, stdin) in Self.openers {
            let viaOption = try await sandbox.run(arguments + ["--db", path], stdin: stdin)
            expectFailure(viaOption, status: Exit.unusableDatabase, prefix: "backstage: cannot use the database \(path): the directory \(missing) does not exist")
            let viaEnvironment = try await sandbox.run(arguments, stdin: stdin, environment: ["BACKSTAGE_DB": path])
            expectFailure(viaEnvironment, status: Exit.unusableDatabase, prefix: "backstage: cannot use the database \(path): the directory \(missing) does not exist")
        }
        let console = try await sandbox.run(["--db", path])
        expectFailure(console, status: Exit.unusableDatabase, prefix: "backstage: cannot use the database \(path)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("nonexistent")))
        #expect(!FileManager.default.fileExists(atPath: sandbox.home + "/.local"), "no default store made instead")
    }

    @Test func aRefusedCommandAddCreatesNoDatabase() async throws {
        let sandbox = try Sandbox()
        let path = sandbox.path("new/never.sqlite")
        let result = try await sandbox.run(["commands", "add", "--trigger", "has space", "--url", "https://x.example.com", "--db", path])
        expectFailure(result, status: Exit.invalidInput, prefix: "backstage: trigger:")
        #expect(!FileManager.default.fileExists(atPath: path), "commands add validates before creating the database")
    }

    // MARK: Where the database is

    /// Adds a command through the environment only (no --db), then finds it at `expected`.
    static func expectDefault(
        _ sandbox: Sandbox, environment: [String: String], at expected: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let add = try await sandbox.run(["commands", "add", "--trigger", "where", "--url", "https://x.example.com"], environment: environment)
        #expect(add.status == 0, "\(add)", sourceLocation: sourceLocation)
        #expect(FileManager.default.fileExists(atPath: expected), "expected the database at \(expected)", sourceLocation: sourceLocation)
        let list = try await sandbox.run(["commands", "list", "--json", "--db", expected])
        #expect(try JSON.array(list.stdout, sourceLocation: sourceLocation).compactMap { $0.string("trigger") } == ["where"],
                sourceLocation: sourceLocation)
        #expect(try permissions(expected) == 0o600, sourceLocation: sourceLocation)
    }

    @Test func defaultPathIsUnderHome() async throws {
        let sandbox = try Sandbox()
        let expected = sandbox.home + "/.local/share/backstage/backstage.sqlite"
        try await Self.expectDefault(sandbox, environment: [:], at: expected)
        #expect(try Self.permissions(sandbox.home + "/.local/share/backstage") == 0o700)
    }

    @Test func defaultPathHonoursXDGDataHome() async throws {
        let sandbox = try Sandbox()
        let xdg = sandbox.path("xdg")
        try await Self.expectDefault(sandbox, environment: ["XDG_DATA_HOME": xdg], at: xdg + "/backstage/backstage.sqlite")
        #expect(!FileManager.default.fileExists(atPath: sandbox.home + "/.local"))
    }

    @Test func aRelativeXDGDataHomeIsIgnored() async throws {
        let sandbox = try Sandbox()
        try await Self.expectDefault(sandbox, environment: ["XDG_DATA_HOME": "relative"],
                                     at: sandbox.home + "/.local/share/backstage/backstage.sqlite")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("relative")))
    }

    @Test func backstageDBBeatsXDGDataHome() async throws {
        let sandbox = try Sandbox()
        let xdg = sandbox.path("xdg")
        let chosen = sandbox.path("env/chosen.sqlite")
        try FileManager.default.createDirectory(atPath: sandbox.path("env"), withIntermediateDirectories: true)
        try await Self.expectDefault(sandbox, environment: ["XDG_DATA_HOME": xdg, "BACKSTAGE_DB": chosen], at: chosen)
        #expect(!FileManager.default.fileExists(atPath: xdg))
    }

    @Test func anEmptyBackstageDBIsIgnored() async throws {
        let sandbox = try Sandbox()
        let xdg = sandbox.path("xdg")
        try await Self.expectDefault(sandbox, environment: ["XDG_DATA_HOME": xdg, "BACKSTAGE_DB": ""], at: xdg + "/backstage/backstage.sqlite")
    }

    @Test func dbOptionBeatsBackstageDB() async throws {
        let sandbox = try Sandbox()
        let fromEnvironment = sandbox.path("env.sqlite")
        let add = try await sandbox.run(["commands", "add", "--trigger", "t", "--url", "https://x.example.com", "--db", sandbox.db],
                                        environment: ["BACKSTAGE_DB": fromEnvironment])
        #expect(add.status == 0, "\(add)")
        #expect(FileManager.default.fileExists(atPath: sandbox.db))
        #expect(!FileManager.default.fileExists(atPath: fromEnvironment))
    }
}
