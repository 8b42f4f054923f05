import BackstageApp
import BackstageCore
import FuzzSupport
import TerminalKit

/// Any key sequence, through the decoder, the reducer and a frame at a fuzzed terminal size:
/// never a crash, and the frame always fills the terminal. Effects are answered by a fake store
/// whose replies (saved, refused, conflict, deleted...) the input also chooses.
///
/// Input: byte 0 and 1 the size; then reads: 0xF0 k a function key (k indexes `functionCodes`),
/// 0xF1 a b c a character from three bytes (often not a valid scalar), 0xF2 w h a resize,
/// 0xF3 x y k a mouse event, 0xF4 k answers the oldest effect, any other byte a character.
@main
enum FuzzKeys {
    static let codes = KeyDecoder.KeyCodes.ncurses
    static let functionCodes: [Int32] = [
        codes.up, codes.down, codes.left, codes.right, codes.home, codes.end, codes.pageUp, codes.pageDown, codes.backTab,
        codes.delete, codes.insert, codes.backspace, codes.enter, codes.pasteStart, codes.pasteEnd, 0o411, 0o415, 0o424, 0, -1, 0o777,
    ]

    static func main() {
        FuzzEntry.main { bytes in
            guard bytes.count >= 2 else { return }
            var state = AppState(width: Int(bytes[0]), height: Int(bytes[1]) / 2, storeLabel: "/tmp/fuzz.sqlite")
            var decoder = KeyDecoder(codes: codes)
            var pending: [Effect] = []
            var index = 2
            func next() -> UInt8 {
                defer { index += 1 }
                return index < bytes.count ? bytes[index] : 0
            }
            var shown: (state: AppState, frame: DrawnFrame)?
            func deliver(_ msg: Msg) {
                pending += Reducer.reduce(&state, msg)
                check(state, after: &shown)
            }
            deliver(.loaded(world))
            while index < bytes.count {
                let byte = next()
                var read: KeyDecoder.Input?
                switch byte {
                case 0xF0: read = .functionKey(functionCodes[Int(next()) % functionCodes.count])
                case 0xF1: read = .character(UInt32(next()) << 16 | UInt32(next()) << 8 | UInt32(next()))
                case 0xF2: deliver(.input(.resize(width: Int(next()), height: Int(next()))))
                case 0xF3: deliver(.input(.mouse(MouseEvent(kind: [.press, .wheelUp, .wheelDown][Int(next()) % 3], x: Int(next()), y: Int(next())))))
                case 0xF4:
                    let choice = Int(next())
                    if !pending.isEmpty, let answer = reply(to: pending.removeFirst(), choice) { deliver(answer) }
                case 0xF5: deliver(.storeRefreshed(changedElsewhere(Int(next()))))
                default: read = .character(UInt32(byte))
                }
                if let read {
                    // The console tells the decoder which Alt keys the layer on top binds before each read.
                    decoder.altKeys = state.liveAltKeys
                    for case .event(let event) in decoder.feed(read) { deliver(.input(event)) }
                }
            }
            for case .event(let event) in decoder.finish() { deliver(.input(event)) }
            deliver(.tick)
        }
    }

    /// The frame at the state's size: always exactly the terminal, the cursor inside it; and the
    /// frame drawn over the previous one, as the console draws it, is the same as the whole frame.
    static func check(_ state: AppState, after shown: inout (state: AppState, frame: DrawnFrame)?) {
        let frame = Render.frame(state)
        precondition(frame.buffer.width == state.width && frame.buffer.height == state.height, "frame size differs from the terminal")
        if let cursor = frame.cursor {
            precondition((0..<state.width).contains(cursor.x) && (0..<state.height).contains(cursor.y), "cursor \(cursor) off a \(state.width)x\(state.height) screen")
        }
        // As the console draws: over the last frame, in place, naming the rows drawn again; the
        // painter compares only those, so no other row may have changed.
        var partial = shown?.frame ?? PartialRender.frame(state)
        if let shown, let redrawn = PartialRender.update(state, after: shown.state, frame: &partial) {
            for y in 0..<partial.buffer.height where !redrawn.contains(y) {
                precondition((0..<partial.buffer.width).allSatisfy { partial.buffer[$0, y] == shown.frame.buffer[$0, y] },
                             "row \(y) changed but the partial frame did not name it")
            }
        }
        precondition(partial.buffer == frame.buffer, "the frame drawn over the last differs from the whole frame")
        precondition(partial.cursor?.x == frame.cursor?.x && partial.cursor?.y == frame.cursor?.y, "the partial frame's cursor differs")
        shown = (state, partial)
    }

    static let team = Team(id: "team000000000000000000000a", name: "main")

    static let world = StoreSnapshot(
        connections: [
            OutgoingOAuthConnection(id: "conn1", createAt: 1, updateAt: 1, name: "Weather\u{1B}[31m", clientId: "weather",
                                    oauthTokenURL: "https://idp.example.com/token", audiences: ["https://weather.example.com/*"]),
            OutgoingOAuthConnection(id: "conn2", createAt: 2, updateAt: 2, name: "給与システム", clientId: "payroll", credentialsUsername: "svc",
                                    oauthTokenURL: "https://idp.example.jp/token", grantType: .password,
                                    audiences: ["https://payroll.example.jp/api/*", "https://payroll.example.jp/hook"]),
        ],
        commands: [
            SlashCommand(id: "cmd1", token: "tok1", createAt: 1, updateAt: 1, teamId: team.id, trigger: "weather", displayName: "Weather",
                         url: "https://weather.example.com/slash"),
            SlashCommand(id: "cmd2", token: "tok2", createAt: 2, updateAt: 2, teamId: team.id, trigger: "deploy", method: .get,
                         displayName: "Deploy 🚀", url: "https://ci.example.com/deploy"),
        ],
        teams: [team])

    /// What a timed refresh may bring, picked by the input: the same, an item changed (hostile
    /// text), items gone, or a list that could not be read.
    static func changedElsewhere(_ choice: Int) -> StoreSnapshot {
        var connections = world.connections, commands = world.commands
        switch choice % 4 {
        case 0: break
        case 1:
            connections[0].name = "theirs\u{1B}[2J\u{202E}" + String(repeating: "界", count: choice)
            connections[0].updateAt += Int64(choice)
            commands[1].url = "https://weather.example.com/moved"
            commands[1].updateAt += 1
        case 2:
            connections.removeFirst()
            commands.removeFirst()
        default:
            return StoreSnapshot(connections: [], commands: commands, teams: world.teams,
                                 problems: [.connections: ListProblem(text: "503\u{1B}]0;x\u{07}", advice: "F5")])
        }
        return StoreSnapshot(connections: connections, commands: commands, teams: world.teams)
    }

    /// The fake store's answer to an effect, picked by the input.
    static func reply(to effect: Effect, _ choice: Int) -> Msg? {
        let hostile = "bad\u{1B}]0;title\u{07}\u{202E}reply\u{200B}" + String(repeating: "界", count: choice)
        switch effect {
        case .load: return .loaded(world)
        case .buildMatcher(let connections, let users, let webhooks, let generation):
            // Sometimes a stale generation, which must be ignored; sometimes no linkage built with it.
            let matcher = AudienceMatcher(connections: connections)
            let linkage = choice % 3 == 0 ? nil : Linkage(connections: connections, users: users, webhooks: webhooks, matcher: matcher)
            return .matcherBuilt(matcher, linkage: linkage, generation: generation - choice % 2)
        case .delete(let target): return .deleted(target)
        case .validate(let job):
            return .validationFinished(generation: job.generation, choice % 2 == 0 ? .success("token_type Bearer") : .failure(ValidationError(hostile)))
        case .validateSaved(let id, let generation, _):
            return .listValidationFinished(id: id, generation: generation, choice % 2 == 0 ? .success("ok") : .failure(ValidationError(hostile)))
        case .saveConnection(var connection, _, _):
            switch choice % 4 {
            case 0: return .connectionSaved(connection)
            case 1: return .saveFailed([FieldError("audiences", hostile)], message: hostile)
            case 2:
                connection.name = hostile
                connection.audiences.append("https://theirs.example.com/")
                connection.updateAt += 1
                return .connectionConflict(stored: connection)
            default: return .connectionConflict(stored: nil)
            }
        case .saveCommand(var command, _):
            switch choice % 4 {
            case 0: return .commandSaved(command, created: choice % 8 == 0)
            case 1: return .saveFailed([FieldError("trigger", hostile)], message: hostile)
            case 2:
                command.displayName = hostile
                command.updateAt += 1
                return .commandConflict(stored: command)
            default: return .commandConflict(stored: nil)
            }
        case .testFire(let commandId, let text, let credentials, _):
            if credentials == nil && choice % 3 == 0 {
                return .secretNeeded(connectionId: "conn1", name: hostile, needsPassword: choice % 2 == 0,
                                     purpose: .testFire(commandId: commandId, trigger: "weather", text: text))
            }
            return .testFired([StatusLine(text: hostile, role: .error)], ok: choice % 2 == 0)
        case .loadTeams: return .teamsLoaded(choice % 2 == 0 ? .success([team, Team(id: "t2", name: hostile)]) : .failure(ValidationError(hostile)))
        case .selectTeam: return .loaded(world)
        case .regenerateToken: return .commandSaved(world.commands[0], created: true)
        case .askBanner(_, let generation): return .bannerAnswered(generation: generation, choice % 3 == 0 ? .answered(hostile) : choice % 3 == 1 ? .answered(nil) : .unreachable(hostile))
        case .checkHealth(let input, let generation):
            return .healthChecked(input.report(), generation: generation - choice % 2)
        case .validateAll(let connections, _):
            guard let first = connections.first else { return nil }
            let ref = AudienceMatcher.ref(first)
            let result = ValidateAll.Result(connection: ref, status: choice % 2 == 0 ? .timedOut(.seconds(1)) : .failed(reason: hostile, failure: nil),
                                            record: ValidationRecord(at: 1, ok: choice % 2 == 0, message: hostile))
            return .validateAllEvent(.finished(result, ValidateAll.Progress(results: [result])))
        case .cancelValidation, .cancelValidateAll, .applyTheme, .setMouse, .suspend, .redraw: return nil
        }
    }
}
