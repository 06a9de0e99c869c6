import CSystem
import Glibc

/// A child process started with `posix_spawn` (`csys_spawn`): standard input from a pipe, standard output
/// and error into one pipe, every other descriptor closed in the child. The tests' only way to start a
/// process — Foundation's `Process.run()` on Linux over-reads `/proc/self/fd` and crashes when the test
/// process has many descriptors open (swift-corelibs-foundation #5472), which a parallel run does.
struct ChildSpawn: Sendable {
    let pid: pid_t
    /// Read end of the child's standard output and error.
    let output: Int32
    /// Write end of the child's standard input.
    let input: Int32

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `executable` (a path, or a name looked up in `PATH`) with `arguments`; `environment` nil
    /// inherits this process's.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String]?) throws -> ChildSpawn {
        var outputPipe: [Int32] = [0, 0]
        var inputPipe: [Int32] = [0, 0]
        // Close-on-exec; the child gets its ends through dup2 (and closefrom drops everything else).
        guard pipe(&outputPipe) == 0, pipe(&inputPipe) == 0 else {
            throw Failure(description: "pipe: errno \(errno)")
        }
        for fd in outputPipe + inputPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc: Int32
        if let environment {
            let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { envp.forEach { free($0) } }
            rc = csys_spawn(executable, argv, envp, inputPipe[0], outputPipe[1], &pid)
        } else {
            rc = csys_spawn(executable, argv, environ, inputPipe[0], outputPipe[1], &pid)
        }
        close(outputPipe[1])
        close(inputPipe[0])
        guard rc == 0 else {
            close(outputPipe[0])
            close(inputPipe[1])
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        return ChildSpawn(pid: pid, output: outputPipe[0], input: inputPipe[1])
    }

    /// Blocks the calling thread reading output until the child closes it, passing each chunk to `chunk`.
    func readOutput(_ chunk: ([UInt8]) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(output, &buffer, buffer.count)
            if n > 0 {
                chunk(Array(buffer[0..<n]))
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        close(output)
    }

    /// Blocks the calling thread until the child exits; its exit status (128 + signal when killed).
    func waitForExit() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// Writes `bytes` to the child's standard input.
    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(input, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }

    /// Closes the child's standard input (end of file for it).
    func closeInput() {
        close(input)
    }
}
