import Testing
@testable import NIOFreeHTTP

/// Session-ticket key rotation, with an injected clock.
struct TLSTicketKeyRingTests {
    private let interval = Duration.seconds(3_600)

    @Test func rotatesAndKeepsThePreviousKeyForOneInterval() throws {
        let start = ContinuousClock.now
        let ring = try #require(TLSTicketKeyRing(rotationInterval: interval, now: start))
        let first = ring.encryptionKey(now: start)
        #expect(ring.decryptionKey(named: first.name, now: start)?.isCurrent == true)

        let later = start + interval + .seconds(1)
        let second = ring.encryptionKey(now: later)
        #expect(second.name != first.name)
        #expect(second.aesKey != first.aesKey && second.hmacKey != first.hmacKey)
        // The old key still decrypts, and its tickets get renewed.
        #expect(ring.decryptionKey(named: first.name, now: later)?.isCurrent == false)
        #expect(ring.decryptionKey(named: second.name, now: later)?.isCurrent == true)

        let third = ring.encryptionKey(now: later + interval + .seconds(1))
        #expect(third.name != second.name)
        #expect(ring.decryptionKey(named: first.name, now: later + interval + .seconds(1)) == nil)
    }

    @Test func dropsBothKeysAfterTwoIdleIntervals() throws {
        let start = ContinuousClock.now
        let ring = try #require(TLSTicketKeyRing(rotationInterval: interval, now: start))
        let first = ring.encryptionKey(now: start)
        let muchLater = start + interval * 2 + .seconds(1)
        #expect(ring.decryptionKey(named: first.name, now: muchLater) == nil)
        #expect(ring.encryptionKey(now: muchLater).name != first.name)
    }

    @Test func unknownKeyNamesAreNotFound() throws {
        let ring = try #require(TLSTicketKeyRing(rotationInterval: interval))
        #expect(ring.decryptionKey(named: [UInt8](repeating: 0, count: 16)) == nil)
    }

    @Test func refusesASubSecondRotationInterval() throws {
        let certificates = try TestCertificates.shared()
        var configuration = TLSConfiguration.server(
            certificateChainFile: certificates.serverChain, privateKeyFile: certificates.serverKey)
        configuration.ticketKeyRotationInterval = .milliseconds(10)
        #expect(throws: TLSError.self) { try TLSContext.makeServer(configuration) }
    }
}
