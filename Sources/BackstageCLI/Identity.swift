import BackstageCore
import Foundation

extension GlobalOptions {
    /// `--actor`, else `$BACKSTAGE_ACTOR`: who the activity log names. Attribution only: anyone
    /// who can run backstage can say any name; `backstage serve` and an sshd forced command set
    /// it from the key that logged in.
    func actor(environment: [String: String] = ProcessEnvironment.current) throws -> String? {
        guard let name = actorOption ?? environment["BACKSTAGE_ACTOR"].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        guard name.wholeMatch(of: #/[a-z0-9._-]{1,32}/#) != nil else {
            throw CLIFailure.invalid("actor", "--actor (or BACKSTAGE_ACTOR) must be 1–32 of a-z 0-9 . _ -")
        }
        return name
    }

    /// `--readonly`, or `BACKSTAGE_ROLE=read` (an authorized_keys environment= option).
    func isReadOnly(environment: [String: String] = ProcessEnvironment.current) throws -> Bool {
        if readonlyFlag { return true }
        switch environment["BACKSTAGE_ROLE"] {
        case nil, ""?, "write"?: return false
        case "read"?: return true
        case let other?:
            throw CLIFailure.invalid("BACKSTAGE_ROLE", "BACKSTAGE_ROLE=\(TerminalText.sanitized(other)) is neither read nor write")
        }
    }
}
