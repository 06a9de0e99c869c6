import TestSupport
import Foundation
import Storage
import Testing
@testable import Auth
@testable import weavr_gateway

struct KeyRingTests {
    @Test(arguments: StoreBackend.allCases) func firstLoadCreatesOneActiveKey(backend: StoreBackend) async throws {
        let fixture = try await AuthFixture(backend: backend)
        _ = try await fixture.keyRing()
        _ = try await fixture.keyRing()
        let keys = try await fixture.keyStore.list()
        #expect(keys.count == 1 && keys[0].state == .active)
        #expect(keys[0].kid.utf8.count == 8)
    }

    @Test func keyIDsNeverStartWithADashSoTheCommandLineTakesThem() async throws {
        // One id in 64 would start with `-` if drawn plainly: 300 rotations would almost surely show one.
        let fixture = try await AuthFixture()
        let ring = try await fixture.keyRing()
        for _ in 0..<300 { _ = try await ring.rotate() }
        let kids = try await fixture.keyStore.list().map(\.kid)
        #expect(kids.count == 301)
        #expect(kids.allSatisfy { !$0.hasPrefix("-") && $0.utf8.count == 8 })
    }

    @Test(arguments: StoreBackend.allCases) func rotateKeepsExactlyOneActiveKey(backend: StoreBackend) async throws {
        let fixture = try await AuthFixture(backend: backend)
        let ring = try await fixture.keyRing()
        let first = try #require(ring.activeKeyID)
        fixture.clock.advance(by: 1)
        let second = try await ring.rotate()
        fixture.clock.advance(by: 1)
        let third = try await ring.rotate()
        let keys = try await fixture.keyStore.list()
        #expect(keys.map(\.kid) == [third.kid, second.kid, first])
        #expect(keys.map(\.state) == [.active, .verifying, .verifying])
    }

    @Test(arguments: StoreBackend.allCases) func retireRefusesTheActiveKeyAndUnknownIDs(backend: StoreBackend) async throws {
        let fixture = try await AuthFixture(backend: backend)
        let ring = try await fixture.keyRing()
        let active = try #require(ring.activeKeyID)
        await #expect(throws: KeyRingError.activeKey(kid: active)) { try await ring.retire(active) }
        await #expect(throws: KeyRingError.unknownKey(kid: "nope")) { try await ring.retire("nope") }
        #expect(ring.activeKeyID == active)
    }

    @Test func retiredKeysLoseTheirBytesAndListingShowsNoKeyMaterial() async throws {
        let fixture = try await AuthFixture()
        let ring = try await fixture.keyRing()
        let old = try #require(ring.activeKeyID)
        let oldKey = try #require(ring.verificationKey(for: Substring(old)))
        try await ring.rotate()
        let retired = try await ring.retire(old)
        #expect(retired.state == .retired && retired.retiredAt == fixture.clock.now)
        let sealed = try await fixture.database.read { try $0.query("SELECT key_sealed FROM signing_keys WHERE kid = ?", [.text(old)]) }
        #expect(sealed.first?[0] == .null)
        #expect(ring.verificationKey(for: Substring(old)) == nil)

        let output = try await KeyCommands(store: fixture.keyStore).list()
        #expect(output.contains(old) && output.contains("retired"))
        let json = String(decoding: try JSONEncoder().encode(try await fixture.keyStore.list()), as: UTF8.self)
        #expect(!json.contains(Base64.encode(oldKey)) && !json.contains(Base64.urlEncode(oldKey)))
        // Key bytes are stored only sealed.
        let current = try #require(ring.signingKey()).key
        #expect(try fixture.fileBytes().range(of: Data(current)) == nil)
    }

    @Test(arguments: StoreBackend.allCases) func storedKeysOpenOnlyWithTheTokenSigningSubkey(backend: StoreBackend) async throws {
        let fixture = try await AuthFixture(backend: backend)
        _ = try await fixture.keyRing()
        let wrongBox = SQLKeyRingStore(database: fixture.database, secretBox: fixture.secretBox, clock: fixture.clock)
        await #expect(throws: SecretBoxError.authenticationFailed) { try await wrongBox.loadVerifyingKeys() }
    }
}
