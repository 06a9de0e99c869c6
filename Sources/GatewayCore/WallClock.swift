/// The current time as UTC milliseconds since the Unix epoch.
///
/// Every store and the token verifier take one, so tests can move time forward.
public protocol WallClock: Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    var now: Int64 { get }
}
