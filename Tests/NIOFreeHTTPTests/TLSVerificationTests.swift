import Foundation
import Testing
@testable import NIOFreeHTTP

/// Client-side chain and host-name verification, and server key checks.
struct TLSVerificationTests {
    private func handshake(
        serverChain: String? = nil, serverKey: String? = nil,
        trust: TLSConfiguration.TrustRoots? = nil, serverName: String
    ) throws -> (server: TLSSession.IOResult, client: TLSSession.IOResult) {
        let certificates = try TestCertificates.shared()
        let server = TLSConfiguration.server(
            certificateChainFile: serverChain ?? certificates.serverChain,
            privateKeyFile: serverKey ?? certificates.serverKey)
        let client = TLSConfiguration.client(trustRoots: trust ?? .file(certificates.caCertificate))
        let pair = try TLSPair(server: server, client: client, serverName: serverName)
        return pair.handshake()
    }

    @Test func trustsACertificateSignedByTheCAFile() throws {
        let result = try handshake(serverName: "localhost")
        #expect(result.client == .done(0))
        #expect(result.server == .done(0))
    }

    @Test func verifiesAnIPLiteralAgainstTheSubjectAltName() throws {
        let result = try handshake(serverName: "127.0.0.1")
        #expect(result.client == .done(0))
    }

    @Test func refusesTheWrongHostName() throws {
        let result = try handshake(serverName: "wrong.example")
        #expect(result.client.failureMessage.contains("hostname mismatch"), "\(result.client)")
        // The client's bad_certificate alert ends the server's handshake too.
        #expect(result.server.failureMessage.contains("alert"), "\(result.server)")
    }

    @Test func refusesTheWrongIPAddress() throws {
        let result = try handshake(serverName: "127.0.0.2")
        #expect(result.client.failureMessage.contains("IP address mismatch"), "\(result.client)")
    }

    @Test func refusesAnUntrustedSelfSignedCertificate() throws {
        let certificates = try TestCertificates.shared()
        let result = try handshake(
            serverChain: certificates.untrustedCertificate, serverKey: certificates.untrustedKey,
            serverName: "localhost")
        #expect(result.client.failureMessage.contains("certificate verify failed"), "\(result.client)")
        #expect(result.client.failureMessage.contains("self-signed"), "\(result.client)")
    }

    @Test func systemTrustStoreDoesNotKnowTheTestCA() throws {
        let result = try handshake(trust: .system, serverName: "localhost")
        #expect(result.client.failureMessage.contains("certificate verify failed"), "\(result.client)")
    }

    @Test func refusesAKeyThatDoesNotMatchTheCertificate() throws {
        let certificates = try TestCertificates.shared()
        // Same type (EC) but another key: OpenSSL's "key values mismatch".
        // Other type (RSA key, EC certificate): the RSA slot has no certificate.
        let cases = [
            (certificates.untrustedKey, "key values mismatch"),
            (certificates.rsaServerKey, "no certificate assigned"),
        ]
        for (keyFile, reason) in cases {
            let configuration = TLSConfiguration.server(
                certificateChainFile: certificates.serverChain, privateKeyFile: keyFile)
            let error = #expect(throws: TLSError.self) { try TLSContext.makeServer(configuration) }
            let message = error?.message ?? ""
            #expect(message.contains(reason), "\(message)")
            // No key material: not one base64 line of the PEM body appears in the message.
            let pem = try String(contentsOfFile: keyFile, encoding: .utf8)
            let bodyLines = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }
            #expect(!bodyLines.isEmpty)
            for line in bodyLines {
                #expect(!message.contains(line.prefix(16)))
            }
        }
    }

    @Test func refusesAServerConfigurationWithoutCertificate() {
        #expect(throws: TLSError.self) { try TLSContext.makeServer(TLSConfiguration()) }
    }

    @Test func refusesAMissingTrustFile() {
        #expect(throws: TLSError.self) {
            try TLSContext.makeClient(.client(trustRoots: .file("/nonexistent/ca.pem")))
        }
    }
}
