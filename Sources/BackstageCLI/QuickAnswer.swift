import ArgumentParser

/// The one-item answers scripts ask for most: `connections validate NAME`, `connections show NAME`,
/// `commands show TRIGGER` and `commands match URL`, each with `--json` and the local store's
/// options (those before or between the names too), read as `PlainArguments`. The command made is
/// the one the parser would make, and runs the same way. Anything else (`--json` before the names,
/// `--all`, `--server`, `--help`…) returns nil and takes the full way.
enum QuickAnswer {
    static func command(_ arguments: [String], environment: [String: String]) -> (any AsyncParsableCommand)? {
        guard PlainArguments.allowed(in: environment) else { return nil }
        // The store options may come before either name too (every level has them); the rest after both.
        var rest = arguments[...]
        var leading: [String] = []
        var names: [String] = []
        while names.count < 2, let argument = rest.popFirst() {
            guard argument.hasPrefix("-") else { names.append(argument); continue }
            leading.append(argument)
            if PlainArguments.storeValued.contains(argument), let value = rest.popFirst() { leading.append(value) }
        }
        guard names.count == 2, PlainArguments(leading[...], valued: PlainArguments.storeValued, flags: PlainArguments.storeFlags) != nil,
              let plain = PlainArguments((leading + rest)[...], valued: PlainArguments.storeValued,
                                         flags: PlainArguments.storeFlags.union(["--json"]), positionals: 1),
              let item = plain.positionals.first else { return nil }
        let json = plain.flags.contains("--json")
        switch (names[0], names[1]) {
        case ("connections", "validate"): return ConnectionsCommand.Validate(saved: item, json: json, global: plain.global)
        case ("connections", "show"): return ConnectionsCommand.Show(nameOrId: item, json: json, global: plain.global)
        case ("commands", "show"): return CommandsCommand.Show(triggerOrId: item, json: json, global: plain.global)
        case ("commands", "match"): return CommandsCommand.Match(url: item, json: json, global: plain.global)
        default: return nil
        }
    }
}
