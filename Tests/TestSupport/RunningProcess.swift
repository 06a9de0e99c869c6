public import Foundation
import Glibc
import Synchronization

/// A child process that keeps running while a test talks to it (the gateway, the simulator, curl,
/// `openssl s_client`): output is collected by a reader thread, and every wait polls observable state with
/// `Task.sleep`, so the test's task never blocks. The one child-process runner of the test targets.
public final class RunningProcess: Sendable {
    public struct Timeout: Error, CustomStringConvertible {
        public var description: String
    }

    private let process: Process
    private let input: Pipe
    private let collected = Mutex(Data())
    private let exitStatus = Mutex<Int32?>(nil)

    /// Starts `executable` at the lowest CPU priority (`nice -n 19`; nice execs, so the pid is the child's):
    /// churn such as the crash test's must not starve the tests running beside it.
    public static func lowPriority(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> RunningProcess {
        try RunningProcess("/usr/bin/nice", ["-n", "19", executable] + arguments, environment: environment)
    }

    /// Starts `executable` with `arguments`; standard output and error are merged.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let output = Pipe()
        input = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = input
        self.process = process
        try process.runSerialized()
        let reader = output.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                self.collected.withLock { $0.append(chunk) }
            }
            process.waitUntilExit()
            self.exitStatus.withLock { $0 = process.terminationStatus }
        }
    }

    public var pid: Int32 { process.processIdentifier }
    public var output: String { collected.withLock { String(decoding: $0, as: UTF8.self) } }
    public var status: Int32? { exitStatus.withLock { $0 } }

    /// Waits until the output contains `text` (or `timeout` passes); returns the whole output so far.
    @discardableResult
    public func waitForOutput(containing text: String, after offset: Int = 0, timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let output = self.output
            if output.utf8.count >= offset, String(decoding: Array(output.utf8.dropFirst(offset)), as: UTF8.self).contains(text) { return output }
            if status != nil { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Timeout(description: "no \"\(text)\" in the output of \(process.executableURL!.lastPathComponent): \(output)")
    }

    /// The first `scheme://host:port` printed after `prefix`, as its port.
    public func port(after prefix: String) async throws -> Int {
        let output = try await waitForOutput(containing: prefix)
        let line = output.components(separatedBy: "\n").first { $0.contains(prefix) }!
        return Int(line.split(separator: ":").last!.trimmingCharacters(in: .whitespaces))!
    }

    public func write(_ text: String) {
        try? input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }

    public func signal(_ number: Int32) {
        kill(pid, number)
    }

    /// Waits for the process to exit; its status, or nil after `timeout`.
    public func waitForExit(timeout: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status { return status }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Ends the process if it still runs (SIGKILL) — for cleanup after a failed test.
    public func stop() {
        if status == nil { kill(pid, SIGKILL) }
    }
}
