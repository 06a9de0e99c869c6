/// How long sessions live.
public struct SessionLifetime: Sendable, Hashable {
    /// Weavr's auth token dies after 5 minutes without use, so a session's idle timeout
    /// may not be longer (docs/ARCHITECTURE.md "Auth"; Weavr Multi API, "auth_token" idle expiry).
    public static let maxIdleTimeout: Int64 = 5 * 60 * 1000

    /// Idle timeout in ms; default and maximum 5 minutes.
    public let idleTimeout: Int64
    /// Absolute lifetime in ms; default 8 hours.
    public let absoluteLifetime: Int64

    /// Creates a lifetime; `idleTimeout` is capped at `maxIdleTimeout`, and both are at least 1 s.
    public init(idleTimeout: Int64 = maxIdleTimeout, absoluteLifetime: Int64 = 8 * 60 * 60 * 1000) {
        self.idleTimeout = min(max(idleTimeout, 1000), Self.maxIdleTimeout)
        self.absoluteLifetime = max(absoluteLifetime, 1000)
    }
}
