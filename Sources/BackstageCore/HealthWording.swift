/// What each health finding says and how to fix it, written from the facts `Doctor.check` found
/// when a finding is read (`h`, `doctor`), never for the header's counts.
extension HealthFinding {
    enum Facts: Sendable, Equatable {
        /// A command or webhook that goes out with a connection whose last Validate got no token.
        case linkedToFailingConnection(connection: String, record: ValidationRecord)
        /// `trigger`: a slash command's (nil: a webhook).
        case nearMiss(url: String, miss: NearMiss, trigger: String?)
        case audienceNeverMatches(audience: String, reason: String)
        case validationSkipped(reason: String)
        case validationFailed(ValidationRecord)
        case staleValidation(ValidationRecord, days: Int64, staleDays: Int)
        case neverValidated
        case unusedConnection(webhooksChecked: Bool)
        case wildcardOverlap(AudienceOverlap)
        /// Written by the caller.
        case written(message: String, fix: String)
    }

    var wording: (message: String, fix: String) {
        // Connection findings name the item itself.
        let validateHint = "backstage connections validate \(Doctor.shellWord(item.name))"
        switch facts {
        case .linkedToFailingConnection(let connection, let record):
            return ("\(item.label) goes out with connection \"\(connection)\", whose last Validate got no token (\(Milliseconds.fullDate(record.at)): \(record.message))",
                    "fix the connection's credentials or Token URL, then validate it again (backstage connections validate \(Doctor.shellWord(connection)))")
        case .nearMiss(let url, let miss, let trigger):
            let fixURL = trigger.map { "backstage commands edit \(Doctor.shellWord($0)) --url URL" } ?? "the webhook's callback URL"
            return ("\(item.label) is not linked: its URL \(HTTPURL.maskingCredentials(url)) \(miss.hint)",
                    "make the URL and the audience agree: change the URL (\(fixURL)) or the audiences of \"\(miss.connection.name)\"")
        case .audienceNeverMatches(let audience, let reason):
            return ("\(item.label): audience \(HTTPURL.maskingCredentials(audience)) can never match: \(reason)",
                    "correct or remove the audience (backstage connections edit \(Doctor.shellWord(item.name)) --audience URL …)")
        case .validationSkipped(let reason):
            return ("\(item.label) was not validated: \(reason)", "validate it with its secret: \(validateHint) --client-secret-stdin")
        case .validationFailed(let record):
            return ("\(item.label): the last Validate got no token (\(Milliseconds.fullDate(record.at)): \(record.message))",
                    "fix its credentials or Token URL and validate it again (\(validateHint)), or delete it if nothing needs it")
        case .staleValidation(let record, let days, let staleDays):
            return ("\(item.label) was last validated \(days) days ago (\(Milliseconds.fullDate(record.at))), more than \(staleDays) day\(staleDays == 1 ? "" : "s")",
                    "validate it again (\(validateHint), or backstage connections validate --all)")
        case .neverValidated:
            return ("\(item.label) has never been validated", "validate it (\(validateHint), or backstage connections validate --all)")
        case .unusedConnection(let webhooksChecked):
            let scope = webhooksChecked ? "no slash command or outgoing webhook" : "no slash command"
            let note = webhooksChecked ? "" : " (outgoing webhooks were not checked)"
            return ("\(item.label) is used by \(scope)\(note)",
                    "point a command at one of its audiences, or delete it if nothing needs it (backstage connections delete \(Doctor.shellWord(item.name)) --dry-run shows what would change)")
        case .wildcardOverlap(let overlap):
            return ("\(overlap)", "make the audiences disjoint, unless the longer match winning is what you want")
        case .written(let message, let fix):
            return (message, fix)
        }
    }
}
