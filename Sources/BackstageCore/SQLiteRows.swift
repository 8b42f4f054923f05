import GRDB
import GRDBSQLite

/// A statement's rows as SQLite hands them over, for the list reads: each column decoded where it
/// lies, without GRDB's generic decoding (~16,000 instructions a row through `Row`), and on any
/// connection, also one GRDB did not open (the console's first frame, `SQLiteStore.earlyLists`).
struct SQLiteRows {
    private let statement: OpaquePointer

    /// Runs `sql` with `arguments` bound in order, calling `row` for each row.
    static func each(_ connection: OpaquePointer, _ sql: String, _ arguments: [String] = [], _ row: (SQLiteRows) throws -> Void) throws {
        var prepared: OpaquePointer?
        var code = sqlite3_prepare_v2(connection, sql, -1, &prepared, nil)
        guard code == SQLITE_OK, let statement = prepared else { throw failure(code, connection, sql) }
        defer { sqlite3_finalize(statement) }
        for (index, argument) in arguments.enumerated() {
            code = argument.withCString { sqlite3_bind_text(statement, Int32(index + 1), $0, Int32(argument.utf8.count), SQLITE_TRANSIENT) }
            guard code == SQLITE_OK else { throw failure(code, connection, sql) }
        }
        while true {
            code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failure(code, connection, sql) }
            try row(SQLiteRows(statement: statement))
        }
    }

    /// GRDB's error, so that `SQLiteStore.translate` names the cause as for any other read.
    private static func failure(_ code: Int32, _ connection: OpaquePointer, _ sql: String) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    /// The column's text; NULL reads as empty.
    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    func bool(_ column: Int32) -> Bool { int64(column) != 0 }
}

/// SQLite copies bound text before the call returns.
private let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
