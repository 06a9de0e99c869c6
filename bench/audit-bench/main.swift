// Durable audited writes per second: each "block" appends one intent row and then one
// outcome row, each append awaiting its own durable commit (synchronous=FULL), as a card
// block does. Group commit vs one transaction per write, at several concurrencies.
//
// usage: audit-bench [--seconds S] [--dir DIR] [--concurrency 1,64] [--keep]
// (--keep leaves the databases in DIR, e.g. to try `weavr-gateway audit` on them)
import Audit
import Foundation
import Storage

struct Options {
    var seconds = 5.0
    var directory = NSTemporaryDirectory()
    var concurrencies = [1, 64]
    var keep = false

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--seconds": seconds = Double(iterator.next() ?? "") ?? seconds
            case "--dir": directory = iterator.next() ?? directory
            case "--concurrency": concurrencies = (iterator.next() ?? "").split(separator: ",").compactMap { Int($0) }
            case "--keep": keep = true
            default:
                FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
                exit(2)
            }
        }
    }
}

struct RunResult {
    var blocks: Int
    var elapsed: Double
    var statistics: WriterStatistics
    var verifySeconds: Double
    /// The process's user + system CPU time over the measured window (all threads: the workers and the writer).
    var cpuSeconds: Double
    var blocksPerSecond: Double { Double(blocks) / elapsed }
}

/// User + system CPU time of the whole process so far (`getrusage(RUSAGE_SELF)`).
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

func entry(_ worker: Int, _ index: Int, outcome: AuditOutcome) -> AuditEntry {
    AuditEntry(
        tenant: "bench", actor: "user-\(worker)", sessionID: "session-\(worker)", action: .cardBlock,
        target: "card-\(worker)-\(index)", outcome: outcome, httpStatus: outcome == .intent ? nil : 200,
        upstreamStatus: outcome == .intent ? nil : 204, upstreamRequestRef: outcome == .intent ? nil : "ref-\(index)",
        requestID: "req-\(worker)-\(index)", clientIP: "198.51.100.7", userAgent: "audit-bench/1.0",
        details: .empty
    )
}

func run(groupCommit: Bool, concurrency: Int, options: Options) async throws -> RunResult {
    let path = options.directory + "/audit-bench-\(ProcessInfo.processInfo.processIdentifier)-\(groupCommit)-\(concurrency).sqlite"
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    defer {
        if !options.keep { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    }

    let database = try Database.open(
        path: path,
        migrations: .audit,
        configuration: Database.Configuration(connection: SQLiteConnection.Configuration(synchronous: .full), groupCommit: groupCommit)
    )
    defer { database.close() }
    let log = SQLAuditLog(database: database)
    let before = database.statistics
    let cpuBefore = processCPUSeconds()
    let start = ContinuousClock.now
    let deadline = start + .milliseconds(Int64(options.seconds * 1000))

    let blocks = try await withThrowingTaskGroup(of: Int.self) { group in
        for worker in 0..<concurrency {
            group.addTask {
                var done = 0
                while ContinuousClock.now < deadline {
                    try await log.append(entry(worker, done, outcome: .intent))
                    try await log.append(entry(worker, done, outcome: .success))
                    done += 1
                }
                return done
            }
        }
        return try await group.reduce(0, +)
    }
    let elapsed = start.duration(to: .now)
    let cpuSeconds = processCPUSeconds() - cpuBefore
    let after = database.statistics
    var statistics = WriterStatistics()
    statistics.transactionsCommitted = after.transactionsCommitted - before.transactionsCommitted
    statistics.jobsCommitted = after.jobsCommitted - before.jobsCommitted
    statistics.jobsFailed = after.jobsFailed - before.jobsFailed
    statistics.largestBatch = after.largestBatch

    let verifyStart = ContinuousClock.now
    let verification = try await log.verify()
    guard verification.ok, verification.rows == 2 * blocks else {
        fatalError("chain does not verify: \(verification)")
    }
    let verifySeconds = verifyStart.duration(to: .now)
    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
    return RunResult(blocks: blocks, elapsed: seconds(elapsed), statistics: statistics, verifySeconds: seconds(verifySeconds), cpuSeconds: cpuSeconds)
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}

let options = Options(CommandLine.arguments)
print("audit-bench: \(options.seconds) s per run, synchronous=FULL, WAL, dir \(options.directory)")
print("each block = append(intent) then append(outcome), each awaiting its own durable commit")
print([
    pad("mode", 10), pad("conc", 5), pad("blocks/s", 10), pad("rows/s", 9), pad("commits", 8), pad("fsync/blk", 10),
    pad("jobs/commit", 12), pad("max batch", 10), pad("cpu us/blk", 11), pad("verify", 9),
].joined(separator: " "))

var results: [String: RunResult] = [:]
for concurrency in options.concurrencies {
    for groupCommit in [true, false] {
        let result = try await run(groupCommit: groupCommit, concurrency: concurrency, options: options)
        let mode = groupCommit ? "group" : "per-write"
        results["\(mode)-\(concurrency)"] = result
        let commits = result.statistics.transactionsCommitted
        print([
            pad(mode, 10), pad(String(concurrency), 5),
            pad(String(format: "%.0f", result.blocksPerSecond), 10),
            pad(String(format: "%.0f", 2 * result.blocksPerSecond), 9),
            pad(String(commits), 8),
            pad(String(format: "%.3f", Double(commits) / Double(max(result.blocks, 1))), 10),
            pad(String(format: "%.1f", Double(result.statistics.jobsCommitted) / Double(max(commits, 1))), 12),
            pad(String(result.statistics.largestBatch), 10),
            pad(String(format: "%.1f", result.cpuSeconds * 1e6 / Double(max(result.blocks, 1))), 11),
            pad(String(format: "%.2f s", result.verifySeconds), 9),
        ].joined(separator: " "))
    }
}
for concurrency in options.concurrencies {
    if let group = results["group-\(concurrency)"], let single = results["per-write-\(concurrency)"] {
        print(String(format: "c=%d: group commit / one commit per write = %.1fx", concurrency, group.blocksPerSecond / single.blocksPerSecond))
    }
}
print("(fsyncs: one WAL fsync per commit with synchronous=FULL, plus checkpoints; cpu: the process's user + system")
print(" time over the run per block, the writer thread's included)")
