import Glibc
import Testing
@testable import NIOFreeHTTP

/// A server and a client `TLSSession` talking over a socketpair.
struct TLSSessionTests {
    private func makePair(rsa: Bool = false, clientALPN: [String] = ["http/1.1"]) throws -> TLSPair {
        let certificates = try TestCertificates.shared()
        let server = TLSConfiguration.server(
            certificateChainFile: rsa ? certificates.rsaServerChain : certificates.serverChain,
            privateKeyFile: rsa ? certificates.rsaServerKey : certificates.serverKey)
        var client = TLSConfiguration.client(trustRoots: .file(certificates.caCertificate))
        client.alpn = clientALPN
        return try TLSPair(server: server, client: client)
    }

    @Test func handshakesWithTLS13AndHTTP11ByDefault() throws {
        let pair = try makePair()
        #expect(!pair.server.isHandshakeComplete)
        let (server, client) = pair.handshake()
        #expect(server == .done(0))
        #expect(client == .done(0))
        #expect(pair.server.isHandshakeComplete && pair.client.isHandshakeComplete)
        #expect(pair.server.protocolVersion == "TLSv1.3")
        #expect(pair.client.protocolVersion == "TLSv1.3")
        #expect(pair.server.negotiatedALPN == "http/1.1")
        #expect(pair.client.negotiatedALPN == "http/1.1")
        #expect(TLSConfiguration.tls13CipherSuites.split(separator: ":").contains { $0 == pair.server.cipher })
        #expect(pair.client.cipher == pair.server.cipher)
        // Once established, handshake() keeps answering done.
        #expect(pair.server.handshake() == .done(0))
    }

    @Test func handshakesWithAnRSACertificate() throws {
        let pair = try makePair(rsa: true)
        let (server, client) = pair.handshake()
        #expect(server == .done(0))
        #expect(client == .done(0))
    }

    @Test func carriesDataBothWays() throws {
        let pair = try makePair()
        #expect(pair.handshake() == (.done(0), .done(0)))
        let request = Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        let toServer = pair.transfer(request, from: pair.client, to: pair.server)
        #expect(toServer.failure == nil)
        #expect(toServer.received == request)
        let response = Array("HTTP/1.1 204 No Content\r\n\r\n".utf8)
        let toClient = pair.transfer(response, from: pair.server, to: pair.client)
        #expect(toClient.failure == nil)
        #expect(toClient.received == response)
    }

    @Test func carriesOneMebibyteThroughPartialWrites() throws {
        let pair = try makePair()
        #expect(pair.handshake() == (.done(0), .done(0)))
        let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let stats = pair.transfer(payload, from: pair.server, to: pair.client, readChunk: 7_000)
        #expect(stats.failure == nil)
        #expect(stats.received.count == payload.count)
        #expect(stats.received == payload)
        // The socketpair buffer is far smaller than 1 MiB: the writer must have been held back.
        #expect(stats.wantWrites + stats.partialWrites > 0)
    }

    @Test func reportsPlaintextBufferedInsideOpenSSL() throws {
        let pair = try makePair()
        #expect(pair.handshake() == (.done(0), .done(0)))
        let payload = [UInt8](repeating: 0x41, count: 5_000)  // one TLS record
        let written = payload.withUnsafeBytes { pair.client.write($0) }
        #expect(written == .done(5_000))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 100, alignment: 1)
        defer { buffer.deallocate() }
        #expect(pair.server.read(into: buffer) == .done(100))
        // The rest of the record is decrypted already: epoll would not wake for it.
        #expect(pair.server.pendingBytes == 4_900)
        var drained = 0
        while pair.server.pendingBytes > 0, case .done(let count) = pair.server.read(into: buffer) { drained += count }
        #expect(drained == 4_900)
        #expect(pair.server.read(into: buffer) == .wantRead)
    }

    @Test func closeNotifyReadsAsClosed() throws {
        let pair = try makePair()
        #expect(pair.handshake() == (.done(0), .done(0)))
        pair.client.shutdown()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1_024, alignment: 1)
        defer { buffer.deallocate() }
        #expect(pair.server.read(into: buffer) == .closed)
    }

    @Test func peerDroppingTCPReadsAsClosed() throws {
        let pair = try makePair()
        #expect(pair.handshake() == (.done(0), .done(0)))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1_024, alignment: 1)
        defer { buffer.deallocate() }
        // Consume the server's TLS 1.3 session tickets first: closing a socket with unread
        // data sends a reset (ECONNRESET, reported as .failed), not a FIN.
        #expect(pair.client.read(into: buffer) == .wantRead)
        pair.closeClientSocket()
        // SSL_OP_IGNORE_UNEXPECTED_EOF: EOF without close_notify is a close, not an error.
        #expect(pair.server.read(into: buffer) == .closed)
        pair.server.shutdown()  // best-effort, must not crash or block on a dead peer
    }

    @Test func failsTheHandshakeWhenALPNHasNoOverlap() throws {
        let pair = try makePair(clientALPN: ["h2"])
        let (server, client) = pair.handshake()
        // RFC 7301 §3.2: no_application_protocol.
        #expect(server.failureMessage.contains("no application protocol"), "\(server)")
        #expect(client.failureMessage.contains("no application protocol"), "\(client)")
    }

    @Test func servesClientsWithoutALPN() throws {
        let pair = try makePair(clientALPN: [])
        #expect(pair.handshake() == (.done(0), .done(0)))
        #expect(pair.server.negotiatedALPN == nil)
    }

    @Test(arguments: ["TLSv1.3", "TLSv1.2"])
    func resumesWithASessionTicket(version: String) throws {
        let certificates = try TestCertificates.shared()
        let server = try TLSContext.makeServer(
            .server(certificateChainFile: certificates.serverChain, privateKeyFile: certificates.serverKey))
        var clientConfiguration = TLSConfiguration.client(trustRoots: .file(certificates.caCertificate))
        clientConfiguration.allowsTLS13 = version == "TLSv1.3"
        let client = try TLSContext.makeClient(clientConfiguration)

        let first = try TLSPair(serverContext: server, clientContext: client)
        #expect(first.handshake() == (.done(0), .done(0)))
        #expect(first.client.protocolVersion == version)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1_024, alignment: 1)
        defer { buffer.deallocate() }
        _ = first.client.read(into: buffer)  // TLS 1.3 tickets arrive after the handshake
        #expect(!first.client.isSessionReused)

        let second = try TLSPair(serverContext: server, clientContext: client)
        #expect(second.client.offerSession(from: first.client))
        #expect(second.handshake() == (.done(0), .done(0)))
        #expect(second.server.isSessionReused)
        #expect(second.client.isSessionReused)
    }

    @Test func refusesPlainHTTPInTheHandshake() throws {
        let pair = try makePair()
        let request = Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        #expect(TLSSession.looksLikeTLS(firstByte: request[0]) == false)
        #expect(request.withUnsafeBytes { write(pair.clientFD, $0.baseAddress, $0.count) } == request.count)
        #expect(pair.server.handshake().failureMessage.contains("http request"))
    }

    @Test(arguments: [(UInt8(0x16), true), (UInt8(ascii: "G"), false), (UInt8(ascii: "P"), false), (UInt8(0x80), false)])
    func recognisesTLSByItsFirstByte(byte: UInt8, isTLS: Bool) {
        #expect(TLSSession.looksLikeTLS(firstByte: byte) == isTLS)
    }
}
