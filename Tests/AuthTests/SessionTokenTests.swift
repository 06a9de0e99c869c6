import Foundation
import GatewayCore
import Testing
@testable import Auth

struct SessionTokenTests {
    static let sid = String(repeating: "ab", count: 16)

    func claims(_ clock: ManualWallClock, tid: String = "acme", aud: String = "bearer", lifetime: Int64 = 3600) -> SessionClaims {
        SessionClaims(sid: Self.sid, tid: tid, sub: "user-42", aud: aud, iat: clock.now / 1000, exp: clock.now / 1000 + lifetime)
    }

    /// `.invalid` and the private reason.
    func rejection(_ token: String, audience: String = "bearer", now: Int64, ring: KeyRing) -> SessionTokenRejection? {
        var reason: SessionTokenRejection?
        do {
            _ = try SessionToken.verify(token, audience: audience, now: now, keyRing: ring) { reason = $0 }
            return nil
        } catch {
            #expect(error == .invalid)
            #expect("\(error)" == "invalid")
            return reason
        }
    }

    @Test func issuedTokenHasTheDesignFormatAndVerifies() async throws {
        let fixture = try await AuthFixture()
        let ring = try await fixture.keyRing()
        let claims = claims(fixture.clock)
        let token = try SessionToken.issue(claims, keyRing: ring)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        #expect(parts.count == 4 && parts[0] == "gw1" && parts[1] == ring.activeKeyID)
        let payload = try #require(Base64.urlDecode(Array(parts[2].utf8)))
        #expect(String(decoding: payload, as: UTF8.self)
            == #"{"sid":"\#(Self.sid)","tid":"acme","sub":"user-42","aud":"bearer","iat":\#(claims.iat),"exp":\#(claims.exp)}"#)
        // tag = HMAC-SHA256(key[kid], "gw1." + kid + "." + payload)
        let key = try #require(ring.verificationKey(for: Substring(parts[1])))
        let tag = HMACSHA256.authenticate(key: key, message: Array("gw1.\(parts[1]).\(parts[2])".utf8))
        #expect(parts[3] == Base64.urlEncode(tag))
        #expect(try SessionToken.verify(token, audience: "bearer", now: fixture.clock.now, keyRing: ring) == claims)
    }

    @Test func everyFlippedByteTruncationAndExtensionIsInvalid() async throws {
        let fixture = try await AuthFixture()
        let ring = try await fixture.keyRing()
        let token = try SessionToken.issue(claims(fixture.clock), keyRing: ring)
        let now = fixture.clock.now
        let bytes = Array(token.utf8)
        for index in bytes.indices {
            for mask: UInt8 in [0x01, 0x02, 0x20, 0x80] {
                var tampered = bytes
                tampered[index] ^= mask
                #expect(rejection(String(decoding: tampered, as: UTF8.self), now: now, ring: ring) != nil, "byte \(index) ^ \(mask)")
            }
        }
        for length in 0..<bytes.count {
            #expect(rejection(String(decoding: bytes[..<length], as: UTF8.self), now: now, ring: ring) != nil, "length \(length)")
        }
        for suffix in ["A", ".", "=", "==", ".x", " ", "\n", "\0"] {
            #expect(rejection(token + suffix, now: now, ring: ring) != nil, "suffix \(suffix.debugDescription)")
            #expect(rejection(suffix + token, now: now, ring: ring) != nil, "prefix \(suffix.debugDescription)")
        }
    }

    @Test func shapeAndKidAreCheckedBeforeAnyCrypto() async throws {
        let fixture = try await AuthFixture()
        let ring = try await fixture.keyRing()
        let token = try SessionToken.issue(claims(fixture.clock), keyRing: ring)
        let parts = token.split(separator: ".").map(String.init)
        let now = fixture.clock.now
        #expect(rejection(String(repeating: "A", count: 5000), now: now, ring: ring) == .malformed)
        #expect(rejection(token + String(repeating: "A", count: 1024), now: now, ring: ring) == .malformed)
        #expect(rejection("gw2.\(parts[1]).\(parts[2]).\(parts[3])", now: now, ring: ring) == .malformed)
        #expect(rejection("gw1.\(parts[1]).\(parts[2]).\(parts[3]).x", now: now, ring: ring) == .malformed)
        #expect(rejection("gw1..\(parts[2]).\(parts[3])", now: now, ring: ring) == .malformed)
        #expect(rejection("gw1.unknown1.\(parts[2]).\(parts[3])", now: now, ring: ring) == .unknownKey)
        #expect(rejection("gw1.\(parts[1]).\(parts[2]).\(parts[3].dropLast())", now: now, ring: ring) == .malformed)
        #expect(rejection("gw1.\(parts[1]).\(parts[2])==.\(parts[3])", now: now, ring: ring) == .malformed)
    }

    @Test(arguments: [
        "", ".", "...", "gw1...", "gw1.a.b.c", "Bearer x", "null", "{}", "gw1.k1.e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "gw1.%00.x.y", "gw1.k1.ü.y", String(repeating: ".", count: 2000), "eyJhbGciOiJub25lIn0.eyJzaWQiOiJ4In0.",
    ])
    func garbageIsInvalid(garbage: String) async throws {
        let fixture = try await AuthFixture()
        let ring = try await fixture.keyRing()
        #expect(rejection(garbage, now: fixture.clock.now, ring: ring) != nil)
    }

    @Test func signedButNonCanonicalPayloadsAreInvalid() async throws {
        let fixture = try await AuthFixture()
        let ring = try await fixture.keyRing()
        let (kid, key) = try #require(ring.signingKey())
        let now = fixture.clock.now / 1000
        let sid = Self.sid
        let payloads = [
            #"{"sid":"\#(sid)","sid":"\#(sid)","tid":"acme","sub":"u","aud":"bearer","iat":\#(now),"exp":\#(now + 60)}"#,
            #"{"tid":"acme","sid":"\#(sid)","sub":"u","aud":"bearer","iat":\#(now),"exp":\#(now + 60)}"#,
            #"{"sid":"\#(sid)","tid":"acme","sub":"u","aud":"bearer","iat":\#(now),"exp":\#(now + 60),"alg":"none"}"#,
            #"{"sid":"\#(sid)","tid":"acme","sub":"u","aud":"bearer","iat":\#(now),"exp":\#(now + 60)} "#,
            #"{ "sid":"\#(sid)","tid":"acme","sub":"u","aud":"bearer","iat":\#(now),"exp":\#(now + 60)}"#,
            #"{"sid":"\#(sid)","tid":"acme","sub":"u\"x","aud":"bearer","iat":\#(now),"exp":\#(now + 60)}"#,
            #"{"sid":"\#(sid)","tid":"acme","sub":"u","aud":"bearer","iat":0\#(now),"exp":\#(now + 60)}"#,
            #"{"sid":"\#(sid)","tid":"acme","sub":"u","aud":"bearer","iat":\#(now).0,"exp":\#(now + 60)}"#,
            #"{"sid":"\#(sid)","tid":"acme","sub":"u","aud":"bearer","iat":\#(now),"exp":\#(now)}"#,
            #"{"sid":"XYZ","tid":"acme","sub":"u","aud":"bearer","iat":\#(now),"exp":\#(now + 60)}"#,
            #"{"sid":"\#(sid)","tid":"Acme","sub":"u","aud":"bearer","iat":\#(now),"exp":\#(now + 60)}"#,
            "[]", "", "\u{0}",
        ]
        for payload in payloads {
            let encoded = Base64.urlEncode(Array(payload.utf8))
            let input = "gw1.\(kid).\(encoded)"
            let tag = HMACSHA256.authenticate(key: key, message: Array(input.utf8))
            let token = input + "." + Base64.urlEncode(tag)
            let reason = rejection(token, now: fixture.clock.now, ring: ring)
            #expect(reason == .badPayload || (payload.isEmpty && reason == .malformed), "\(payload)")
        }
    }

    /// The claims are parsed from the decoded payload as bytes: every byte value in `sub` is accepted exactly when
    /// it is in the grammar (`A-Z a-z 0-9 . _ : @ -`), as `isWellFormed` says of the same claims as strings.
    @Test func everyByteOfTheSubjectIsJudgedByTheGrammar() {
        let allowed = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:@-".utf8))
        for byte in UInt8.min...UInt8.max {
            let payload = Array(#"{"sid":"\#(Self.sid)","tid":"acme","sub":"u"#.utf8) + [byte]
                + Array(#"x","aud":"bearer","iat":1700000000,"exp":1700000060}"#.utf8)
            let claims = SessionClaims(canonicalJSON: payload)
            #expect((claims != nil) == allowed.contains(byte), "byte \(byte)")
            if let claims { #expect(claims.isWellFormed && claims.canonicalJSON == payload) }
        }
    }

    /// `Base64.urlDecode(_:into:)` (the tag and payload of every token, decoded on the stack) gives what
    /// `urlDecode` gives, for every length and for refused input.
    @Test func decodingIntoABufferMatchesTheArrayDecoder() {
        var inputs: [[UInt8]] = (0..<40).map { Array(Base64.urlEncode(Array(UInt8(0)..<UInt8($0)).map { $0 &* 37 &+ 11 }).utf8) }
        inputs += ["A", "AB", "ABC", "AB=", "A+B/", "AAB", "AAAAB", "Zm9vYg", "Zm9vYh", "_-_-", "ab cd"].map { Array($0.utf8) }
        for input in inputs {
            let expected = Base64.urlDecode(input)
            let decoded: [UInt8]? = input.withUnsafeBufferPointer { source in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: input.count) { buffer in
                    Base64.urlDecode(source, into: buffer).map { Array(buffer[..<$0]) }
                }
            }
            #expect(decoded == expected, "\(String(decoding: input, as: UTF8.self))")
        }
    }

    @Test func expiryNotBeforeAndAudienceAreEnforcedWithAFixedLeeway() async throws {
        let fixture = try await AuthFixture()
        let ring = try await fixture.keyRing()
        let now = fixture.clock.now
        let token = try SessionToken.issue(claims(fixture.clock, lifetime: 60), keyRing: ring)
        let expiry = (now / 1000 + 60) * 1000
        #expect(rejection(token, now: expiry + 29_000, ring: ring) == nil)
        #expect(rejection(token, now: expiry + 30_000, ring: ring) == .expired)
        #expect(rejection(token, now: now - 30_000, ring: ring) == nil)
        #expect(rejection(token, now: now - 31_000, ring: ring) == .notYetValid)
        #expect(rejection(token, audience: "cookie", now: now, ring: ring) == .wrongAudience)

        var future = claims(fixture.clock)
        future.iat += 120
        future.exp += 120
        #expect(rejection(try SessionToken.issue(future, keyRing: ring), now: now, ring: ring) == .notYetValid)
    }

    @Test func rotationLogsNobodyOutAndRetirementDoes() async throws {
        let fixture = try await AuthFixture()
        let ring = try await fixture.keyRing()
        let oldKid = try #require(ring.activeKeyID)
        let oldToken = try SessionToken.issue(claims(fixture.clock), keyRing: ring)

        let rotated = try await ring.rotate()
        #expect(rotated.kid != oldKid && ring.activeKeyID == rotated.kid)
        #expect(rejection(oldToken, now: fixture.clock.now, ring: ring) == nil)
        let newToken = try SessionToken.issue(claims(fixture.clock), keyRing: ring)
        #expect(newToken.hasPrefix("gw1.\(rotated.kid)."))

        // A second instance loading the same database agrees.
        let other = try await fixture.keyRing()
        #expect(rejection(oldToken, now: fixture.clock.now, ring: other) == nil)

        try await ring.retire(oldKid)
        #expect(rejection(oldToken, now: fixture.clock.now, ring: ring) == .unknownKey)
        #expect(rejection(newToken, now: fixture.clock.now, ring: ring) == nil)
        // The other instance stops accepting it once it reloads.
        try await other.reload()
        #expect(rejection(oldToken, now: fixture.clock.now, ring: other) == .unknownKey)
    }

    @Test func issueRefusesClaimsOutsideTheGrammar() async throws {
        let fixture = try await AuthFixture()
        let ring = try await fixture.keyRing()
        var bad = claims(fixture.clock)
        bad.sub = #"x","aud":"admin"#
        #expect(throws: SessionTokenError.cannotIssue) { try SessionToken.issue(bad, keyRing: ring) }
    }
}
