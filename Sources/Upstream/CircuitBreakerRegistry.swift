import Synchronization

/// One `CircuitBreaker` per Weavr base URL, so every tenant's client calling the same Weavr shares it.
public final class CircuitBreakerRegistry: Sendable {
    private let configuration: CircuitBreaker.Configuration
    private let breakers = Mutex<[String: CircuitBreaker]>([:])

    public init(configuration: CircuitBreaker.Configuration = CircuitBreaker.Configuration()) {
        self.configuration = configuration
    }

    /// The breaker of `baseURL`, created on first use.
    public func breaker(for baseURL: String) -> CircuitBreaker {
        breakers.withLock { breakers in
            if let breaker = breakers[baseURL] { return breaker }
            let breaker = CircuitBreaker(configuration: configuration)
            breakers[baseURL] = breaker
            return breaker
        }
    }

    /// Every base URL with its breaker, for metrics.
    public var all: [String: CircuitBreaker] {
        breakers.withLock { $0 }
    }

    /// Every base URL with its breaker's state, for metrics and readiness.
    public var states: [String: CircuitBreaker.State] {
        let current = breakers.withLock { $0 }
        return current.mapValues(\.state)
    }
}
