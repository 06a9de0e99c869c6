import Foundation
import NIOFreeHTTP
import Upstream
import WeavrSimulator

/// A simulator on a free port and a `WeavrClient` talking to it over real sockets.
struct UpstreamHarness {
    let simulator: WeavrSimulator
    let http: HTTPClient
    let client: WeavrClient
    let baseURL: String
    let port: Int

    /// Another client on the same HTTP pool, e.g. with a different configuration or breaker.
    func makeClient(configuration: WeavrClient.Configuration = .forTests, breaker: CircuitBreaker? = nil, apiKey: String = Demo.apiKey) -> WeavrClient {
        WeavrClient(baseURL: baseURL, apiKey: apiKey, http: http, configuration: configuration, circuitBreaker: breaker)
    }

    /// Logs `email` in and returns the token.
    func login(_ email: String = Demo.aliceEmail, _ password: String = Demo.alicePassword) async throws -> String {
        try await client.loginWithPassword(email: email, password: password).value.token
    }

    /// Captured requests on `route` with `method`.
    func captured(_ method: String, _ route: String) -> [CapturedRequest] {
        simulator.capturedRequests.filter { $0.method == method && $0.route == route }
    }
}

extension WeavrClient.Configuration {
    /// Short deadlines and pauses so failure tests stay fast.
    static var forTests: WeavrClient.Configuration {
        var configuration = WeavrClient.Configuration()
        configuration.attemptTimeout = .seconds(2)
        configuration.overallTimeout = .seconds(5)
        configuration.retry.baseDelay = .milliseconds(10)
        configuration.retry.maxDelay = .milliseconds(50)
        return configuration
    }
}

/// Runs `body` against a fresh simulator and client, then shuts both down.
func withUpstream<T>(
    clock: any SimulatorClock = SystemSimulatorClock(),
    simulatorConfiguration: (inout WeavrSimulator.Configuration) -> Void = { _ in },
    clientConfiguration: WeavrClient.Configuration = .forTests,
    breaker: CircuitBreaker? = nil,
    _ body: (UpstreamHarness) async throws -> T
) async throws -> T {
    var configuration = WeavrSimulator.Configuration()
    simulatorConfiguration(&configuration)
    let simulator = WeavrSimulator(seed: .demo, clock: clock, configuration: configuration)
    let address = try simulator.start(host: "127.0.0.1", port: 0)
    let group = EventLoopGroup(threads: 1)
    let http = try HTTPClient(group: group)
    let baseURL = "http://127.0.0.1:\(address.port)"
    let client = WeavrClient(baseURL: baseURL, apiKey: Demo.apiKey, http: http, configuration: clientConfiguration, circuitBreaker: breaker)
    let harness = UpstreamHarness(simulator: simulator, http: http, client: client, baseURL: baseURL, port: address.port)
    func tearDown() async {
        await http.shutdown()
        group.shutdown()
        await simulator.shutdown()
    }
    do {
        let result = try await body(harness)
        await tearDown()
        return result
    } catch {
        await tearDown()
        throw error
    }
}

/// The `WeavrError` `body` throws, or nil when it succeeds.
func weavrError<T>(_ body: () async throws(WeavrError) -> T) async -> WeavrError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}

/// Milliseconds since `start`.
func elapsedMilliseconds(since start: ContinuousClock.Instant) -> Int64 {
    let elapsed = ContinuousClock.now - start
    return elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
}

/// The demo seed's fixed data.
enum Demo {
    static let apiKey = "sim-demo-api-key"
    static let aliceEmail = "alice@example.com"
    static let alicePassword = "Password1!"
    static let bobEmail = "bob@example.com"
    static let bobPassword = "Password2!"
    static let acmeIdentity = "100000000000000001"
    static let alice = "100000000000000101"
    static let bob = "100000000000000102"
    static let fundedCard = "100000000000000301"
    static let emptyGBPCard = "100000000000000302"
    static let systemBlockedCard = "100000000000000303"
    static let userBlockedCard = "100000000000000304"
    static let eurAccount = "100000000000000201"
    static let transferProfile = "401"

    static func cardBody(name: String = "Test card", tag: String? = nil) -> CardCreateBody {
        CardCreateBody(
            profileId: "101", friendlyName: name, nameOnCard: "Alice Admin",
            billingAddress: BillingAddress(addressLine1: "1 Main St", city: "London", postCode: "N1 1AA", country: "GB"),
            mode: "PREPAID_MODE", currency: "EUR", tag: tag
        )
    }

    static func userBody(_ n: Int) -> UserCreateBody {
        UserCreateBody(name: "User\(n)", surname: "Test", email: "user\(n)-\(UInt32.random(in: 0...UInt32.max))@example.com",
                       mobile: MobileNumber(countryCode: "+44", number: "77009\(String(format: "%05d", n))"))
    }
}

/// A monotonic clock the test moves by hand, for the circuit breaker's cool-down.
final class ManualNanosecondClock: Sendable {
    private let current = ManualCounter()

    func now() -> UInt64 { current.value }
    func advance(by duration: Duration) {
        current.add(UInt64(duration.components.seconds) * 1_000_000_000 + UInt64(duration.components.attoseconds / 1_000_000_000))
    }
}

extension ManualNanosecondClock {
    /// A breaker on this clock that opens after `failureThreshold` consecutive failures, for `coolDown`.
    func breaker(failureThreshold: Int, coolDown: Duration = .seconds(10)) -> CircuitBreaker {
        var configuration = CircuitBreaker.Configuration()
        configuration.failureThreshold = failureThreshold
        configuration.coolDown = coolDown
        return CircuitBreaker(configuration: configuration) { self.now() }
    }
}
