import Foundation

/// The process's environment, read once. `ProcessInfo.processInfo.environment` builds a new
/// dictionary on every read (one CLI call read it six times), and its first use sets up
/// ProcessInfo and makes a dynamic cast that scans every protocol conformance in the binary
/// (issue 18). Nothing in backstage sets a variable while it runs.
public enum ProcessEnvironment {
    public static let current: [String: String] = read(environ)

    /// `NAME=value` entries as ProcessInfo reads them: split at the first `=`, an entry without
    /// one skipped, the last of a repeated name kept.
    static func read(_ entries: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> [String: String] {
        var variables: [String: String] = [:]
        guard var entry = entries else { return variables }
        while let text = entry.pointee {
            if let equals = strchr(text, 0x3D) {
                let name = UnsafeRawBufferPointer(start: text, count: text.distance(to: equals))
                variables[String(decoding: name, as: UTF8.self)] = String(cString: equals + 1)
            }
            entry += 1
        }
        return variables
    }
}
