import Foundation
import Glibc
import Synchronization

/// A long-running child process (the gateway or the simulator binary) whose output is collected by
/// Foundation's reader thread; waiting polls with `Task.sleep`, so no Swift concurrency thread ever blocks.
final class ChildProcess: Sendable {
    private let process: Process
    private let output = Mutex("")

    private init(process: Process) {
        self.process = process
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var text: String { output.withLock { $0 } }

    /// Starts `executable` and waits (up to `timeout`) for a line of standard output containing `marker`;
    /// returns the process and the port at the end of that line (`… http://127.0.0.1:PORT`).
    static func launch(
        _ executable: String, _ arguments: [String], environment: [String: String], marker: String, timeout: Duration = .seconds(15)
    ) async throws -> (ChildProcess, port: Int) {
        let process = Process()
        // Children run at the lowest CPU priority (nice execs, so the pid is the child's): the crash test's
        // process churn must not starve the timing-sensitive tests running beside it.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nice")
        process.arguments = ["-n", "19", executable] + arguments
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let child = ChildProcess(process: process)
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            child.output.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = child.text.split(separator: "\n").first(where: { $0.contains(marker) }),
               let port = line.split(separator: ":").last.flatMap({ Int(String($0).filter(\.isNumber)) }) {
                return (child, port)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        child.kill()
        throw HarnessError("\(executable) \(arguments.first ?? "") did not start: \(child.text)")
    }

    /// SIGKILL: no shutdown code runs.
    func kill() {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits until the process has exited (polling).
    func waitForExit(timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw HarnessError("process \(pid) did not exit") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
