import Foundation
import Synchronization
import Testing
@testable import BackstageServe

@Suite struct ServeLogTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    @Test func failedLoginsAreLoggedAtMostTenAMinutePerAddress() {
        let captured = Lines()
        let log = ServeLog { line in captured.lines.withLock { $0.append(line) } }
        let scanner = ServeLog.Who(address: "192.0.2.7:40000")
        for attempt in 0..<25 { log.failure("login refused: unknown key (attempt \(attempt))", scanner) }
        log.failure("login refused: unknown key", ServeLog.Who(address: "198.51.100.1:5000"))
        #expect(captured.all.count == 11)
        #expect(captured.all.filter { $0.contains("addr=192.0.2.7") }.count == 10)
        #expect(captured.all.last?.contains("addr=198.51.100.1:5000") == true)
    }

    @Test func eachLineNamesWhoAndCleansClientText() {
        let captured = Lines()
        let log = ServeLog { line in captured.lines.withLock { $0.append(line) } }
        log.line("exec \u{1B}[2Jconnections list\u{7}", ServeLog.Who(address: "127.0.0.1:1", fingerprint: "SHA256:abc", admin: "alice", session: 3))
        let line = captured.all.first ?? ""
        #expect(line.contains(" addr=127.0.0.1:1 key=SHA256:abc admin=alice session=3 exec "), "\(line)")
        #expect(!line.dropLast().contains { $0.asciiValue.map { $0 < 0x20 } ?? false }, "\(line)")
        #expect(line.hasSuffix("\n"))
    }
}
