import BackstageCore
import Foundation

/// `backstage-bench saves --db PATH [--count N]`: creates N connections one by one through the
/// embedded store and prints each id as soon as its save has returned (stdout flushed per line),
/// then "saves/s" on stderr. The crash-safety test kills it mid-run and checks every printed id.
enum SavesMode {
    static func run(_ arguments: [String]) async -> Int32 {
        var db: String?
        var count = 1_000
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            switch flag {
            case "--db": db = rest.popFirst()
            case "--count": count = rest.popFirst().flatMap(Int.init) ?? -1
            default: count = -1
            }
        }
        guard let db, count > 0 else {
            FileHandle.standardError.write(Data("usage: backstage-bench saves --db PATH [--count N]\n".utf8))
            return 64
        }
        do {
            let store = try SQLiteStore(path: db)
            let start = ContinuousClock.now
            for index in 0..<count {
                let saved = try await store.createConnection(OutgoingOAuthConnection(
                    name: "save \(index)", clientId: "client-\(index)", clientSecret: Secret("secret-\(index)"),
                    oauthTokenURL: "https://idp.example.com/token", audiences: ["https://svc\(index).example.com/*"]))
                // One write per line, unbuffered: a printed id is a save that returned.
                FileHandle.standardOutput.write(Data("\(saved.id)\n".utf8))
            }
            let elapsed = (ContinuousClock.now - start).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
            FileHandle.standardError.write(Data(String(format: "%d saves in %.2f s: %.0f saves/s\n", count, seconds, Double(count) / seconds).utf8))
            try store.close()
            return 0
        } catch {
            FileHandle.standardError.write(Data("backstage-bench: \(error)\n".utf8))
            return 1
        }
    }
}
