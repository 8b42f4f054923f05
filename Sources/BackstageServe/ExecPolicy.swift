/// Which CLI subcommands an SSH `exec` (or OpenSSH's `SSH_ORIGINAL_COMMAND`) may run, and which
/// options it may not give: nothing that names a path, a store, a server or an identity, since
/// those are the server's to choose. Import reads standard input; export writes standard output.
public enum ExecPolicy {
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Subcommand paths that may run.
    public static let allowed: [[String]] = [
        ["connections", "list"], ["connections", "show"], ["connections", "add"], ["connections", "edit"],
        ["connections", "delete"], ["connections", "validate"],
        ["commands", "list"], ["commands", "show"], ["commands", "add"], ["commands", "edit"], ["commands", "delete"],
        ["commands", "regen-token"], ["commands", "match"], ["commands", "run"],
        ["doctor"], ["export"], ["import"],
    ]

    /// Options that name a path, a store, a server or an identity.
    public static let refusedOptions: Set<String> = [
        "--db", "--log", "--token-file", "--ca-file", "--server", "--profile", "--actor", "--out", "--theme",
        "--host-key", "--authorized-keys", "--listen",
    ]

    /// The arguments to give the CLI for `words` (as split by `ShellWords`), or why not.
    /// `import` gets standard input as its file.
    public static func arguments(for words: [String]) throws -> [String] {
        guard let first = words.first else {
            throw Refusal("no command given; this server runs backstage subcommands only: \(summary)")
        }
        if first == "--help" || first == "help" { return ["--help"] }
        if first == "--version" { return ["--version"] }
        guard let path = allowed.filter({ words.starts(with: $0) }).max(by: { $0.count < $1.count }) else {
            let shown = words.prefix(2).joined(separator: " ")
            throw Refusal("\"\(shown)\" is not a command this server runs; allowed: \(summary)")
        }
        for word in words.dropFirst(path.count) {
            let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
            if refusedOptions.contains(name) {
                throw Refusal("\(name) is not allowed over SSH: the server chooses paths, the store, the server and who you are")
            }
        }
        if path == ["import"] {
            var positional: [String] = []
            var rest = words.dropFirst().makeIterator()
            while let word = rest.next() {
                if importValueOptions.contains(word) { _ = rest.next() } else if !word.hasPrefix("-") || word == "-" { positional.append(word) }
            }
            if positional.isEmpty { return words + ["/dev/stdin"] }
            if positional == ["-"] { return words.map { $0 == "-" ? "/dev/stdin" : $0 } }
            throw Refusal("import reads standard input over SSH: ssh … import < FILE")
        }
        return words
    }

    /// import's options that take the next word as their value.
    static let importValueOptions: Set<String> = ["--team", "--connect-timeout", "--timeout"]

    static var summary: String {
        allowed.map { $0.joined(separator: " ") }.joined(separator: ", ")
    }
}
