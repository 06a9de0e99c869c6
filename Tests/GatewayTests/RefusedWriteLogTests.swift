import Audit
import Foundation
@testable import Gateway
import Logging
import NIOFreeHTTP
import Storage
import Testing

/// Writes refused for want of the database (the 503s of a full disk) are logged at warning with the reason,
/// one line per reason per interval, never one per request.
@Suite("Refused write log")
struct RefusedWriteLogTests {
    typealias Seed = GatewayHarness.Seed

    static func capturingLogger(_ lines: LogLines) -> Logger {
        Logger(label: "storage") { label in
            JSONLogHandler(label: label, sink: { line in lines.append(String(decoding: line, as: UTF8.self)) })
        }
    }

    static func objects(_ lines: LogLines) -> [[String: Any]] {
        lines.all.split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
        }
    }

    @Test func aBurstOfRefusedCardBlocksOnAFullDiskLogsOneWarningNamingTheReason() async throws {
        let lines = LogLines()
        var settings = GatewayServices.Settings()
        settings.storageLogger = Self.capturingLogger(lines)
        settings.refusedWriteLogInterval = .seconds(600)  // the burst is inside it however long a busy machine takes
        let harness = try await GatewayHarness(settings: settings, backend: .sqlite)  // SQLite-specific: an SQLite file capped
        do {
            let token = try await harness.login()
            #expect(try await harness.call("POST", "/v1/cards/\(Seed.emptyGBP)/block", token: token).status == 200)
            #expect(lines.all.isEmpty)
            #expect(try await FailClosedTests.fillTheDisk(harness))
            // Five refusals in a row, inside the interval: one line.
            for _ in 0..<5 {
                let refused = try await harness.call("POST", "/v1/cards/\(Seed.fundedEUR)/block", token: token)
                #expect(refused.status == 503)
            }

            let warnings = Self.objects(lines).filter { $0["message"] as? String == "storage write refused" }
            #expect(warnings.count == 1, "\(lines.all)")
            let warning = try #require(warnings.first)
            #expect(warning["level"] as? String == "warning")
            #expect(warning["logger"] as? String == "storage")
            #expect(warning["reason"] as? String == "full")
            #expect(warning["detail"] as? String == "database or disk is full")
            #expect(!lines.all.contains("INSERT") && !lines.all.contains(Seed.fundedEUR) && !lines.all.contains("filler"))
        } catch {
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }

    @Test func oneLinePerReasonPerIntervalCarryingTheSuppressedCount() throws {
        let lines = LogLines()
        let log = RefusedWriteLog(logger: Self.capturingLogger(lines), interval: .seconds(10))
        let start = ContinuousClock.now
        for offset in 0..<50 {
            log.record(WriteFailure(error: .full, time: start + .milliseconds(offset * 100)))  // 0 … 4.9 s
        }
        log.record(WriteFailure(error: .ioError, time: start + .seconds(1)))
        log.record(WriteFailure(error: .full, time: start + .seconds(10)))
        log.record(WriteFailure(error: .full, time: start + .seconds(11)))

        let objects = Self.objects(lines)
        #expect(objects.map { $0["reason"] as? String } == ["full", "io_error", "full"])
        #expect(objects.map { $0["suppressed"] as? Int } == [0, 0, 49])
        #expect(objects.allSatisfy { $0["level"] as? String == "warning" })
    }
}
