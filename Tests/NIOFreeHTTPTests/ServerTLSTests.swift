import Foundation
import TestSupport
import NIOFreeHTTP
import Testing

/// The server's TLS listener, driven by real clients: curl and openssl s_client.
@Suite("Server over TLS")
struct ServerTLSTests {
    private func withTLSServer(_ body: (HTTPServer, TestCertificates) async throws -> Void) async throws {
        let certificates = try TestCertificates.shared()
        try await withTestServer(configure: {
            $0.tls = .server(certificateChainFile: certificates.serverChain, privateKeyFile: certificates.serverKey)
            $0.headerTimeout = .seconds(2)
        }) { server in
            try await body(server, certificates)
        }
    }

    @Test func curlGetsAResponseOverTLS13WithALPN() async throws {
        try await withTLSServer { server, certificates in
            let result = try await run("/usr/bin/curl", [
                "-sS", "--cacert", certificates.caCertificate, "--http1.1",
                "-w", "\\n%{http_code} %{http_version}",
                "https://localhost:\(server.port)/tls",
            ])
            #expect(result.status == 0)
            #expect(result.output.hasPrefix("TLSv1.3 http/1.1"))
            #expect(result.output.hasSuffix("200 1.1"))
        }
    }

    @Test func curlKeepsTheTLSConnectionAliveAcrossRequests() async throws {
        try await withTLSServer { server, certificates in
            let url = "https://localhost:\(server.port)/tls"
            let result = try await run("/usr/bin/curl", ["-sS", "-v", "--cacert", certificates.caCertificate, url, url])
            #expect(result.status == 0)
            #expect(result.output.components(separatedBy: "TLSv1.3 http/1.1").count == 3)
            #expect(result.output.contains("Re-using existing connection"))
            // One handshake for both requests.
            #expect(result.output.components(separatedBy: "Client hello").count == 2)
        }
    }

    @Test func curlPostsABodyOverTLS() async throws {
        try await withTLSServer { server, certificates in
            let body = String(repeating: "0123456789", count: 50_000)
            let file = NSTemporaryDirectory() + "/tls-body-\(UUID().uuidString)"
            try body.write(toFile: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let result = try await run("/usr/bin/curl", [
                "-sS", "--cacert", certificates.caCertificate, "--data-binary", "@\(file)",
                "https://localhost:\(server.port)/echo",
            ])
            #expect(result.status == 0)
            #expect(result.output.count == body.count)
            #expect(result.output.hasPrefix("0123456789"), "unexpected response: \(result.output.prefix(200))")
            let identical = result.output == body
            #expect(identical, "body differs")
        }
    }

    @Test(arguments: ["-tls1", "-tls1_1"])
    func oldProtocolVersionsAreRefused(_ flag: String) async throws {
        try await withTLSServer { server, _ in
            // SECLEVEL=0 so the client really offers the old version; our server must refuse it.
            let result = try await run("/usr/bin/openssl", [
                "s_client", flag, "-cipher", "DEFAULT:@SECLEVEL=0", "-connect", "127.0.0.1:\(server.port)",
            ], input: "")
            #expect(result.status != 0)
            #expect(result.output.contains("alert protocol version"))
        }
    }

    @Test func tls12IsAccepted() async throws {
        try await withTLSServer { server, certificates in
            let result = try await run("/usr/bin/curl", [
                "-sS", "--cacert", certificates.caCertificate, "--tlsv1.2", "--tls-max", "1.2",
                "https://localhost:\(server.port)/tls",
            ])
            #expect(result.status == 0)
            #expect(result.output.hasPrefix("TLSv1.2"))
        }
    }

    @Test func plainHTTPSentToTheTLSPortIsRefusedInPlainText() async throws {
        try await withTLSServer { server, _ in
            let client = try RawClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n")
            let response = try #require(await client.responses(1).first)
            #expect(response.status == 400)
            #expect(response.bodyText.contains("HTTPS"))
            #expect(await client.waitForClose())
        }
    }

    @Test func stalledHandshakeIsClosedAtTheHeaderDeadline() async throws {
        try await withTLSServer { server, _ in
            let client = try RawClient(port: server.port)
            try client.send([0x16, 0x03, 0x01])  // the start of a ClientHello, then nothing
            let start = Date()
            #expect(await client.waitForClose(timeout: .seconds(30)))
            // The 2 s header deadline closed it, not the 60 s keep-alive timer: a bound, not a speed target.
            #expect(Date().timeIntervalSince(start) < 30)
        }
    }
}

struct ProcessResult {
    var status: Int32
    var output: String
}

/// Runs a program to completion on a thread of its own (not the cooperative pool) and returns
/// its exit status and combined output.
func run(_ path: String, _ arguments: [String], input: String? = nil) async throws -> ProcessResult {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try runBlocking(path, arguments, input: input) })
        }
    }
}

private func runBlocking(_ path: String, _ arguments: [String], input: String? = nil) throws -> ProcessResult {
    let (status, output) = try ProcessRunner.runBlocking([path] + arguments, stdin: input ?? "")
    return ProcessResult(status: status, output: output)
}
