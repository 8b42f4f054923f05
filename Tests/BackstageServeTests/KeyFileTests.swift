import Foundation
import Synchronization
import Testing
@testable import BackstageServe

@Suite struct KeyFileTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    func write(_ text: String, to path: String, mode: mode_t = 0o600) throws {
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, mode)
    }

    @Test func aFileOthersMayWriteIsRefusedAndABrokenOneKeepsTheLastGood() throws {
        let path = NSTemporaryDirectory() + "backstage-keys-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let captured = Lines()
        let log = ServeLog { line in captured.lines.withLock { $0.append(line) } }

        try write("\(AuthorizedKeysTests.alice) alice@a\n", to: path, mode: 0o664)
        #expect { try KeyFile(path: path, log: log) } throws: { "\($0)".contains("group or others may write it") }

        chmod(path, 0o600)
        let keys = try KeyFile(path: path, log: log)
        #expect(captured.all.last?.contains(": alice") == true)
        try write("\(AuthorizedKeysTests.alice) alice@a\n\(AuthorizedKeysTests.bob) Bob@b\n", to: path)
        #expect(keys.reload(log: log).keys.map(\.name) == ["alice"])
        #expect(captured.all.last?.contains("keeping the last good authorized keys") == true)
        #expect(captured.all.last?.contains("line 2") == true)

        try write("\(AuthorizedKeysTests.bob) bob@b\n", to: path, mode: 0o622)
        #expect(keys.reload(log: log).keys.map(\.name) == ["alice"])
        chmod(path, 0o600)
        #expect(keys.reload(log: log).keys.map(\.name) == ["bob"])
    }
}
