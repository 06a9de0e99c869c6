import Logging
import Storage
import Synchronization

/// Warning lines for writes the database refused (the mutation failed closed with 503): one line per reason
/// at most every `interval`, carrying how many refusals of that reason it stands for since the last line
/// (`suppressed`), so a full disk under load writes a line every few seconds, not one per request.
///
/// A line names the reason (`full`, `io_error`, `read_only`, `busy`, `locked`, `closed`) and SQLite's fixed
/// description of it; never a statement, a bound value or anything from the request.
final class RefusedWriteLog: Sendable {
    /// The shortest time between two lines of the same reason. Default 10 s.
    static let defaultInterval: Duration = .seconds(10)

    private struct Reason {
        var lastLine: ContinuousClock.Instant
        var suppressed: Int
    }

    let logger: Logger
    let interval: Duration
    private let reasons = Mutex<[String: Reason]>([:])

    init(logger: Logger, interval: Duration = defaultInterval) {
        self.logger = logger
        self.interval = interval
    }

    /// Counts `failure`, and logs it unless a line for its reason went out less than `interval` before it.
    func record(_ failure: WriteFailure) {
        let reason = Self.reason(failure.error)
        let suppressed: Int? = reasons.withLock { reasons in
            if let previous = reasons[reason], failure.time - previous.lastLine < interval {
                reasons[reason]?.suppressed += 1
                return nil
            }
            let suppressed = reasons[reason]?.suppressed ?? 0
            reasons[reason] = Reason(lastLine: failure.time, suppressed: 0)
            return suppressed
        }
        guard let suppressed else { return }
        logger.warning("storage write refused", metadata: [
            "reason": .string(reason),
            "detail": .string(failure.error.description),
            "suppressed": .stringConvertible(suppressed),
        ])
    }

    /// The log's name for a refusal.
    static func reason(_ error: StorageError) -> String {
        switch error {
        case .full: "full"
        case .ioError: "io_error"
        case .readOnly: "read_only"
        case .busy: "busy"
        case .locked: "locked"
        case .closed: "closed"
        case .unreachable: "unreachable"
        case .corrupt: "corrupt"
        case .constraint: "constraint"
        case .notADatabase: "not_a_database"
        case .schemaTooNew: "schema_too_new"
        case .other: "other"
        }
    }
}
