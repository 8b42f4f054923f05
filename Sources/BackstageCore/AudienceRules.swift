/// Rules about audiences that span connections.
public enum AudienceRules {
    /// Mattermost's message for an audience another connection already has.
    public static func alreadyTaken(_ audience: String) -> FieldError {
        FieldError("audiences", "There is already an outgoing oauth connection for the provided audience: \(audience)")
    }
}
