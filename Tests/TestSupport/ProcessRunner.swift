public import Foundation

/// Runs a command to its end on its own thread (never blocking a Swift concurrency thread) and returns its
/// exit status and combined output.
public enum ProcessRunner {
    /// The same, blocking the calling thread: for synchronous fixtures (certificate generation) only.
    public static func runBlocking(_ arguments: [String], stdin: String = "", environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let child = try ChildSpawn.start(arguments[0], Array(arguments.dropFirst()), environment: environment)
        child.write(Array(stdin.utf8))
        child.closeInput()
        var output: [UInt8] = []
        child.readOutput { output += $0 }
        return (child.waitForExit(), String(decoding: output, as: UTF8.self))
    }

    /// `arguments[0]` is looked up in `PATH`; `stdin` is written to the command's standard input.
    public static func run(_ arguments: [String], stdin: String = "", environment: [String: String]? = nil) async throws -> (status: Int32, output: String) {
        let child = try ChildSpawn.start(arguments[0], Array(arguments.dropFirst()), environment: environment)
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                child.write(Array(stdin.utf8))
                child.closeInput()
                var output: [UInt8] = []
                child.readOutput { output += $0 }
                let status = child.waitForExit()
                continuation.resume(returning: (status, String(decoding: output, as: UTF8.self)))
            }
        }
    }
}
