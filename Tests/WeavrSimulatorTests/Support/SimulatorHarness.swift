import Foundation
import Testing
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
    static let gbpAccount = "100000000000000202"
    static let transferProfile = "401"
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

    /// A `POST /transfers` body moving `amount` minor units from `source` to `destination`.
    static func transfer(
        from source: (String, String), to destination: (String, String), amount: Int64, currency: String = "EUR",
        profile: String = transferProfile, tag: String? = nil
    ) -> [String: Any] {
        var body: [String: Any] = [
            "profileId": profile,
            "source": ["id": source.0, "type": source.1],
            "destination": ["id": destination.0, "type": destination.1],
            "destinationAmount": ["currency": currency, "amount": amount],
        ]
        if let tag { body["tag"] = tag }
        return body
    }

    static func card(_ id: String) -> (String, String) { (id, "managed_cards") }
    static func account(_ id: String) -> (String, String) { (id, "managed_accounts") }
}

/// Available and actual balance of an instrument, in minor units.
struct Balances: Equatable, CustomStringConvertible {
    var available: Int
    var actual: Int

    var description: String { "\(available)/\(actual)" }
}

extension TestClient {
    /// The balances of a prepaid card or a managed account, read with `GET`.
    func balances(_ instrument: (String, String), token: String) async throws -> Balances {
        let response = try await send("GET", "/\(instrument.1)/\(instrument.0)", token: token)
        let balances = try #require(response.object["balances"] as? [String: Any], "\(instrument.1) \(instrument.0): \(response.status)")
        return Balances(available: balances["availableBalance"] as? Int ?? -1, actual: balances["actualBalance"] as? Int ?? -1)
    }

    /// A test-only admin request (no api-key).
    func admin(_ method: String, _ path: String, json: Any? = nil) async throws -> TestResponse {
        var admin = self
        admin.apiKey = nil
        return try await admin.send(method, path, json: json)
    }

    /// The `transactions` of `GET /<kind>/<id>/transactions?<query>`, after checking the answer is 200.
    func transactions(_ instrument: (String, String), token: String, query: String = "") async throws -> (entries: [[String: Any]], count: Int) {
        let response = try await send("GET", "/\(instrument.1)/\(instrument.0)/transactions\(query.isEmpty ? "" : "?" + query)", token: token)
        try #require(response.status == 200, "\(response.status) \(response.text)")
        return (response.object["transactions"] as? [[String: Any]] ?? [], response.object["count"] as? Int ?? -1)
    }
}
