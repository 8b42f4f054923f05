/// Rules about audiences that span connections.
public enum AudienceRules {
    /// Mattermost's message for an audience another connection already has.
    public static func alreadyTaken(_ audience: String) -> FieldError {
        FieldError("audiences", "There is already an outgoing oauth connection for the provided audience: \(audience)")
    }
}

extension AudienceRules {
    /// Why no request can ever go out under this audience, if none can: Mattermost accepts it, but
    /// every URL it covers carries a port outside 1–65535, or a `*` in its host name (only a
    /// trailing `*` is a wildcard). nil when some URL can match.
    public static func neverMatches(_ audience: String) -> String? {
        let trimmed = audience.trimmingWhitespace()
        // Most audiences have neither a port nor a * in the host: answered from the bytes, since
        // the health check asks for every audience (100,000 at scale).
        guard let loose = LooseURL(trimmed) else { return nil }
        let portInRange = loose.port.map { port in Int(port).map { (1...65535).contains($0) } ?? false } ?? true
        guard !portInRange || loose.host.utf8.contains(UInt8(ascii: "*")) else { return nil }
        let onlyTrailingStar = trimmed.hasSuffix("*") && trimmed.filter { $0 == "*" }.count == 1
        for warning in HTTPURL.warnings(in: trimmed) {
            switch warning {
            case .portOutOfRange(let port):
                return "its port \(port) is not between 1 and 65535, so no request can go to a URL it covers"
            case .starInHost where !onlyTrailingStar:
                return "its host contains a *, which no host name has (only a * at the end is a wildcard)"
            default:
                continue
            }
        }
        return nil
    }
}
