import BackstageCore
import Foundation

/// Impact of a change and the health check at scale: both must stay instant with 10,000
/// connections (10 audiences each) and 10,000 commands.
enum HealthFigures {
    static func rows(connections list: [OutgoingOAuthConnection]) -> [String] {
        let count = list.count
        let commands = (0..<count).map { index in
            SlashCommand(id: String(format: "s%025d", index), teamId: "team", trigger: "cmd\(index)",
                         url: index % 10 == 0 ? "https://SVC\(index).example.com/api/v1/x" : "https://svc\(index).example.com/api/v\(index % 10)/run")
        }
        func milliseconds(_ body: () -> Int) -> String {
            let start = ContinuousClock.now
            _ = body()
            let elapsed = ContinuousClock.now - start
            return String(format: "%.1f", Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        var linkage: Linkage?
        let build = milliseconds {
            linkage = Linkage(connections: list, commands: commands, teamNames: ["team": "ops"])
            return 0
        }
        var narrowed = list[count / 2]
        narrowed.audiences = ["https://elsewhere.example.com/"]
        let impactEdit = milliseconds { linkage!.impact(of: .save(narrowed)).changes.count }
        let impactDelete = milliseconds { linkage!.impact(of: .delete(id: list[count / 3].id)).changes.count }
        // Given the linkage the console (or the CLI) has already built.
        let doctor = milliseconds { Doctor.check(linkage!, connections: list, isServer: false, now: Milliseconds.now()).findings.count }
        let size = "\(count) connections, \(count) commands"
        return [
            "| linkage (every command resolved) | \(size) | \(build) | ms |",
            "| impact of an audience edit | \(size) | \(impactEdit) | ms |",
            "| impact of a delete | \(size) | \(impactDelete) | ms |",
            "| doctor, given the linkage (every finding) | \(size) | \(doctor) | ms |",
        ]
    }
}
