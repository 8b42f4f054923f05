import Foundation

/// The process's environment, read once. `ProcessInfo.processInfo.environment` builds a new
/// dictionary from `environ` on every read, and one CLI call read it six times (issue 18).
/// Nothing in backstage sets a variable while it runs.
public enum ProcessEnvironment {
    public static let current: [String: String] = ProcessInfo.processInfo.environment
}
