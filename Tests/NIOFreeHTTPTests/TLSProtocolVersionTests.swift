import Foundation
import TestSupport
import Glibc
import Testing
@testable import NIOFreeHTTP

/// Protocol versions, checked with `openssl s_client` against a `TLSSession` on a real TCP socket.
struct TLSProtocolVersionTests {
    /// Starts `openssl s_client` with `arguments` against a listener, drives the server-side
    /// handshake, then (if established) reads until the client closes.
    private func serve(clientArguments: [String], clientInput: String = "")
        throws -> (handshake: TLSSession.IOResult, session: TLSSession?, received: String, clientStatus: Int32)
    {
        let certificates = try TestCertificates.shared()
        let context = try TLSContext.makeServer(
            .server(certificateChainFile: certificates.serverChain, privateKeyFile: certificates.serverKey))
        let listener = try LoopbackListener()

        let process = try RunningProcess("/usr/bin/env", [
            "openssl", "s_client", "-connect", "127.0.0.1:\(listener.port)", "-servername", "localhost",
            "-CAfile", certificates.caCertificate, "-verify_return_error", "-alpn", "http/1.1",
        ] + clientArguments)
        defer { process.stop() }

        guard let fd = listener.accept() else {
            Issue.record("s_client did not connect")
            return (.failed("no connection"), nil, "", -1)
        }
        defer { close(fd) }
        let session = try context.makeServerSession(fd: fd)
        let handshake = LoopbackListener.drive(fd: fd) { session.handshake() }

        var received = [UInt8]()
        if handshake == .done(0) {
            // s_client sends what it reads from stdin, then close_notify at stdin's EOF.
            process.write(clientInput)
            process.closeInput()
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4_096, alignment: 1)
            defer { buffer.deallocate() }
            while case .done(let count) = LoopbackListener.drive(fd: fd, { session.read(into: buffer) }) {
                received.append(contentsOf: buffer.prefix(count))
            }
            session.shutdown()
        } else {
            process.closeInput()
        }
        let deadline = Date().addingTimeInterval(30)
        while process.status == nil, Date() < deadline { usleep(10_000) }
        let status = process.status ?? -1
        return (handshake, session, String(decoding: received, as: UTF8.self), status)
    }

    @Test func acceptsTLS12FromOpenSSLClient() throws {
        let result = try serve(clientArguments: ["-tls1_2"], clientInput: "ping\n")
        #expect(result.handshake == .done(0))
        #expect(result.session?.protocolVersion == "TLSv1.2")
        #expect(result.session?.negotiatedALPN == "http/1.1")
        // ECDHE + AEAD only (Mozilla "intermediate").
        let cipher = result.session?.cipher ?? ""
        #expect(cipher.hasPrefix("ECDHE-ECDSA-") && (cipher.contains("GCM") || cipher.contains("CHACHA20")), "\(cipher)")
        #expect(result.received == "ping\n")
        #expect(result.clientStatus == 0)
    }

    @Test func acceptsTLS13FromOpenSSLClient() throws {
        let result = try serve(clientArguments: ["-tls1_3"], clientInput: "ping\n")
        #expect(result.handshake == .done(0))
        #expect(result.session?.protocolVersion == "TLSv1.3")
        #expect(result.received == "ping\n")
    }

    /// `@SECLEVEL=0` makes Debian's s_client really offer the old version, so it is our
    /// server that refuses (protocol_version alert), not the client's own policy.
    @Test(arguments: ["-tls1_1", "-tls1"])
    func refusesVersionsBelowTLS12(flag: String) throws {
        let result = try serve(clientArguments: [flag, "-cipher", "DEFAULT:@SECLEVEL=0"])
        #expect(result.handshake.failureMessage.contains("unsupported protocol"), "\(result.handshake)")
        #expect(result.session?.isHandshakeComplete == false)
        #expect(result.clientStatus != 0)
    }

    @Test func refusesTLS12WithoutAnAEADCipher() throws {
        let result = try serve(clientArguments: ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256"])
        #expect(result.handshake.failureMessage.contains("no shared cipher"), "\(result.handshake)")
        #expect(result.clientStatus != 0)
    }
}
