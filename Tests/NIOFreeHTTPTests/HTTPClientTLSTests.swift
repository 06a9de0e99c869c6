import NIOFreeHTTP
import Testing

/// The client's TLS: verification against a CA file, host name checks, untrusted certificates.
@Suite("HTTP client over TLS")
struct HTTPClientTLSTests {
    private func withTLSServer(host: String = "127.0.0.1", _ body: (Int, TestCertificates) async throws -> Void) async throws {
        let certificates = try TestCertificates.shared()
        try await withTestServer(configure: {
            $0.host = host
            $0.tls = .server(certificateChainFile: certificates.serverChain, privateKeyFile: certificates.serverKey)
        }) { server in
            try await body(server.port, certificates)
        }
    }

    private func client(trusting certificates: TestCertificates?, group: EventLoopGroup) throws -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.tls = .client(trustRoots: certificates.map { .file($0.caCertificate) } ?? .system)
        return try HTTPClient(group: group, configuration: configuration)
    }

    @Test func verifiedRequestsReuseOneTLSConnection() async throws {
        try await withTLSServer { port, certificates in
            let group = EventLoopGroup(threads: 1)
            let client = try client(trusting: certificates, group: group)
            for url in ["https://localhost:\(port)/tls", "https://127.0.0.1:\(port)/tls"] {
                for _ in 0..<5 {
                    let response = try await client.execute(HTTPClientRequest(url: url))
                    #expect(String(decoding: response.body, as: UTF8.self) == "TLSv1.3 http/1.1")
                }
            }
            #expect(client.connectionsOpened == 2)  // one per origin
            await client.shutdown()
            group.shutdown()
        }
    }

    @Test func wrongHostNameIsRefused() async throws {
        // 127.0.0.2 is loopback too, but the certificate names only localhost and 127.0.0.1.
        try await withTLSServer(host: "127.0.0.2") { port, certificates in
            let group = EventLoopGroup(threads: 1)
            let client = try client(trusting: certificates, group: group)
            do {
                _ = try await client.execute(HTTPClientRequest(url: "https://127.0.0.2:\(port)/tls"))
                Issue.record("a certificate for another host was accepted")
            } catch let error as HTTPClientError {
                guard case .tlsFailure = error else { Issue.record("got \(error)"); return }
            }
            await client.shutdown()
            group.shutdown()
        }
    }

    @Test func untrustedCertificateIsRefused() async throws {
        try await withTLSServer { port, _ in
            let group = EventLoopGroup(threads: 1)
            let client = try client(trusting: nil, group: group)  // system store: does not know the test CA
            do {
                _ = try await client.execute(HTTPClientRequest(url: "https://localhost:\(port)/tls"))
                Issue.record("an untrusted certificate was accepted")
            } catch let error as HTTPClientError {
                guard case .tlsFailure = error else { Issue.record("got \(error)"); return }
            }
            await client.shutdown()
            group.shutdown()
        }
    }
}
