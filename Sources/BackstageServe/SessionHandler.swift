import Foundation
import NIOCore
import NIOSSH

/// One SSH "session" channel: a pty-req and shell start the console, an exec one CLI command.
/// Everything else (subsystems, environment beyond TERM, LANG and NO_COLOR) is refused and
/// logged here; agent and X11 requests are refused by NIOSSH itself and logged via RequestWatch.
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
    private var windowChanges = (received: 0, applied: 0)
    private var loggedClamp = false, loggedThrottle = false
    private var pausedOutputs = 0
    static let minimumResizeInterval = TimeAmount.milliseconds(50)

    init(server: Server, connection: Connection, id: Int) {
        self.server = server
        self.connection = connection
        self.id = id
    }

    private var who: ServeLog.Who { connection.who(session: id) }

    func handlerAdded(context: ChannelHandlerContext) {
        context.channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true).whenComplete { _ in }
        if let channel = try? context.channel.syncOptions?.getOption(SSHChildChannelOptions.localChannelIdentifier) {
            connection.register(channel: channel, session: id)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .channel = message.type, case .byteBuffer(let bytes) = message.data else { return }
        session?.send(bytes)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if windowChanges.received > windowChanges.applied {
            server.log.line("window changes: \(windowChanges.received) received, \(windowChanges.applied) applied", who)
        }
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
            let term = Self.isTerminalName(request.term) ? request.term : environment["TERM"] ?? "xterm"
            let size = clamp(request.terminalCharacterWidth, request.terminalRowHeight)
            terminal = (term, size.columns, size.rows)
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
            let size = clamp(request.terminalCharacterWidth, request.terminalRowHeight)
            resize(columns: size.columns, rows: size.rows, context)
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

    /// The client stopped granting window (it is not reading): the output copy waits, so the
    /// console blocks on its next write. Logged when it starts, at most every minute.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        guard let session else { return context.fireChannelWritabilityChanged() }
        if !context.channel.isWritable {
            pausedOutputs += 1
            if session.shouldReportPause() {
                server.log.line("the client is not reading: output paused with \(session.waitingBytes) bytes waiting in the server (pause \(pausedOutputs))", who)
            }
        }
        context.fireChannelWritabilityChanged()
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
        case "TERM": ok = Self.isTerminalName(request.value)
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

    static func isTerminalName(_ text: String) -> Bool { text.wholeMatch(of: #/[A-Za-z0-9._+-]{1,64}/#) != nil }

    static func clamp(_ size: Int) -> Int { min(max(size, 1), ServeSettings.maxTerminalSize) }

    /// The size within 1…1000 each way; a size outside is logged (once per session).
    private func clamp(_ columns: Int, _ rows: Int) -> (columns: Int, rows: Int) {
        let size = (columns: Self.clamp(columns), rows: Self.clamp(rows))
        if size != (columns, rows), !loggedClamp {
            loggedClamp = true
            server.log.line("terminal size \(columns)x\(rows) clamped to \(size.columns)x\(size.rows)", who)
        }
        return size
    }

    /// Window changes apply at most every 50 ms; the latest size always wins.
    private func resize(columns: Int, rows: Int, _ context: ChannelHandlerContext) {
        pendingSize = (columns, rows)
        windowChanges.received += 1
        guard !resizeScheduled else { return }
        let now = NIODeadline.now()
        let due = lastResize + Self.minimumResizeInterval
        if now >= due {
            applyResize()
        } else {
            if !loggedThrottle {
                loggedThrottle = true
                server.log.line("window changes faster than one per \(Self.minimumResizeInterval.nanoseconds / 1_000_000) ms: only the latest size applies", who)
            }
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
        windowChanges.applied += 1
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
