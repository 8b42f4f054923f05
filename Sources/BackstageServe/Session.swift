import Foundation
import NIOCore
import NIOSSH

/// A running child (a console in its pseudo-terminal, or one command on pipes) joined to its SSH
/// channel. Output is read on threads of its own and written to the channel one chunk at a time,
/// each waiting for the last, so a client that stops reading stops the child (backpressure)
/// instead of filling the server's memory. Input goes through a serial queue; when too much
/// waits, the channel stops reading and SSH's window holds the client back.
final class Session: @unchecked Sendable {
    let id: Int
    let child: ChildProcess
    let channel: Channel
    let who: ServeLog.Who
    private let input = DispatchQueue(label: "backstage.serve.session.input")
    private let lock = NSLock()
    private var pendingInput = 0
    private var readingPaused = false
    private var exited = false
    private var lastInput = Date()
    private var warnedIdle = false
    /// Output read from the child and handed to the channel, not yet written (one chunk per pump).
    private var waiting = 0
    private var lastPauseReport: Date?
    /// A second descriptor of the console's terminal, only for window sizes (under `lock`), so a
    /// resize never waits behind a blocked write.
    private var sizeDescriptor: Int32?
    /// Touched only on `input`: the descriptor writes go to, until closed there.
    private var inputDescriptor: Int32?
    static let pauseAbove = 256 * 1024
    static let resumeBelow = 32 * 1024

    init(id: Int, child: ChildProcess, channel: Channel, who: ServeLog.Who) {
        self.id = id
        self.child = child
        self.channel = channel
        self.who = who
        sizeDescriptor = child.master.map { dup($0) }
        inputDescriptor = child.master ?? child.stdin
    }

    /// Starts copying output; `ended` runs once the child has exited and its status was sent.
    func start(ended: @escaping @Sendable (Int32) -> Void) {
        let group = DispatchGroup()
        if let master = child.master {
            pump(master, as: .channel, group: group)
        } else {
            if let stdout = child.stdout { pump(stdout, as: .channel, group: group) }
            if let stderr = child.stderr { pump(stderr, as: .stdErr, group: group) }
        }
        let thread = Thread { [self] in
            group.wait()
            let status = ChildProcess.wait(child.pid)
            lock.withLock {
                exited = true
                if let sizeDescriptor { close(sizeDescriptor) }
                sizeDescriptor = nil
            }
            closeInput()
            let channel = self.channel
            channel.eventLoop.execute {
                channel.triggerUserOutboundEvent(SSHChannelRequestEvent.ExitStatus(exitStatus: Int(status)), promise: nil)
                channel.close(promise: nil)
            }
            ended(status)
        }
        thread.start()
    }

    private func pump(_ fd: Int32, as type: SSHChannelData.DataType, group: DispatchGroup) {
        group.enter()
        let thread = Thread { [channel] in
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let count = read(fd, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break } // EOF, or EIO once the console's terminal is closed
                let bytes = channel.allocator.buffer(bytes: buffer[0..<count])
                self.lock.withLock { self.waiting += count }
                _ = try? channel.writeAndFlush(SSHChannelData(type: type, data: .byteBuffer(bytes))).wait()
                self.lock.withLock { self.waiting -= count }
            }
            if type == .stdErr || self.child.master == nil { close(fd) }
            group.leave()
        }
        thread.start()
    }

    /// Bytes from the client for the child.
    func send(_ bytes: ByteBuffer) {
        let data = Array(bytes.readableBytesView)
        let pause = lock.withLock { () -> Bool in
            lastInput = Date()
            warnedIdle = false
            pendingInput += data.count
            if pendingInput > Self.pauseAbove && !readingPaused {
                readingPaused = true
                return true
            }
            return false
        }
        if pause { setReading(false) }
        input.async { [self] in
            var offset = 0
            while let fd = inputDescriptor, offset < data.count {
                let written = data[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    break // the child is gone; its exit ends the session
                }
                offset += written
            }
            let resume = lock.withLock { () -> Bool in
                pendingInput -= data.count
                if readingPaused && pendingInput < Self.resumeBelow {
                    readingPaused = false
                    return true
                }
                return false
            }
            if resume { setReading(true) }
        }
    }

    private func setReading(_ on: Bool) {
        channel.setOption(ChannelOptions.autoRead, value: on).whenComplete { _ in }
        if on { channel.read() }
    }

    /// The client closed its side: an exec's standard input ends.
    func endInput() { closeInput() }

    /// Closes the descriptor input goes to, after what is queued; the console's terminal only
    /// once the child has exited (its reader is done by then).
    private func closeInput() {
        input.async { [self] in
            guard let fd = inputDescriptor else { return }
            if child.master != nil && !hasExited { return }
            close(fd)
            inputDescriptor = nil
        }
    }

    func resize(columns: Int, rows: Int) {
        lock.withLock { if let sizeDescriptor { ChildProcess.resize(master: sizeDescriptor, columns: columns, rows: rows) } }
    }

    /// Seconds since the client last typed, and whether the idle warning was already given.
    func idleState() -> (idle: TimeInterval, warned: Bool) {
        lock.withLock { (Date().timeIntervalSince(lastInput), warnedIdle) }
    }

    func markWarned() { lock.withLock { warnedIdle = true } }

    /// A line for the client on standard error (the idle warning).
    func tell(_ text: String) {
        channel.writeAndFlush(SSHChannelData(type: .stdErr, data: .byteBuffer(channel.allocator.buffer(string: text))), promise: nil)
    }

    /// Ends the child: `signal` now, SIGKILL after `grace` if it is still there.
    func end(with signal: Int32, grace: TimeInterval = 5) {
        let pid = child.pid
        let running = lock.withLock { !exited }
        guard running else { return }
        kill(pid, signal)
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [self] in
            if lock.withLock({ !exited }) { kill(pid, SIGKILL) }
        }
    }

    var hasExited: Bool { lock.withLock { exited } }

    /// Bytes of output the server holds for a client that is not reading: at most one read per pump.
    var waitingBytes: Int { lock.withLock { waiting } }

    /// Whether a pause of the output is worth a log line (the first, then at most one a minute).
    func shouldReportPause(now: Date = Date()) -> Bool {
        lock.withLock {
            if let last = lastPauseReport, now.timeIntervalSince(last) < 60 { return false }
            lastPauseReport = now
            return true
        }
    }
}
