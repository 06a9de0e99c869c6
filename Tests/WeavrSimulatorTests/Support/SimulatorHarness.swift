import Foundation
import NIOFreeHTTP
import WeavrSimulator

/// Runs `body` against a fresh simulator on a free port, then shuts it down.
func withSimulator<T>(
    seed: SimulatorSeed = .demo,
    clock: any SimulatorClock = SystemSimulatorClock(),
    configure: (inout WeavrSimulator.Configuration) -> Void = { _ in },
    _ body: (WeavrSimulator, TestClient) async throws -> T
) async throws -> T {
    var configuration = WeavrSimulator.Configuration()
    configure(&configuration)
    let simulator = WeavrSimulator(seed: seed, clock: clock, configuration: configuration)
    let address = try simulator.start(host: "127.0.0.1", port: 0)
    do {
        let result = try await body(simulator, TestClient(port: address.port))
        await simulator.shutdown()
        return result
    } catch {
        await simulator.shutdown()
        throw error
    }
}

/// Polls `condition` every 10 ms until it holds or `timeout` seconds pass.
func eventually(timeout: Double = 5, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

enum Demo {
    static let fundedCard = "100000000000000301"
    static let emptyGBPCard = "100000000000000302"
    static let systemBlockedCard = "100000000000000303"
    static let userBlockedCard = "100000000000000304"
    static let debitCard = "100000000000000305"
    static let carolCard = "100000000000000311"
    static let eurAccount = "100000000000000201"
    static let bob = "100000000000000102"
    static let eurProfile = "101"

    static func cardRequest(name: String = "Test card", tag: String? = nil, profile: String = "101", currency: String = "EUR") -> [String: Any] {
        var body: [String: Any] = [
            "profileId": profile, "friendlyName": name, "nameOnCard": "Alice Admin", "mode": "PREPAID_MODE", "currency": currency,
            "billingAddress": ["addressLine1": "1 Main St", "city": "London", "postCode": "N1 1AA", "country": "GB"],
        ]
        if let tag { body["tag"] = tag }
        return body
    }
}
