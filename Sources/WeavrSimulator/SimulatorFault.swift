/// A fault injected on one route: added latency for every matching request, and with probability
/// `errorRate` (deterministic, from the simulator's fault seed) a failure of kind `kind`.
///
/// JSON form (admin endpoint `POST /_simulator/faults`, see README): `{"latencyMs": 0, "errorRate": 1,
/// "kind": "none|status|tooManyRequests|connectionReset|garbageBody|slowTrickle", "status": 503,
/// "trickleChunkBytes": 4, "trickleIntervalMs": 20}`; every key is optional.
public struct SimulatorFault: Sendable, Equatable, Codable {
    /// What happens to a request the error rate selects.
    public enum Kind: Sendable, Equatable {
        /// Nothing beyond the latency.
        case none
        /// This status with no body (e.g. 500, 503); the request has no effect.
        case status(Int)
        /// Weavr's 429: no body, `x-ratelimit-limit` and `x-ratelimit-reset` headers; no effect.
        case tooManyRequests
        /// The connection is reset (TCP RST) without an answer; no effect.
        case connectionReset
        /// 200 with bytes that are not JSON; no effect.
        case garbageBody
        /// The real response (the request takes effect), its body sent `chunkBytes` at a time, `interval` apart.
        case slowTrickle(chunkBytes: Int, interval: Duration)
    }

    /// Added before the request is handled, for every matching request.
    public var latency: Duration
    /// Probability in 0…1 that `kind` applies to a matching request.
    public var errorRate: Double
    public var kind: Kind

    public init(latency: Duration = .zero, errorRate: Double = 1, kind: Kind = .none) {
        self.latency = latency
        self.errorRate = min(max(errorRate, 0), 1)
        self.kind = kind
    }

    /// Every matching request waits `duration` first.
    public static func latency(_ duration: Duration) -> SimulatorFault {
        SimulatorFault(latency: duration, kind: .none)
    }

    /// A fraction `rate` of matching requests gets `status` with no body.
    public static func status(_ status: Int, rate: Double = 1) -> SimulatorFault {
        SimulatorFault(errorRate: rate, kind: .status(status))
    }

    private enum CodingKeys: String, CodingKey {
        case latencyMs, errorRate, kind, status, trickleChunkBytes, trickleIntervalMs
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let latencyMs = try container.decodeIfPresent(Int.self, forKey: .latencyMs) ?? 0
        let rate = try container.decodeIfPresent(Double.self, forKey: .errorRate) ?? 1
        let kindName = try container.decodeIfPresent(String.self, forKey: .kind) ?? "none"
        let kind: Kind
        switch kindName {
        case "none": kind = .none
        case "status": kind = .status(try container.decodeIfPresent(Int.self, forKey: .status) ?? 500)
        case "tooManyRequests": kind = .tooManyRequests
        case "connectionReset": kind = .connectionReset
        case "garbageBody": kind = .garbageBody
        case "slowTrickle":
            let chunk = try container.decodeIfPresent(Int.self, forKey: .trickleChunkBytes) ?? 8
            let interval = try container.decodeIfPresent(Int.self, forKey: .trickleIntervalMs) ?? 50
            kind = .slowTrickle(chunkBytes: max(1, chunk), interval: .milliseconds(max(0, interval)))
        default:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown fault kind \(kindName)")
        }
        self.init(latency: .milliseconds(max(0, latencyMs)), errorRate: rate, kind: kind)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(latency.milliseconds, forKey: .latencyMs)
        try container.encode(errorRate, forKey: .errorRate)
        switch kind {
        case .none: try container.encode("none", forKey: .kind)
        case .status(let status):
            try container.encode("status", forKey: .kind)
            try container.encode(status, forKey: .status)
        case .tooManyRequests: try container.encode("tooManyRequests", forKey: .kind)
        case .connectionReset: try container.encode("connectionReset", forKey: .kind)
        case .garbageBody: try container.encode("garbageBody", forKey: .kind)
        case .slowTrickle(let chunkBytes, let interval):
            try container.encode("slowTrickle", forKey: .kind)
            try container.encode(chunkBytes, forKey: .trickleChunkBytes)
            try container.encode(interval.milliseconds, forKey: .trickleIntervalMs)
        }
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    var nanosecondsClamped: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
