import Synchronization

/// The admin tokens in force, replaceable while the gateway runs (SIGHUP re-reads `admin.tokensFile`): a
/// token removed from the file is refused from the next request on.
public final class AdminTokenSource: Sendable {
    private let current: Mutex<AdminTokens>

    public init(_ tokens: AdminTokens) {
        current = Mutex(tokens)
    }

    /// The tokens now in force.
    public var tokens: AdminTokens { current.withLock { $0 } }

    /// Puts `tokens` in force.
    public func replace(with tokens: AdminTokens) {
        current.withLock { $0 = tokens }
    }
}
