import Foundation

/// A fresh folder under the system temp dir, removed by `cleanup()`.
struct TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "backstage-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

func permissions(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

func bytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }
