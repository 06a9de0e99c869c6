import Audit
import GatewayCore
import Testing

struct AuditDetailsTests {
    @Test(arguments: [
        "password", "newPassword", "api_key", "apiKey", "X-Api-Key", "token", "auth_token", "accessToken", "pan",
        "cardPan", "card.pan", "cvv", "CVV2", "cvc", "card_number", "cardNumber", "pin", "cardPIN", "otp", "secret",
        "clientSecret", "Authorization", "cookie", "credentials",
    ])
    func refusesKeysThatNameSecrets(_ key: String) {
        #expect(throws: AuditError.forbiddenDetailKey(key)) {
            try AuditDetails([key: "x"])
        }
    }

    @Test(arguments: ["company", "span", "spinner", "state", "blockedReason", "bulkId", "card.state", "panel", "reason-code"])
    func acceptsOrdinaryKeys(_ key: String) throws {
        #expect(try AuditDetails([key: "x"]).fields[key] == "x")
    }

    @Test(arguments: ["", "with space", "quote\"", String(repeating: "k", count: 65), "naïve"])
    func refusesMalformedKeys(_ key: String) {
        #expect(throws: AuditError.invalidDetailKey(key)) {
            try AuditDetails([key: "x"])
        }
    }

    @Test(arguments: ["4111111111111111", "card 4111 1111 1111 1111 used", "5500-0000-0000-0004"])
    func refusesValuesThatLookLikeCardNumbers(_ value: String) {
        #expect(throws: AuditError.detailValueLooksLikeCardNumber(key: "note")) {
            try AuditDetails(["note": .string(value)])
        }
    }

    @Test(arguments: ["4111111111111112", "12345678901234567890123", "2025-06-01", "order 1234"])
    func acceptsNumbersThatAreNotCardNumbers(_ value: String) throws {
        #expect(try AuditDetails(["note": .string(value)]).fields["note"] == .string(value))
    }

    @Test func capsStringValuesAndStripsControlCharacters() throws {
        let details = try AuditDetails(["note": .string("a\u{0}b\r\nc\u{1b}[31m" + String(repeating: "x", count: 1_000))])
        guard case .string(let note) = details.fields["note"] else {
            Issue.record("not a string")
            return
        }
        #expect(note.count == AuditDetails.maxStringLength)
        #expect(note.hasPrefix("abc[31m"))
    }

    @Test func refusesTooManyFields() {
        let fields = Dictionary(uniqueKeysWithValues: (0...AuditDetails.maxFieldCount).map { ("k\($0)", AuditDetails.Value.integer(1)) })
        #expect(throws: AuditError.tooManyDetailFields(AuditDetails.maxFieldCount + 1)) { try AuditDetails(fields) }
    }

    @Test func jsonIsCanonicalWithSortedKeys() throws {
        let details = try AuditDetails(["b": 2, "a": "x\"y", "c": true])
        #expect(details.json == #"{"a":"x\"y","b":2,"c":true}"#)
        #expect(AuditDetails.empty.json == "{}")
    }

    @Test func entryKeepsOnlyTheHashOfTheSessionID() async throws {
        let fixture = try await AuditFixture()
        let sid = "3f2a9c0d1e4b5a6978877665544332211"
        let entry = AuditEntry(tenant: "acme", actor: "u1", sessionID: sid, action: .authLogin, outcome: .success)
        try await fixture.log.append(entry)
        // A raw session id put straight into sessionHash is hashed too.
        var careless = entry
        careless.sessionHash = sid
        try await fixture.log.append(careless)
        let records = try await fixture.log.query(AuditFilter(), limit: 10).records
        #expect(records.map(\.sessionHash) == [SHA256.hexHash(sid), SHA256.hexHash(sid)])
    }

    @Test func userAgentIsTruncatedAndCleaned() async throws {
        let fixture = try await AuditFixture()
        var entry = AuditFixture.entry(1)
        entry.userAgent = "evil\r\nX-Injected: 1\t" + String(repeating: "A", count: 1_000)
        try await fixture.log.append(entry)
        let agent = try await #require(fixture.log.query(AuditFilter(), limit: 1).records.first?.userAgent)
        #expect(agent.count == 256)
        #expect(agent.hasPrefix("evilX-Injected: 1AAA"))
    }

    @Test func actionNamesAreValidated() {
        #expect(AuditAction(rawValue: "card.block") == .cardBlock)
        #expect(AuditAction.admin("tenant.create")?.rawValue == "admin.tenant.create")
        #expect(AuditAction(rawValue: "card") == nil)
        #expect(AuditAction(rawValue: "Card.Block") == nil)
        #expect(AuditAction(rawValue: "card..block") == nil)
    }
}
