/// Arguments read without swift-argument-parser, for the ways backstage is most often started (the
/// console, and the one-item answers scripts ask for): building the parser's tree and reflecting its
/// commands costs ~2 ms a start (issue 18; each dynamic cast behind it scans every protocol
/// conformance in the binary). Only the plain cases are read: `--name value`, `--name=value`, bare
/// flags and positionals. Anything else (an unknown or repeated name, a value that is empty or looks
/// like an option, `--flag=value`, `--`, a short option, too many positionals) gives nil, and the
/// caller leaves the arguments to the parser, which reads them or says what is wrong.
struct PlainArguments: Equatable {
    private(set) var values: [String: String] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positionals: [String] = []

    /// The options every store-using command shares (GlobalOptions), in their plain forms.
    static let storeValued: Set<String> = ["--db", "--team", "--log", "--actor"]
    static let storeFlags: Set<String> = ["--readonly"]

    init?(_ arguments: ArraySlice<String>, valued: Set<String>, flags known: Set<String>, positionals limit: Int = 0) {
        var rest = arguments
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("-") else {
                guard !argument.isEmpty, positionals.count < limit else { return nil }
                positionals.append(argument)
                continue
            }
            let (name, inline) = Self.split(argument)
            guard values[name] == nil, !flags.contains(name) else { return nil }
            if known.contains(name) {
                guard inline == nil else { return nil }
                flags.insert(name)
            } else if valued.contains(name) {
                guard let value = inline ?? rest.popFirst(), !value.isEmpty, !value.hasPrefix("-") else { return nil }
                values[name] = value
            } else {
                return nil
            }
        }
    }

    /// Refused at once: a default profile (a server, a YAML file) or a command sshd forwards take the full way.
    static func allowed(in environment: [String: String]) -> Bool {
        environment["SSH_ORIGINAL_COMMAND"] == nil && (environment["BACKSTAGE_PROFILE"] ?? "").isEmpty
    }

    /// `--name=value` as its name and value; anything else as it is.
    private static func split(_ argument: String) -> (name: String, value: String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    /// The store options as the parser would have read them.
    var global: GlobalOptions {
        GlobalOptions(db: values["--db"], team: values["--team"], log: values["--log"], actor: values["--actor"],
                      readonly: flags.contains("--readonly"))
    }
}
