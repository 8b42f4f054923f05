import Foundation
import NIOCore
import NIOSSH

/// One SSH "session" channel: a pty-req and shell start the console, an exec one CLI command.
/// Everything else (subsystems, agent, X11, environment beyond LANG and NO_COLOR) is refused
/// and logged.
final class SessionHandler: ChannelInboundHandler {
    typealias InboundIn = SSHChannelData

    let server: Server
    let connection: Connection
    let id: Int
    private var terminal: (term: String, columns: Int, rows: Int)?
    private var environment: [String: String] = [:]
    private var session: Session?
    private var started = false
    private var pendingSize: (columns: Int, rows: Int)?
    private var lastResize = NIODeadline.distantPast
    private var resizeScheduled = false
    static let minimumResizeInterval = TimeAmount.milliseconds(50)

    init(server: Server, connection: Connection, id: Int) {
        self.server = server
        self.connection = connection
        self.id = id
    }

    private var who: ServeLog.Who { connection.who(session: id) }

    func handlerAdded(context: ChannelHandlerContext) {
        context.channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true).whenComplete { _ in }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .channel = message.type, case .byteBuffer(let bytes) = message.data else { return }
        session?.send(bytes)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let session, !session.hasExited {
            server.log.line("client gone; ending the child", who)
            session.end(with: SIGHUP)
        }
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let request as SSHChannelRequestEvent.PseudoTerminalRequest:
            guard connection.admin?.ptyAllowed == true else {
                server.log.line("refused a terminal: the key has no-pty or restrict", who)
                return reply(context, request.wantReply, ok: false)
            }
            let term = request.term.wholeMatch(of: #/[A-Za-z0-9._+-]{1,64}/#) != nil ? request.term : "xterm"
            terminal = (term, Self.clamp(request.terminalCharacterWidth), Self.clamp(request.terminalRowHeight))
            reply(context, request.wantReply, ok: true)
        case let request as SSHChannelRequestEvent.EnvironmentRequest:
            acceptEnvironment(request, context)
        case let request as SSHChannelRequestEvent.ShellRequest:
            guard !started else { return reply(context, request.wantReply, ok: false) }
            started = true
            reply(context, request.wantReply, ok: true)
            startConsole(context)
        case let request as SSHChannelRequestEvent.ExecRequest:
            guard !started else { return reply(context, request.wantReply, ok: false) }
            started = true
            reply(context, request.wantReply, ok: true)
            startCommand(request.command, context)
        case let request as SSHChannelRequestEvent.WindowChangeRequest:
            resize(columns: Self.clamp(request.terminalCharacterWidth), rows: Self.clamp(request.terminalRowHeight), context)
        case let request as SSHChannelRequestEvent.SubsystemRequest:
            server.log.line("refused the subsystem \"\(LogText.clean(request.subsystem, limit: 40))\"", who)
            reply(context, request.wantReply, ok: false)
        case is SSHChannelRequestEvent.SignalRequest, is SSHChannelRequestEvent.LocalFlowControlRequest:
            break
        case let event as ChannelEvent where event == .inputClosed:
            session?.endInput()
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func reply(_ context: ChannelHandlerContext, _ wantReply: Bool, ok: Bool) {
        guard wantReply else { return }
        if ok {
            context.triggerUserOutboundEvent(ChannelSuccessEvent(), promise: nil)
        } else {
            context.triggerUserOutboundEvent(ChannelFailureEvent(), promise: nil)
        }
    }

    private func acceptEnvironment(_ request: SSHChannelRequestEvent.EnvironmentRequest, _ context: ChannelHandlerContext) {
        let ok: Bool
        switch request.name {
        case "LANG": ok = request.value.wholeMatch(of: #/[A-Za-z0-9_.@-]{1,64}/#) != nil
        case "NO_COLOR": ok = request.value.utf8.count <= 64
        default: ok = false
        }
        if ok {
            // NO_COLOR means "any non-empty value": the child gets a plain 1, never client text.
            environment[request.name] = request.name == "NO_COLOR" ? (request.value.isEmpty ? nil : "1") : request.value
        } else {
            server.log.line("refused the environment variable \(LogText.clean(request.name, limit: 40))", who)
        }
        reply(context, request.wantReply, ok: ok)
    }

    static func clamp(_ size: Int) -> Int { min(max(size, 1), ServeSettings.maxTerminalSize) }

    /// Window changes apply at most every 50 ms; the latest size always wins.
    private func resize(columns: Int, rows: Int, _ context: ChannelHandlerContext) {
        pendingSize = (columns, rows)
        guard !resizeScheduled else { return }
        let now = NIODeadline.now()
        let due = lastResize + Self.minimumResizeInterval
        if now >= due {
            applyResize()
        } else {
            resizeScheduled = true
            let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(deadline: due) {
                loopBound.value.resizeScheduled = false
                loopBound.value.applyResize()
            }
        }
    }

    private func applyResize() {
        guard let size = pendingSize else { return }
        pendingSize = nil
        lastResize = .now()
        if terminal != nil { terminal?.columns = size.columns; terminal?.rows = size.rows }
        session?.resize(columns: size.columns, rows: size.rows)
    }

    private func startConsole(_ context: ChannelHandlerContext) {
        guard let terminal else {
            return refuse("backstage: the console needs a terminal; use ssh -t, or give a command (e.g. connections list)", status: 64, context)
        }
        start(context) { environment, tokenFD in
            try ChildProcess.console(self.server.childArguments(for: self.connection, command: []),
                                     environment: environment + ["TERM=\(terminal.term)"],
                                     columns: terminal.columns, rows: terminal.rows, extraFD: tokenFD)
        }
    }

    private func startCommand(_ line: String, _ context: ChannelHandlerContext) {
        server.log.line("exec \(LogText.clean(line, limit: 200))", who)
        let arguments: [String]
        do {
            arguments = try ExecPolicy.arguments(for: try ShellWords.split(line))
        } catch {
            server.log.line("refused the command: \(error)", who)
            return refuse("backstage: \(error)", status: 64, context)
        }
        start(context) { environment, tokenFD in
            try ChildProcess.command(self.server.childArguments(for: self.connection, command: arguments),
                                     environment: environment, extraFD: tokenFD)
        }
    }

    private func start(_ context: ChannelHandlerContext, _ spawn: ([String], Int32?) throws -> ChildProcess) {
        guard let admin = connection.admin else { return context.close(promise: nil) }
        if let full = server.reserveSession(for: admin.name) {
            server.log.line("refused a session: \(full)", who)
            return refuse("backstage: \(full); try again later", status: 75, context)
        }
        var environment = ["LANG=\(self.environment["LANG"] ?? "C.UTF-8")", "BACKSTAGE_ACTOR=\(admin.name)"]
        if let noColor = self.environment["NO_COLOR"] { environment.append("NO_COLOR=\(noColor)") }
        let tokenPipe: TokenPipe?
        let child: ChildProcess
        do {
            tokenPipe = try server.settings.token.map { try TokenPipe($0) }
            defer { tokenPipe?.closeReadEnd() }
            if tokenPipe != nil { environment.append("BACKSTAGE_TOKEN_FD=3") }
            child = try spawn(environment, tokenPipe?.readEnd)
        } catch {
            server.releaseSession(for: admin.name)
            server.log.line("cannot start the child: \(error)", who)
            return refuse("backstage: cannot start: \(error)", status: 1, context)
        }
        let session = Session(id: id, child: child, channel: context.channel, who: who)
        self.session = session
        connection.add(session)
        server.track(session)
        server.log.line(child.master != nil ? "console started (pid \(child.pid))" : "command started (pid \(child.pid))", who)
        let server = self.server, connection = self.connection, who = self.who
        session.start { status in
            connection.remove(session)
            server.untrack(session)
            server.releaseSession(for: admin.name)
            server.log.line("ended with status \(status)", who)
        }
    }

    /// A message on standard error and an exit status, then the channel closes.
    private func refuse(_ message: String, status: Int, _ context: ChannelHandlerContext) {
        let channel = context.channel
        let text = channel.allocator.buffer(string: message + "\r\n")
        channel.writeAndFlush(SSHChannelData(type: .stdErr, data: .byteBuffer(text)), promise: nil)
        channel.triggerUserOutboundEvent(SSHChannelRequestEvent.ExitStatus(exitStatus: status)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
