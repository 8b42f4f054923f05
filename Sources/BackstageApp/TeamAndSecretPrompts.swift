import BackstageCore
import TerminalKit

/// The team picker (`T`) and the secret prompt (server mode: Validate and test-fire need a
/// connection's secret the server never returns; typed once, kept in memory for the session).
extension Reducer {
    static func teamsLoaded(_ state: inout AppState, _ result: Result<[Team], ValidationError>) -> [Effect] {
        switch result {
        case .success(let teams):
            // Locally "every team" comes first; a server's commands always belong to one team.
            let choices: [Team?] = (state.serverMode ? [] : [nil]) + teams.map { Optional($0) }
            let current = choices.firstIndex { $0?.id == state.team?.id } ?? 0
            state.status = nil
            state.overlay = .teamPicker(teams: choices, selected: current)
        case .failure(let error):
            state.status = StatusLine(text: "Cannot list the teams: \(TerminalText.sanitized(error.reason))", role: .error)
        }
        return []
    }

    static func teamPickerKey(_ state: inout AppState, teams: [Team?], selected: Int, _ key: Key) -> [Effect] {
        switch Keymaps.picker.action(for: key) {
        case .up?: state.overlay = .teamPicker(teams: teams, selected: max(0, selected - 1))
        case .down?: state.overlay = .teamPicker(teams: teams, selected: min(teams.count - 1, selected + 1))
        case .cancel?: state.overlay = nil
        case .forceQuit?: return quit(&state)
        case .choose?:
            state.overlay = nil
            guard selected < teams.count else { return [] }
            let team = teams[selected]
            state.team = team
            state.teamLabel = team?.name
            state.loading = true
            state.lists[Tab.commands.rawValue] = ListState()
            state.status = StatusLine(text: team.map { "Team: \($0.name)" } ?? "Every team", role: .muted)
            return [.selectTeam(team)]
        case nil: break
        }
        return []
    }

    /// The runtime found that a step needs a secret this session has not been given.
    static func secretNeeded(_ state: inout AppState, connectionId: String, name: String, needsPassword: Bool, purpose: SecretPurpose) -> [Effect] {
        switch purpose {
        case .validate(let generation):
            guard state.listValidation?.generation == generation else { return [] } // cancelled meanwhile
            state.listValidation = nil
        case .testFire(_, let trigger, _):
            guard state.running == trigger else { return [] }
            state.running = nil
        }
        state.status = nil
        state.overlay = .secretPrompt(SecretPrompt(connectionId: connectionId, connectionName: name, purpose: purpose, needsPassword: needsPassword))
        return []
    }

    static func secretPromptKey(_ state: inout AppState, _ prompt: SecretPrompt, _ key: Key) -> [Effect] {
        var prompt = prompt
        switch Keymaps.prompt.action(for: key) {
        case .forceQuit?: return quit(&state)
        case .cancel?:
            state.overlay = nil
            state.status = StatusLine(text: "Cancelled", role: .muted)
            return []
        case .submit?:
            let typed = Secret(prompt.field.text)
            if prompt.needsPassword && !prompt.askingPassword && !typed.isEmpty {
                prompt.clientSecret = typed
                prompt.field = TextField("", limit: 255, masked: true)
                state.overlay = .secretPrompt(prompt)
                return []
            }
            state.overlay = nil
            let clientSecret = prompt.clientSecret ?? typed
            let credentials = clientSecret.isEmpty ? nil
                : ConnectionCredentials(clientSecret: clientSecret, password: prompt.askingPassword ? typed : nil)
            if let credentials { state.sessionSecrets[prompt.connectionId] = credentials }
            return resume(&state, prompt, credentials)
        case nil:
            _ = prompt.field.handle(key)
            state.overlay = .secretPrompt(prompt)
            return []
        }
    }

    /// Goes on with what the secret was asked for.
    static func resume(_ state: inout AppState, _ prompt: SecretPrompt, _ credentials: ConnectionCredentials?) -> [Effect] {
        switch prompt.purpose {
        case .validate:
            guard let credentials else {
                state.status = StatusLine(text: "Not validated: this server validates only with the client secret", role: .warning)
                return []
            }
            state.backgroundGeneration += 1
            state.listValidation = (prompt.connectionId, state.backgroundGeneration)
            state.status = StatusLine(text: "Validating \(prompt.connectionName)... (Esc cancels)", role: .muted)
            return [.validateSaved(id: prompt.connectionId, generation: state.backgroundGeneration, credentials: credentials)]
        case .testFire(let commandId, let trigger, let text):
            state.running = trigger
            state.status = StatusLine(text: "Running /\(trigger)... (Esc cancels)", role: .muted)
            return [.testFire(commandId: commandId, text: text, credentials: credentials, skipToken: credentials == nil)]
        }
    }

    /// Secrets typed this session for the connection whose audience covers `url`, if any.
    static func sessionCredentials(_ state: AppState, for url: String) -> ConnectionCredentials? {
        state.matcher.match(url).flatMap { state.sessionSecrets[$0.connection.id] }
    }
}
