import Foundation
import Glibc
import NIOFreeHTTP
import Synchronization
import Testing
import TestSupport

private let host = "Host: test\r\n"

@Suite("Server behaviour over real sockets")
struct ServerBehaviourTests {
    @Test func pipelinedResponsesComeBackInRequestOrder() async throws {
        try await withTestServer { server in
            let client = try RawClient(port: server.port)
            // Odd numbers suspend and finish later; the answers must still be in order.
            let requests = (1...6).map { "GET /seq/\($0) HTTP/1.1\r\n\(host)\r\n" }.joined()
            try client.send(requests)
            let responses = await client.responses(6)
            #expect(responses.map(\.bodyText) == ["1", "2", "3", "4", "5", "6"])
        }
    }

    @Test func deepPipelineBeyondTheReadAheadLimitIsServedCompletely() async throws {
        try await withTestServer(configure: { $0.maxPipelineDepth = 4 }) { server in
            let client = try RawClient(port: server.port)
            try client.send((0..<40).map { "GET /seq/\($0 * 2) HTTP/1.1\r\n\(host)\r\n" }.joined())
            let responses = await client.responses(40, timeout: .seconds(10))
            #expect(responses.map(\.bodyText) == (0..<40).map { "\($0 * 2)" })
        }
    }

    @Test func requestArrivingOneByteAtATimeIsParsed() async throws {
        // Deadlines far beyond the trickle: a busy machine must not turn this into a 408.
        try await withTestServer(configure: { $0.headerTimeout = .seconds(120); $0.bodyGracePeriod = .seconds(120) }) { server in
            let client = try RawClient(port: server.port)
            // Each byte in a segment of its own, acknowledged by the server's kernel before the next is sent.
            try await client.sendOneByteAtATime(Array("POST /echo HTTP/1.1\r\n\(host)Content-Length: 3\r\n\r\nabc".utf8))
            let response = try #require(await client.responses(1).first)
            #expect(response.bodyText == "abc")
        }
    }

    @Test func keepAliveServesManySequentialRequestsOnOneConnection() async throws {
        try await withTestServer { server in
            let client = try RawClient(port: server.port)
            for i in 0..<50 {
                let response = try await client.exchange("GET /seq/\(i * 2) HTTP/1.1\r\n\(host)\r\n")
                #expect(response.bodyText == "\(i * 2)")
                try client.send("")
                client.clearReceived()
            }
        }
    }

    @Test func headAnswersWithHeadersOnly() async throws {
        try await withTestServer { server in
            let client = try RawClient(port: server.port)
            try client.send("HEAD /hello HTTP/1.1\r\n\(host)\r\n")
            let response = try #require(await client.responses(1, headRequest: true).first)
            #expect(response.status == 200)
            #expect(response.header("content-length") == "5")
            // Nothing follows the head: the next response starts right after it.
            try client.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
            let both = await client.responses(2, headRequest: false)
            #expect(client.received.count > 0)
            #expect(String(decoding: client.received, as: UTF8.self).components(separatedBy: "HTTP/1.1 200").count == 3)
            _ = both
        }
    }

    @Test func expectContinueGetsAnInterimResponseBeforeTheBodyIsSent() async throws {
        // Deadlines far beyond the exchange: a busy machine must not turn this into a slow-body 408.
        try await withTestServer(configure: { $0.headerTimeout = .seconds(120); $0.bodyGracePeriod = .seconds(120) }) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\n\(host)Expect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            let interim = try #require(await client.responses(1).first)
            #expect(interim.status == 100)
            try client.send("hello")
            let all = await client.responses(2)
            #expect(all.count == 2)
            #expect(all.last?.status == 200)
            #expect(all.last?.bodyText == "hello")
        }
    }

    @Test func expectContinueWithOversizedBodyGets413WithoutContinue() async throws {
        try await withTestServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\n\(host)Expect: 100-continue\r\nContent-Length: 99999999\r\n\r\n")
            let response = try #require(await client.responses(1).first)
            #expect(response.status == 413)
            #expect(await client.waitForClose())
        }
    }

    @Test func slowHeaderGets408AndClose() async throws {
        try await withTestServer(configure: { $0.headerTimeout = .milliseconds(300) }) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHo")
            let response = try #require(await client.responses(1, timeout: .seconds(5)).first)
            #expect(response.status == 408)
            #expect(ServerProblemTests.problem(response).code == "request_timeout")
            #expect(await client.waitForClose())
        }
    }

    @Test func headerDeadlineIsForTheWholeHeadNotAnIdleTimer() async throws {
        try await withTestServer(configure: { $0.headerTimeout = .milliseconds(500) }) { server in
            let client = try RawClient(port: server.port)
            // Trickle the head a byte every 5 ms until the server closes: each byte resets an idle timer, but not a
            // whole-header deadline. The head never ends (its last field runs on), so only a deadline can stop it.
            // An idle timer would never fire while bytes keep coming (the trickle would give up after 60 s); the
            // 500 ms deadline does. No tighter wall-clock bound: a stalled parallel run is not the server's fault.
            let closed = await client.trickleUntilClosed(
                Array("GET /hello HTTP/1.1\r\nX-Slow: ".utf8), filler: UInt8(ascii: "a"),
                interval: .milliseconds(5), timeout: .seconds(60)
            )
            #expect(closed)
            #expect(await client.waitForClose())
            #expect(await client.responses(1).first?.status == 408)
        }
    }

    @Test func connectionThatSendsNothingIsClosedAfterTheHeaderTimeout() async throws {
        try await withTestServer(configure: { $0.headerTimeout = .milliseconds(300) }) { server in
            let client = try RawClient(port: server.port)
            #expect(await client.waitForClose())
            #expect(client.received.isEmpty)
        }
    }

    @Test func slowBodyGets408() async throws {
        try await withTestServer(configure: {
            $0.bodyGracePeriod = .milliseconds(200)
            $0.minBodyBytesPerSecond = 10_000
        }) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\n\(host)Content-Length: 100000\r\n\r\nabc")
            let response = try #require(await client.responses(1, timeout: .seconds(5)).first)
            #expect(response.status == 408)
            #expect(await client.waitForClose())
        }
    }

    @Test func idleKeepAliveConnectionIsClosed() async throws {
        try await withTestServer(configure: { $0.keepAliveTimeout = .milliseconds(300) }) { server in
            let client = try RawClient(port: server.port)
            _ = try await client.exchange("GET /hello HTTP/1.1\r\n\(host)\r\n")
            #expect(await client.waitForClose())
        }
    }

    @Test func globalConnectionCapAnswers503AndCloses() async throws {
        try await withTestServer(configure: { $0.maxConnections = 2 }) { server in
            let first = try RawClient(port: server.port)
            let second = try RawClient(port: server.port)
            _ = try await first.exchange("GET /hello HTTP/1.1\r\n\(host)\r\n", timeout: .seconds(60))
            _ = try await second.exchange("GET /hello HTTP/1.1\r\n\(host)\r\n", timeout: .seconds(60))
            let third = try RawClient(port: server.port)
            let refused = try #require(await third.responses(1, timeout: .seconds(60)).first)
            #expect(refused.status == 503)
            #expect(refused.header("retry-after") == "1")
            #expect(await third.waitForClose())
            // Capacity returns when a connection goes away: wait until the server has noticed (observable: a
            // new connection is served), not for a guessed time.
            _ = consume first
            try await waitUntil {
                let fourth = try RawClient(port: server.port)
                return (try? await fourth.exchange("GET /hello HTTP/1.1\r\n\(host)\r\n").status) == 200
            }
        }
    }

    @Test func perIPConnectionCapAnswers503() async throws {
        try await withTestServer(configure: { $0.maxConnectionsPerIP = 1 }) { server in
            let first = try RawClient(port: server.port)
            _ = try await first.exchange("GET /hello HTTP/1.1\r\n\(host)\r\n")
            let second = try RawClient(port: server.port)
            #expect(await second.responses(1).first?.status == 503)
            #expect(await second.waitForClose())
        }
    }

    @Test func errorEndsThePipelineAndTheConnection() async throws {
        try await withTestServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\n\(host)\r\nGET /hello HTTP/1.1\r\n\r\nGET /hello HTTP/1.1\r\n\(host)\r\n")
            let responses = await client.responses(3)
            #expect(responses.map(\.status) == [200, 400])
            #expect(await client.waitForClose())
        }
    }

    @Test func oneMebibyteBodyRoundTrips() async throws {
        try await withTestServer { server in
            let client = try RawClient(port: server.port)
            let body = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try client.send(Array("POST /echo HTTP/1.1\r\n\(host)Content-Length: \(body.count)\r\n\r\n".utf8) + body)
            // A bound for a stuck test, not a speed target: a parallel run on two cores is slow.
            let response = try #require(await client.responses(1, timeout: .seconds(60)).first)
            #expect(response.body == body)
        }
    }

    @Test func largeResponseSurvivesPartialWrites() async throws {
        try await withTestServer { server in
            // A small receive window: the 1 MiB answer cannot fit in the client's buffers while it does not read.
            let client = try RawClient(port: server.port, receiveBufferSize: 16 * 1024)
            try client.send("GET /big HTTP/1.1\r\n\(host)\r\n")
            // Read nothing until the answer has backed up: the client's receive queue holds part of it and the rest
            // waits in the server's send queue (observable in the kernel's socket table), not for a guessed time.
            let port = client.localPort
            try await waitUntil {
                let clientEnd = TCPSocketTable.sockets(localPort: port, remotePort: server.port).first
                let serverEnd = TCPSocketTable.sockets(localPort: server.port, remotePort: port).first
                return (clientEnd?.receiveQueue ?? 0) > 0 && (serverEnd?.sendQueue ?? 0) > 0
            }
            let response = try #require(await client.responses(1, timeout: .seconds(10)).first)
            #expect(response.body.count == 1 << 20)
        }
    }

    @Test func streamedBodyIsChunked() async throws {
        try await withTestServer { server in
            let client = try RawClient(port: server.port)
            let response = try await client.exchange("GET /stream HTTP/1.1\r\n\(host)\r\n")
            #expect(response.chunked)
            #expect(response.bodyText == "one,two,three")
            #expect(try await client.exchange("GET /hello HTTP/1.1\r\n\(host)\r\n").status == 200)
        }
    }

    @Test func streamedBodyToHTTP10IsCloseDelimited() async throws {
        try await withTestServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /stream HTTP/1.0\r\n\r\n")
            #expect(await client.waitForClose(timeout: .seconds(60)))
            let response = try #require(await client.responses(1).first)
            #expect(!response.chunked)
            #expect(response.bodyText == "one,two,three")
        }
    }

    @Test func handlerErrorGivesA500WithoutInternals() async throws {
        try await withTestServer { server in
            let client = try RawClient(port: server.port)
            let response = try await client.exchange("GET /throw HTTP/1.1\r\n\(host)\r\n")
            #expect(response.status == 500)
            #expect(!response.bodyText.contains("Boom"))
            #expect(response.header("content-type") == "application/problem+json")
        }
    }

    @Test func requestIDIsEchoedWhenWellFormedAndReplacedOtherwise() async throws {
        try await withTestServer { server in
            let client = try RawClient(port: server.port)
            let kept = try await client.exchange("GET /hello HTTP/1.1\r\n\(host)X-Request-Id: abc-123_x.y\r\n\r\n")
            #expect(kept.header("x-request-id") == "abc-123_x.y")
            client.clearReceived()
            let replaced = try await client.exchange("GET /hello HTTP/1.1\r\n\(host)X-Request-Id: bad id<script>\r\n\r\n")
            let generated = try #require(replaced.header("x-request-id"))
            #expect(generated != "bad id<script>")
            #expect(RequestIDMiddleware.isAcceptable(generated))
        }
    }

    @Test func responsesCarryADateHeader() async throws {
        try await withTestServer { server in
            let client = try RawClient(port: server.port)
            let response = try await client.exchange("GET /hello HTTP/1.1\r\n\(host)\r\n")
            let date = try #require(response.header("date"))
            #expect(date.hasSuffix(" GMT"))
            #expect(date.count == 29)
            #expect(response.headers.filter { $0.0.lowercased() == "date" }.count == 1)
        }
    }

    @Test func gracefulShutdownFinishesInFlightRequestsAndClosesIdleOnes() async throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        let group = EventLoopGroup(threads: 1)
        let gate = Gate()
        let server = try HTTPServer(configuration: configuration, group: group, responder: TestRoutes.router(gate: gate))
        try server.start()
        let port = server.localAddress!.port
        let idle = try RawClient(port: port)
        _ = try await idle.exchange("GET /hello HTTP/1.1\r\n\(host)\r\n")
        let busy = try RawClient(port: port)
        try busy.send("GET /gate HTTP/1.1\r\n\(host)\r\n")
        await gate.waitForEntries(1)
        #expect(gate.entered == 1)
        // Synchronous first half: blocking reads below must not starve the task that drains.
        server.beginShutdown()
        // Draining has begun once the idle connection is closed; the busy one is still waiting for its answer.
        #expect(await idle.waitForClose())
        #expect(!busy.peerClosed)
        gate.open()
        let response = try #require(await busy.responses(1).first)
        #expect(response.status == 200)
        #expect(response.bodyText == "gated")
        #expect(response.header("connection") == "close")
        #expect(await busy.waitForClose())
        await server.finishShutdown(gracePeriod: .seconds(10))
        #expect(server.openConnections == 0)
        // No longer accepting.
        #expect(throws: (any Error).self) { _ = try RawClient(port: port) }
        group.shutdown()
    }

    @Test func routerCapturesAndDecodesPathParameters() async throws {
        try await withTestServer { server in
            let client = try RawClient(port: server.port)
            let response = try await client.exchange("GET /echo-header/x%2Dcustom HTTP/1.1\r\n\(host)X-Custom: yes\r\n\r\n")
            #expect(response.bodyText == "yes")
        }
    }

    @Test func twoLoopsShareOnePortWithReusePort() async throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        let group = EventLoopGroup(threads: 2)
        let server = try HTTPServer(configuration: configuration, group: group, responder: TestRoutes.router())
        try server.start()
        for _ in 0..<20 {
            let client = try RawClient(port: server.localAddress!.port)
            #expect(try await client.exchange("GET /hello HTTP/1.1\r\n\(host)\r\n").status == 200)
        }
        await server.shutdown()
        group.shutdown()
    }
}

@Suite("Server half-close")
struct ServerHalfCloseTests {
    @Test func requestFollowedByFINIsAnsweredAndTheConnectionClosed() async throws {
        try await withTestServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n")
            client.closeWrite()
            let response = try #require(await client.responses(1).first)
            #expect(response.status == 200)
            #expect(await client.waitForClose())
            // The server closes its descriptor before it gives the connection back: wait for that (observable),
            // not for a guessed time; a connection the server kept would time this out.
            try await waitUntil(timeout: .seconds(10)) { server.openConnections == 0 }
            #expect(server.openConnections == 0)
        }
    }
}

@Suite("Server and other protocols")
struct ServerForeignProtocolTests {
    /// A TLS ClientHello on the plaintext port: 400 and close at once, though the client sends nothing more
    /// and the header deadline is far away.
    @Test func aTLSClientHelloOnAPlaintextPortGets400AndCloseAtOnce() async throws {
        try await withTestServer(configure: { $0.headerTimeout = .seconds(60) }) { server in
            let client = try RawClient(port: server.port)
            try client.send(CodecMethodTokenTests.clientHello)
            let responses = await client.responses(1, timeout: .seconds(10))
            #expect(responses.map(\.status) == [400])
            #expect(await client.waitForClose(timeout: .seconds(10)))
        }
    }
}
