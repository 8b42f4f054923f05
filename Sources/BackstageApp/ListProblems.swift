import BackstageCore

/// What the list area says when a list could not be loaded: what failed, and what to do.
extension ListProblem {
    static func from(_ error: any Error, tab: Tab) -> ListProblem {
        guard let error = error as? MattermostError else {
            return ListProblem(text: "\(error)", advice: "F5 tries again.")
        }
        let text = error.description
        switch error {
        case .unavailable(let reason):
            switch reason {
            case .oauthConnectionsOff:
                return ListProblem(text: text, advice: "A system admin can turn it on in System Console › Integrations › Integration Management (needs an Enterprise licence). Slash commands work without it: tab 2.", oauthUnavailable: true)
            case .oauthConnectionsUnlicensed:
                return ListProblem(text: text, advice: "Outgoing OAuth connections are a Mattermost Enterprise feature. Slash commands work without it: tab 2.", oauthUnavailable: true)
            case .slashCommandsDisabled:
                return ListProblem(text: text, advice: "A system admin can turn them on in System Console › Integrations › Integration Management › Enable Custom Slash Commands.")
            case .other:
                return ListProblem(text: text, advice: "This server does not offer it.")
            }
        case .unauthorized:
            return ListProblem(text: text, advice: "Start backstage again with a valid token (MM_ACCESS_TOKEN or --token-file).")
        case .forbidden:
            return ListProblem(text: "Not allowed on this tab: " + text, advice: tab == .connections
                               ? "Slash commands may still work: tab 2. F5 tries again once the permission is granted."
                               : "F5 tries again once the permission is granted.")
        default:
            return ListProblem(text: text, advice: error.kind == .temporary ? "This may pass: F5 tries again." : "F5 tries again.")
        }
    }

}
