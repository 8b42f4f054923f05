import BackstageCore
import Foundation
import Testing
@testable import BackstageApp

/// How the console's first load comes: read early on a connection of its own, or, when that cannot
/// read the file, through the store once it is open.
@Suite("First load")
struct FirstLoadTests {
    static func folder() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("first-load-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func aFileReadEarlyNeedsNoStore() async throws {
        let path = try Self.folder() + "/db.sqlite"
        _ = try await SQLiteStore(path: path).createConnection(OutgoingOAuthConnection(name: "Early", clientId: "c", clientSecret: Secret("s"),
                                                                                       oauthTokenURL: "https://idp.example.com/token",
                                                                                       audiences: ["https://ci.example.com/*"]))
        let firstLoad = FirstLoad()
        firstLoad.readEarly(path: path)
        #expect(firstLoad.earlyReadBrings())
        #expect(firstLoad.wait()?.lists?.connections.map(\.name) == ["Early"])
    }

    /// No file yet (the store makes it): the console asks for the store first, and the lists come
    /// from it once it is open.
    @Test func whatTheEarlyReadCannotReadTheStoreReads() async throws {
        let path = try Self.folder() + "/db.sqlite"
        let firstLoad = FirstLoad()
        firstLoad.readEarly(path: path)
        #expect(!firstLoad.earlyReadBrings())
        #expect(!FileManager.default.fileExists(atPath: path))
        let store = try SQLiteStore(path: path)
        _ = try await store.createConnection(OutgoingOAuthConnection(name: "Made later", clientId: "c", clientSecret: Secret("s"),
                                                                     oauthTokenURL: "https://idp.example.com/token", audiences: ["https://ci.example.com/*"]))
        await firstLoad.storeOpened(store)
        #expect(firstLoad.wait()?.lists?.connections.map(\.name) == ["Made later"])
    }

    /// A wait that watches for the lists (the console's thread on a core of its own) gets them
    /// whether they come while it watches or after, when it sleeps; and learns of a failed read.
    @Test(arguments: [(spin: Duration.milliseconds(200), readAfter: 5), (spin: .milliseconds(1), readAfter: 20)])
    func aSpinningWaitGetsTheLists(spin: Duration, readAfter milliseconds: Int) async throws {
        let path = try Self.folder() + "/db.sqlite"
        _ = try await SQLiteStore(path: path).createConnection(OutgoingOAuthConnection(name: "Watched", clientId: "c", clientSecret: Secret("s"),
                                                                                       oauthTokenURL: "https://idp.example.com/token",
                                                                                       audiences: ["https://ci.example.com/*"]))
        let firstLoad = FirstLoad(spin: spin)
        let reader = Thread {
            usleep(useconds_t(milliseconds * 1000))
            firstLoad.readEarly(path: path)
        }
        reader.start()
        #expect(firstLoad.earlyReadBrings())
        #expect(firstLoad.wait()?.lists?.connections.map(\.name) == ["Watched"])

        let missing = FirstLoad(spin: .milliseconds(200))
        let failing = Thread {
            usleep(5000)
            missing.readEarly(path: path + ".none")
        }
        failing.start()
        #expect(!missing.earlyReadBrings())
    }

    /// The console ended before the read: nothing is read, early or through the store.
    @Test func anInterruptedFirstLoadReadsNothing() async throws {
        let path = try Self.folder() + "/db.sqlite"
        let store = try SQLiteStore(path: path)
        let firstLoad = FirstLoad()
        firstLoad.interrupt()
        firstLoad.readEarly(path: path)
        await firstLoad.storeOpened(store)
        #expect(!firstLoad.earlyReadBrings())
        #expect(firstLoad.wait() == nil)
    }
}

extension Msg {
    /// The lists a load brings.
    var lists: StoreSnapshot? {
        switch self {
        case .loaded(let snapshot): return snapshot
        case .loadPrepared(let prepared): return prepared.snapshot
        default: return nil
        }
    }
}
