// Usage: floor-swift|floor-foundation|floor-libraries --db FILE. Draws the connections' names;
// any key ends it. floor-libraries also gives validate's floors (benchmarks/network.py): see
// ValidateFloor.swift. floor-foundation builds this same file (a link) with FLOOR_FOUNDATION defined;
// so does floor-libraries (Sources/floor-libraries in backstage's package, FLOOR_LIBRARIES too),
// which carries all of backstage and is linked as its release is.
#if FLOOR_LIBRARIES
import BackstageCLI
import CNCursesW
import GRDBSQLite
#else
import CFloor
#endif
#if FLOOR_FOUNDATION
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

#if FLOOR_LIBRARIES
if CommandLine.arguments.dropFirst().first == "--backstage" {
    // Never taken by the benchmarks: it keeps the whole of backstage linked in.
    exit(BlockingMain.run { await BackstageCommand.runMain() })
}
if let floor = ValidateFloor(arguments: Array(CommandLine.arguments.dropFirst())) {
    exit(BlockingMain.run { await floor.run() })
}
#endif

setlocale(LC_ALL, "")
#if FLOOR_FOUNDATION
_ = ProcessInfo.processInfo.environment["HOME"]
#endif
var db: OpaquePointer?
guard CommandLine.arguments.count > 2, sqlite3_open_v2(CommandLine.arguments[2], &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { exit(2) }
var statement: OpaquePointer?
sqlite3_prepare_v2(db, "SELECT name FROM outgoing_oauth_connections ORDER BY name", -1, &statement, nil)
var names: [String] = []
while sqlite3_step(statement) == SQLITE_ROW { names.append(String(cString: sqlite3_column_text(statement, 0))) }
initscr()
raw()
noecho()
keypad(stdscr, true)
mvaddstr(0, 0, " backstage · Integrations")
for (row, name) in names.prefix(Int(LINES) - 3).enumerated() { mvaddstr(Int32(row + 2), 1, name) }
refresh()
_ = getch()
endwin()
