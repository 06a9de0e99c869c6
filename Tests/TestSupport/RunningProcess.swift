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

    private let child: ChildSpawn
    private let name: String
    private let collected = Mutex([UInt8]())
    private let exitStatus = Mutex<Int32?>(nil)
    private let inputOpen = Mutex(true)

    /// Starts `executable` at the lowest CPU priority (`nice -n 19`; nice execs, so the pid is the child's):
    /// churn such as the crash test's must not starve the tests running beside it.
    public static func lowPriority(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> RunningProcess {
        try RunningProcess("/usr/bin/nice", ["-n", "19", executable] + arguments, environment: environment)
    }

    /// Starts `executable` with `arguments`; standard output and error are merged.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        child = try ChildSpawn.start(executable, arguments, environment: environment)
        name = (arguments.first { !$0.hasPrefix("-") && $0 != "19" }).map { "\((executable as NSString).lastPathComponent) \($0)" }
            ?? (executable as NSString).lastPathComponent
        let child = self.child
        Thread.detachNewThread { [self] in
            child.readOutput { chunk in self.collected.withLock { $0 += chunk } }
            let status = child.waitForExit()
            self.exitStatus.withLock { $0 = status }
        }
    }

    public var pid: Int32 { child.pid }
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
        // Once more after the deadline: a task that got no CPU for a while must not miss output that came in time.
        let output = self.output
        if output.utf8.count >= offset, String(decoding: Array(output.utf8.dropFirst(offset)), as: UTF8.self).contains(text) { return output }
        throw Timeout(description: "no \"\(text)\" in the output of \(name): \(output)")
    }

    /// The first `scheme://host:port` printed after `prefix`, as its port.
    public func port(after prefix: String) async throws -> Int {
        let output = try await waitForOutput(containing: prefix)
        let line = output.components(separatedBy: "\n").first { $0.contains(prefix) }!
        return Int(line.split(separator: ":").last!.trimmingCharacters(in: .whitespaces))!
    }

    /// Writes `text` to the child's standard input.
    public func write(_ text: String) {
        child.write(Array(text.utf8))
    }

    /// Closes the child's standard input (end of file for it); later calls do nothing.
    public func closeInput() {
        let child = self.child
        inputOpen.withLock { open in
            if open { child.closeInput() }
            open = false
        }
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
        return status  // once more after the deadline: the exit may have come in time for a task that got no CPU
    }

    /// Ends the process if it still runs (SIGKILL) — for cleanup after a failed test.
    public func stop() {
        if status == nil { kill(pid, SIGKILL) }
    }

    deinit {
        closeInput()
    }
}
