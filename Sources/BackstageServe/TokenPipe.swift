import BackstageCore
import Foundation

/// A pipe holding the server's token for one child, which reads it from descriptor 3.
struct TokenPipe {
    let readEnd: Int32

    init(_ token: Secret) throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw ChildProcess.Failure(description: "no pipe for the token") }
        for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let bytes = Array(token.revealForTransmission().utf8)
        // A token is far smaller than a pipe's buffer, so this never blocks.
        let written = write(ends[1], bytes, bytes.count)
        close(ends[1])
        guard written == bytes.count else {
            close(ends[0])
            throw ChildProcess.Failure(description: "cannot hand over the token")
        }
        readEnd = ends[0]
    }

    func closeReadEnd() { close(readEnd) }
}
