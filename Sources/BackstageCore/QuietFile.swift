import Glibc

/// A write-ahead-log database that no connection has open: SQLite keeps the `-wal` file while
/// any connection uses the database and the last one to close deletes it, and nothing then
/// writes to the main file but a connection that opens it again. Such a file can be read as
/// immutable: no log, index file or locks (issue 18: a read-only connection's first read of a log
/// database made `-wal` and `-shm`, sized and mapped the index and ran its recovery, ~0.5 ms of
/// the console's first frame). What was read counts only if the file was still quiet afterwards.
struct QuietFile {
    let path: String
    private let before: stat

    /// nil unless the header says write-ahead log and there is neither a log nor a rollback
    /// journal beside the file.
    init?(path: String, header: [UInt8]) {
        // Bytes 18 and 19: the file's read and write versions, 2 for a write-ahead log.
        guard header.count >= 20, header[18] == 2, header[19] == 2,
              !Self.exists(path + "-wal"), !Self.exists(path + "-journal") else { return nil }
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        self.path = path
        before = status
    }

    /// No connection opened the file since `init`: no log appeared, and the main file was not
    /// written, replaced or resized (a connection that came and went wrote its log into it).
    var isStillQuiet: Bool {
        var now = stat()
        guard !Self.exists(path + "-wal"), stat(path, &now) == 0 else { return false }
        return now.st_dev == before.st_dev && now.st_ino == before.st_ino && now.st_size == before.st_size
            && now.st_mtim.tv_sec == before.st_mtim.tv_sec && now.st_mtim.tv_nsec == before.st_mtim.tv_nsec
            && now.st_ctim.tv_sec == before.st_ctim.tv_sec && now.st_ctim.tv_nsec == before.st_ctim.tv_nsec
    }

    /// The file as an SQLite URI that opens it immutable (with `SQLITE_OPEN_URI`).
    var immutableURI: String { Self.uri(path) + "?immutable=1" }

    /// `file:` and the path with every byte but letters, digits, `-._~/` percent-encoded; an
    /// absolute path gets an empty authority, so that one starting with `//` stays a path.
    static func uri(_ path: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                encoded.append(byte)
            default:
                encoded += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return (path.hasPrefix("/") ? "file://" : "file:") + String(decoding: encoded, as: UTF8.self)
    }

    private static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 || errno != ENOENT
    }
}
