import BackstageCore
import Foundation

/// What server mode talks to once a profile and the explicit options are combined.
struct ServerTarget {
    var server: String?
    var team: String?
    var tokenFile: String?
    /// The profile in use, if any, and the file it came from (for messages).
    var profile: ProfileFile.Profile?
    var profilePath: String = ""
}

extension GlobalOptions {
    /// `--profile NAME`, else `$BACKSTAGE_PROFILE`, or nil. An explicit `--server` ignores the
    /// environment's default, so a default profile's token never goes to a server named by hand;
    /// `--profile ''` turns the default off.
    var requestedProfile: String? {
        if let profile { return profile.isEmpty ? nil : profile }
        guard serverOption == nil else { return nil }
        guard let name = ProcessEnvironment.current["BACKSTAGE_PROFILE"], !name.isEmpty else { return nil }
        return name
    }

    /// The profile's server, team and token file under the explicit options; throws the profile
    /// file's refusal (naming the file and line) when a profile is asked for and cannot be used.
    func serverTarget() throws -> ServerTarget {
        let explicit = ServerTarget(server: serverOption, team: teamOption, tokenFile: tokenFileOption)
        guard let name = requestedProfile else { return explicit }
        let environment = ProcessEnvironment.current
        let file = try ProfileFile.load(path: ProfileFile.defaultPath(environment: environment), environment: environment)
        let profile = try file.profile(named: name)
        return ServerTarget(
            server: serverOption ?? profile.server, team: teamOption ?? profile.team,
            tokenFile: tokenFileOption ?? profile.tokenFile, profile: profile, profilePath: file.path)
    }

    /// The server in effect. A profile that cannot be read still means server mode (""), so no
    /// command quietly falls back to the local store; opening the store then reports why.
    public var server: String? {
        if let serverOption { return serverOption }
        guard requestedProfile != nil else { return nil }
        return (try? serverTarget())?.server ?? ""
    }

    /// The team in effect: `--team`, else the profile's.
    public var team: String? {
        if let teamOption { return teamOption }
        guard requestedProfile != nil else { return nil }
        return (try? serverTarget())?.team
    }

    /// The token file in effect: `--token-file`, else the profile's.
    public var tokenFile: String? {
        if let tokenFileOption { return tokenFileOption }
        guard requestedProfile != nil else { return nil }
        return (try? serverTarget())?.tokenFile
    }
}

extension ProfileFile {
    /// Profile names for shell completion of `--profile`; silent when the file is missing or broken.
    static func completions(prefix: String) -> [String] {
        guard let file = try? load(path: defaultPath()) else { return [] }
        return file.profiles.map(\.name).filter { $0.hasPrefix(prefix) }
    }
}
