import Foundation
import NIOFreeHTTP
import Testing

/// `HTTPServer.reloadTLS` and `reloadLimits`: new connections get the new certificate and limits.
@Suite("Server reload")
struct ServerReloadTests {
    /// The public-key algorithm of the certificate a fresh handshake presents.
    private func presentedKeyAlgorithm(port: Int) async throws -> String {
        let result = try await run("/bin/sh", ["-c",
            "openssl s_client -connect 127.0.0.1:\(port) </dev/null 2>/dev/null | openssl x509 -noout -text | grep 'Public Key Algorithm'"])
        return result.output
    }

    private func refusesReload(_ server: HTTPServer, _ tls: TLSConfiguration) -> Bool {
        do {
            try server.reloadTLS(tls)
            return false
        } catch {
            return true
        }
    }

    @Test func reloadTLSPresentsTheNewCertificateToNewConnections() async throws {
        let certificates = try TestCertificates.shared()
        try await withTestServer(configure: {
            $0.tls = .server(certificateChainFile: certificates.serverChain, privateKeyFile: certificates.serverKey)
        }) { server in
            #expect(try await presentedKeyAlgorithm(port: server.port).contains("id-ecPublicKey"))
            try server.reloadTLS(.server(certificateChainFile: certificates.rsaServerChain, privateKeyFile: certificates.rsaServerKey))
            #expect(try await presentedKeyAlgorithm(port: server.port).contains("rsaEncryption"))
            #expect(server.currentConfiguration.tls?.certificateChainFile == certificates.rsaServerChain)
            let served = try await run("/usr/bin/curl", ["-sS", "--cacert", certificates.caCertificate, "https://localhost:\(server.port)/hello"])
            #expect(served.status == 0, "\(served.output)")
        }
    }

    @Test func aBadCertificateIsRefusedAndTheOldOneStays() async throws {
        let certificates = try TestCertificates.shared()
        try await withTestServer(configure: {
            $0.tls = .server(certificateChainFile: certificates.serverChain, privateKeyFile: certificates.serverKey)
        }) { server async throws in
            // The RSA chain with the EC key: the pair does not match.
            #expect(refusesReload(server, .server(certificateChainFile: certificates.rsaServerChain, privateKeyFile: certificates.serverKey)))
            #expect(refusesReload(server, .server(certificateChainFile: "/nonexistent.pem", privateKeyFile: certificates.serverKey)))
            #expect(try await presentedKeyAlgorithm(port: server.port).contains("id-ecPublicKey"))
        }
    }

    @Test func aPlainListenerCannotTurnOnTLSByReload() async throws {
        let certificates = try TestCertificates.shared()
        _ = try await withTestServer { server in
            #expect(refusesReload(server, .server(certificateChainFile: certificates.serverChain, privateKeyFile: certificates.serverKey)))
        }
    }

    @Test func reloadLimitsAppliesToNewConnectionsAndKeepsTheAddress() async throws {
        try await withTestServer { server in
            let body = String(repeating: "x", count: 4096)
            let before = try await run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--data-binary", body, "http://127.0.0.1:\(server.port)/echo"])
            #expect(before.output == "200")
            var limits = server.currentConfiguration
            limits.maxBodyBytes = 1024
            limits.port = 1  // ignored: the address needs a restart
            server.reloadLimits(limits)
            #expect(server.currentConfiguration.port == 0)  // as configured (0 = any free port)
            let after = try await run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--data-binary", body, "http://127.0.0.1:\(server.port)/echo"])
            #expect(after.output == "413")
        }
    }
}
