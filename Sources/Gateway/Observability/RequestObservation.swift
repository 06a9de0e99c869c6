import Synchronization

/// Facts about the request being served that are learned deep inside it (the tenant once authenticated,
/// the time spent waiting for Weavr), for its access-log line and metrics.
///
/// `ObservabilityMiddleware` binds one to `RequestObservation.current` (a task local) around the request;
/// code anywhere below reads `RequestObservation.current` and records into it, without threading it through
/// every call. An immediate route (`Router.immediate`: no session, no Weavr) runs without one.
public final class RequestObservation: Sendable {
    private struct State {
        var tenant: String?
        var upstreamNanoseconds: UInt64 = 0
        var upstreamCalls = 0
    }

    /// The observation of the request this task serves, if any.
    @TaskLocal public static var current: RequestObservation?

    private let state = Mutex(State())

    public init() {}

    /// The authenticated (so known) tenant id.
    public var tenant: String? {
        get { state.withLock { $0.tenant } }
        set { state.withLock { $0.tenant = newValue } }
    }

    /// Total time of upstream attempts made for this request.
    public var upstreamNanoseconds: UInt64 {
        state.withLock { $0.upstreamNanoseconds }
    }

    /// Upstream attempts made for this request.
    public var upstreamCalls: Int {
        state.withLock { $0.upstreamCalls }
    }

    /// Adds one upstream attempt's duration.
    public func addUpstream(nanoseconds: UInt64) {
        state.withLock { state in
            state.upstreamNanoseconds &+= nanoseconds
            state.upstreamCalls += 1
        }
    }
}
