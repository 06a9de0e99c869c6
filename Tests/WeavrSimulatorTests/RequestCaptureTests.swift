import Foundation
import Testing
import WeavrSimulator

struct RequestCaptureTests {
    @Test func capturedRequestsRedactSecrets() async throws {
        try await withSimulator { simulator, client async throws in
            let token = try await client.login()
            _ = try await client.send("GET", "/managed_cards?limit=5", token: token)
            let captured = simulator.capturedRequests
            #expect(captured.count == 2)
            let login = captured[0]
            #expect(login.path == "/login_with_password")
            #expect(!login.body.contains("Password1!"))
            #expect(login.body.contains("<redacted>"))
            #expect(login.body.contains("alice@example.com"))
            let list = captured[1]
            #expect(list.query == "limit=5")
            #expect(list.route == "/managed_cards")
            let sensitive = list.headers.filter { ["api-key", "authorization"].contains($0[0].lowercased()) }
            #expect(sensitive.count == 2)
            #expect(sensitive.allSatisfy { $0[1] == "<redacted>" })

            var admin = client
            admin.apiKey = nil
            let exported = try await admin.send("GET", "/_simulator/requests")
            #expect(!exported.text.contains("sim-demo-api-key"))
            #expect(!exported.text.contains(token))
            #expect((exported.object["requests"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test func captureKeepsOnlyTheLastN() async throws {
        try await withSimulator(configure: { $0.capturedRequestLimit = 3 }) { simulator, client async throws in
            for _ in 0..<5 { _ = try await client.send("GET", "/managed_cards") }
            #expect(simulator.capturedRequests.map(\.sequence) == [3, 4, 5])
        }
    }

    @Test func seedLoadsFromJSON() async throws {
        let encoded = try JSONEncoder().encode(SimulatorSeed.demo)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UInt64.random(in: 0...UInt64.max)).json").path
        try encoded.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try SimulatorSeed.load(path: path) == SimulatorSeed.demo)
    }
}
