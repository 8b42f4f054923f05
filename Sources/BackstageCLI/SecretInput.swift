import BackstageCore
import Foundation

/// Secrets never come from arguments (they would show in `ps` and shell history): from stdin
/// with the `--*-stdin` flags, else typed at a prompt with echo off.
enum SecretInput {
    /// Reads the lines the `--*-stdin` flags ask for, in order: the client secret first, then the
    /// password. Each is one line; a trailing CR is dropped.
    static func fromStdin(count: Int) throws -> [Secret] {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIFailure(message: "standard input is not UTF-8 text", status: ExitStatus.invalidInput)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        if lines.last == "" { lines.removeLast() }
        return (0..<count).map { index in Secret(index < lines.count ? lines[index] : "") }
    }

    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// Prompts on stderr and reads one line from the terminal with echo off.
    static func prompt(_ label: String) -> Secret? {
        guard stdinIsTerminal else { return nil }
        FileHandle.standardError.write(Data("\(label): ".utf8))
        var saved = termios()
        let haveTerminal = tcgetattr(STDIN_FILENO, &saved) == 0
        if haveTerminal {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            silent.c_lflag |= tcflag_t(ECHONL)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        }
        defer { if haveTerminal { tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) } }
        guard let line = readLine(strippingNewline: true) else { return nil }
        return Secret(line)
    }
}
