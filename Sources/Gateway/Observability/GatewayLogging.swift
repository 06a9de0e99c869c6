public import Logging

/// Process-wide logging setup: JSON lines on standard error.
public enum GatewayLogging {
    /// Makes every `Logger` in the process write JSON lines (`JSONLogHandler`) to standard error at `level`.
    /// Call once, first thing in `serve` (swift-log allows one bootstrap per process).
    public static func bootstrap(level: Logger.Level = .info) {
        LoggingSystem.bootstrap { label in
            JSONLogHandler(label: label, level: level)
        }
    }

    /// The logger for access-log lines (`logger: "access"`), for `GatewayServer.makeRouter(accessLogger:)`.
    public static var accessLogger: Logger {
        Logger(label: "access")
    }
}
