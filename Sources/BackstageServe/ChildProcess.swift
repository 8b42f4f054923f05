import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child of the server: the same binary, started with `posix_spawn` (never `fork` in a
/// threaded server), in a session of its own, with a clean environment, signals at their
/// defaults and no descriptor but its terminal or pipes (and a token pipe, when given).
struct ChildProcess {
    let pid: pid_t
    /// A console's pseudo-terminal master; nil for an exec.
    let master: Int32?
    /// An exec's standard input (write end), output and error (read ends).
    let stdin: Int32?
    let stdout: Int32?
    let stderr: Int32?

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The console in a new pseudo-terminal of `columns` x `rows`; the child's terminal becomes
    /// its controlling terminal (it leads its own session), so closing it hangs the child up.
    static func console(_ argv: [String], environment: [String], columns: Int, rows: Int, extraFD: Int32?) throws -> ChildProcess {
        // posix_openpt is open("/dev/ptmx") on Linux; grantpt, unlockpt and ptsname_r are in glibc
        // but not in Swift's Glibc module, hence looked up.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw Failure(description: "no pseudo-terminal: \(String(cString: strerror(errno)))") }
        guard let grant = PTYCalls.grant, let unlock = PTYCalls.unlock, grant(master) == 0, unlock(master) == 0 else {
            close(master)
            throw Failure(description: "cannot set up the pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        var nameBuffer = [CChar](repeating: 0, count: 128)
        guard let name = PTYCalls.name, name(master, &nameBuffer, nameBuffer.count) == 0 else {
            close(master)
            throw Failure(description: "cannot name the pseudo-terminal")
        }
        let slavePath = String(cString: nameBuffer)
        resize(master: master, columns: columns, rows: rows)
        // Ctrl-Z does nothing in a served console: there is no shell to return to.
        let slave = open(slavePath, O_RDWR | O_NOCTTY | O_CLOEXEC)
        if slave >= 0 {
            var modes = termios()
            if tcgetattr(slave, &modes) == 0 {
                withUnsafeMutableBytes(of: &modes.c_cc) { $0[Int(VSUSP)] = 0 }
                tcsetattr(slave, TCSANOW, &modes)
            }
        }
        defer { if slave >= 0 { close(slave) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened after setsid (glibc applies the session flag first), so it becomes the child's
        // controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        do {
            let pid = try spawn(argv, environment: environment, actions: &actions, extraFD: extraFD)
            return ChildProcess(pid: pid, master: master, stdin: nil, stdout: nil, stderr: nil)
        } catch {
            close(master)
            throw error
        }
    }

    /// One CLI command with pipes for its standard input, output and error.
    static func command(_ argv: [String], environment: [String], extraFD: Int32?) throws -> ChildProcess {
        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1], errors: [Int32] = [-1, -1]
        guard makePipe(&input), makePipe(&output), makePipe(&errors) else {
            for fd in input + output + errors where fd >= 0 { close(fd) }
            throw Failure(description: "no pipes: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        defer {
            close(input[0])
            close(output[1])
            close(errors[1])
        }
        do {
            let pid = try spawn(argv, environment: environment, actions: &actions, extraFD: extraFD)
            return ChildProcess(pid: pid, master: nil, stdin: input[1], stdout: output[0], stderr: errors[0])
        } catch {
            close(input[1])
            close(output[0])
            close(errors[0])
            throw error
        }
    }

    /// A pipe whose ends close on exec (pipe2 is not in Swift's Glibc module; every spawn closes
    /// other descriptors anyway).
    private static func makePipe(_ ends: inout [Int32]) -> Bool {
        guard pipe(&ends) == 0 else { return false }
        for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
    }

    /// TIOCSWINSZ on the master: the kernel tells the child (SIGWINCH).
    static func resize(master: Int32, columns: Int, rows: Int) {
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    /// glibc 2.34+ has it, but Swift's Glibc module does not show it.
    private static let closeFrom: CloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    /// glibc's POSIX_SPAWN_SETSID, which Swift's Glibc module does not show.
    private static let setSessionFlag: Int32 = 0x80

    /// The token pipe, if any, becomes descriptor 3; every other descriptor above 2 is closed.
    private static func spawn(_ argv: [String], environment: [String], actions: inout posix_spawn_file_actions_t, extraFD: Int32?) throws -> pid_t {
        var firstClosed: Int32 = 3
        if let extraFD {
            posix_spawn_file_actions_adddup2(&actions, extraFD, 3)
            firstClosed = 4
        }
        if let closeFrom {
            _ = closeFrom(&actions, firstClosed)
        } else if let open = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            for fd in open.compactMap(Int32.init) where fd >= firstClosed { posix_spawn_file_actions_addclose(&actions, fd) }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | setSessionFlag))
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        guard result == 0 else { throw Failure(description: "cannot start \(argv[0]): \(String(cString: strerror(result)))") }
        return pid
    }

    /// The exit status as a shell reports it: the code, or 128 + the signal.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { return 255 }
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// This binary, for starting children of the same build.
    static func currentExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

/// glibc's pseudo-terminal calls that Swift's Glibc module does not show.
enum PTYCalls {
    typealias OnDescriptor = @convention(c) (Int32) -> Int32
    typealias Name = @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32

    static let grant: OnDescriptor? = lookUp("grantpt")
    static let unlock: OnDescriptor? = lookUp("unlockpt")
    static let name: Name? = lookUp("ptsname_r")

    private static func lookUp<T>(_ symbol: String) -> T? {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), symbol) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }
}
