// Usage: floor-libraries --db FILE. The floor with backstage's libraries, for the first-frame
// figures (benchmarks/terminal.py, issue 18): benchmarks/floor's program (the connections' names
// read with SQLite's C API and drawn with ncursesw, any key ends it) in a binary that carries all
// of backstage (Foundation, GRDB, NIO, AsyncHTTPClient, the SSH server, ArgumentParser, Yams) and
// is linked as its release is. Beside floor-foundation it shows what carrying those libraries costs
// a start before any of them is used; beside backstage, what using them and our own work cost.
import BackstageCLI
import CNCursesW
import Foundation
import GRDBSQLite

if CommandLine.arguments.dropFirst().first == "--backstage" {
    // Never taken by the benchmarks: it keeps the whole of backstage linked in.
    Task { exit(await BackstageCommand.runMain()) }
    dispatchMain()
}
setlocale(LC_ALL, "")
_ = ProcessInfo.processInfo.environment["HOME"]
var db: OpaquePointer?
guard CommandLine.arguments.count > 2, sqlite3_open_v2(CommandLine.arguments[2], &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { exit(2) }
var statement: OpaquePointer?
sqlite3_prepare_v2(db, "SELECT name FROM outgoing_oauth_connections ORDER BY name", -1, &statement, nil)
var names: [String] = []
while sqlite3_step(statement) == SQLITE_ROW { names.append(String(cString: sqlite3_column_text(statement, 0))) }
initscr()
raw()
noecho()
keypad(backstage_stdscr(), true)
mvaddstr(0, 0, " backstage · Integrations")
for (row, name) in names.prefix(Int(backstage_lines()) - 3).enumerated() { mvaddstr(Int32(row + 2), 1, name) }
refresh()
_ = getch()
endwin()
