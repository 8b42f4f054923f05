import BackstageCore
import TerminalKit

/// A connection's secret, typed once for this session (server mode: the server never returns it),
/// masked, kept in memory only.
enum SecretPromptLayer {
    static let keymap = Keymaps.prompt

    static func key(_ state: inout AppState, _ prompt: SecretPrompt, _ key: Key) -> [Effect] {
        var prompt = prompt
        switch keymap.action(for: key) {
        case .forceQuit?: return Reducer.quit(&state)
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

    /// A connection's secret, masked; returns where the cursor goes.
    static func draw(_ prompt: SecretPrompt, _ state: AppState, into buffer: inout Buffer) -> (x: Int, y: Int)? {
        let name = prompt.connectionName
        let label = prompt.askingPassword ? "Password of \"\(name)\"" : "Client Secret of \"\(name)\""
        var why: [String]
        switch prompt.purpose {
        case .validate: why = ["This server validates a saved connection only with its secret sent along."]
        case .testFire: why = ["For the token step, as Mattermost would fetch it (a server never returns secrets).", "Empty: skip the token step."]
        }
        why.insert("Kept in memory for this session only.", at: 1)
        let width = min(state.width - 4, 76)
        let lines = why.flatMap { Widgets.wrap($0, width: width - 4) }
        let box = buffer.bounds.centered(width: width, height: lines.count + 4)
        let inner = Widgets.box(box, title: label, glyphs: state.glyphs, into: &buffer)
        var y = inner.y
        for line in lines.prefix(max(1, inner.height - 2)) {
            buffer.write(line, x: inner.x + 1, y: y, role: .dialog, limit: inner.width - 2)
            y += 1
        }
        y += 1
        let column = Widgets.textField(prompt.field, in: Rect(x: inner.x + 1, y: y, width: inner.width - 2, height: 1), focused: true,
                                       mask: state.glyphs.bullet, into: &buffer)
        return column.map { ($0, y) }
    }

}

extension Reducer {
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
        state.push(.secretPrompt(SecretPrompt(connectionId: connectionId, connectionName: name, purpose: purpose, needsPassword: needsPassword)))
        return []
    }

    /// Secrets typed this session for the connection whose audience covers `url`, if any.
    static func sessionCredentials(_ state: AppState, for url: String) -> ConnectionCredentials? {
        state.matcher.match(url).flatMap { state.sessionSecrets[$0.connection.id] }
    }
}
