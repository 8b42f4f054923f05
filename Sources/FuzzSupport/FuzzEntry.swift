import Foundation

/// One entry point for every fuzz target. Built by `fuzz/run` (with `-sanitize=fuzzer` and
/// `-D BACKSTAGE_LIBFUZZER`) it hands control to libFuzzer; in a plain `swift build` it replays
/// the files and directories named on the command line, so CI compiles the targets and anyone
/// can re-run a corpus or a crash file without the fuzzer.
public enum FuzzEntry {
    /// The target's check; a crash (trap, precondition) is the finding.
    nonisolated(unsafe) private static var check: ([UInt8]) -> Void = { _ in }

    public static func main(_ check: @escaping ([UInt8]) -> Void) -> Never {
        Self.check = check
        #if BACKSTAGE_LIBFUZZER
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, count in
            FuzzEntry.check(Array(UnsafeBufferPointer(start: data, count: count)))
            return 0
        })
        #else
        exit(replay(Array(CommandLine.arguments.dropFirst())))
        #endif
    }

    /// Runs the check on every file given (directories: every file inside). Returns the exit status.
    static func replay(_ paths: [String]) -> Int32 {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("no such file: \(path)\n".utf8))
                return 2
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.sorted().map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            check([UInt8](data))
        }
        print("replayed \(files.count) inputs without a crash")
        return 0
    }
}

#if BACKSTAGE_LIBFUZZER
// libFuzzer's driver, for a program that keeps its own main (SwiftPM links executables through one).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif
