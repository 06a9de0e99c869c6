/// Per-request facts that are not part of the HTTP message, passed through middlewares to the handler.
public struct RequestContext: Sendable {
    /// The request id (from `X-Request-Id` or generated), set by `RequestIDMiddleware`.
    public var requestID: String = ""
    /// The loop serving the connection; tasks started here resume on it.
    public let eventLoop: EventLoop
    /// Monotonic nanoseconds when the request's head was complete.
    public let startedAt: UInt64
    /// The route pattern that matched ("/v1/cards/{id}"), set by the router; bounded label for metrics.
    public var route: String?
    /// Typed values added by middlewares (session, tenant, …).
    public var values = ContextValues()

    public init(eventLoop: EventLoop, startedAt: UInt64) {
        self.eventLoop = eventLoop
        self.startedAt = startedAt
    }
}

/// A key for a typed value in `ContextValues`.
public protocol ContextKey {
    associatedtype Value: Sendable
}

/// A small typed map for values middlewares hand to handlers.
public struct ContextValues: Sendable {
    private var storage: [ObjectIdentifier: any Sendable] = [:]

    public init() {}

    public subscript<Key: ContextKey>(_ key: Key.Type) -> Key.Value? {
        get { storage[ObjectIdentifier(key)] as? Key.Value }
        set { storage[ObjectIdentifier(key)] = newValue }
    }
}
