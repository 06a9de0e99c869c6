import Foundation
import Glibc
import NIOFreeHTTP
import Testing
import TestSupport

/// The client against the project's own server (and a few raw sockets), over real TCP.
@Suite("HTTP client")
struct HTTPClientTests {
    private func withClient<T>(
        group: EventLoopGroup? = nil,
        configure: (inout HTTPClient.Configuration) -> Void = { _ in },
        _ body: (HTTPClient) async throws -> T
    ) async throws -> T {
        let ownGroup = group == nil
        let group = group ?? EventLoopGroup(threads: 1)
        var configuration = HTTPClient.Configuration()
        configure(&configuration)
        let client = try HTTPClient(group: group, configuration: configuration)
        do {
            let result = try await body(client)
            await client.shutdown()
            if ownGroup { group.shutdown() }
            return result
        } catch {
            await client.shutdown()
            if ownGroup { group.shutdown() }
            throw error
        }
    }

    @Test func getsAResponseAndReusesTheConnection() async throws {
        try await withTestServer { server in
            try await withClient { client in
                for _ in 0..<50 {
                    let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/hello"))
                    #expect(response.status == 200)
                    #expect(String(decoding: response.body, as: UTF8.self) == "hello")
                }
                #expect(client.connectionsOpened == 1)
                #expect(client.requestsSent == 50)
            }
        }
    }

    @Test func concurrentRequestsShareABoundedPool() async throws {
        try await withTestServer { server in
            try await withClient(configure: { $0.maxConnectionsPerOrigin = 4 }) { client in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for i in 0..<200 {
                        group.addTask {
                            let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/seq/\(i * 2)"))
                            return Int(String(decoding: response.body, as: UTF8.self)) ?? -1
                        }
                    }
                    var seen = Set<Int>()
                    for try await value in group { seen.insert(value) }
                    #expect(seen == Set((0..<200).map { $0 * 2 }))
                }
                #expect(client.connectionsOpened <= 4)
                #expect(client.requestsSent == 200)
            }
        }
    }

    @Test func postsABodyAndReadsChunkedAndLargeResponses() async throws {
        try await withTestServer { server in
            try await withClient { client in
                let body = (0..<300_000).map { UInt8(truncatingIfNeeded: $0) }
                let echoed = try await client.execute(HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(server.port)/echo", body: body))
                #expect(echoed.body == body)
                let chunked = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/stream"))
                #expect(String(decoding: chunked.body, as: UTF8.self) == "one,two,three")
                let big = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/big"))
                #expect(big.body.count == 1 << 20)
                #expect(client.connectionsOpened == 1)
            }
        }
    }

    @Test func headHasNoBodyAndTheConnectionStaysUsable() async throws {
        try await withTestServer { server in
            try await withClient { client in
                let head = try await client.execute(HTTPClientRequest(method: "HEAD", url: "http://127.0.0.1:\(server.port)/hello"))
                #expect(head.status == 200)
                #expect(head.headers["content-length"] == "5")
                #expect(head.body.isEmpty)
                let get = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/hello"))
                #expect(get.body == Array("hello".utf8))
                #expect(client.connectionsOpened == 1)
            }
        }
    }

    @Test func slowResponseTimesOutWithinItsDeadline() async throws {
        try await withTestServer { server in
            try await withClient { client in
                let start = ContinuousClock.now
                await #expect(throws: HTTPClientError.timeout) {
                    _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/slow"), timeout: .milliseconds(100))
                }
                // 100 ms deadline; the bound is loose because parallel tests share two cores.
                #expect(ContinuousClock.now - start < .seconds(60))
                // The pool recovers: the next request works on a fresh connection.
                let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/hello"))
                #expect(response.status == 200)
            }
        }
    }

    @Test func refusedConnectionIsReported() async throws {
        let port = try unusedPort()
        try await withClient { client in
            await #expect(throws: HTTPClientError.self) {
                _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
            }
        }
    }

    @Test func connectTimeoutWhenTheListenerNeverAccepts() async throws {
        // A listener with a full accept queue drops SYNs, so connect() never completes.
        let listener = try RawListener(backlog: 0)
        var fillers: [Int32] = []
        for _ in 0..<4 { fillers.append(listener.connectWithoutWaiting()) }
        defer { for fd in fillers { close(fd) } }
        try await withClient(configure: { $0.connectTimeout = .milliseconds(200) }) { client in
            let start = ContinuousClock.now
            do {
                _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(listener.port)/"), timeout: .seconds(5))
                Issue.record("expected a connect timeout")
            } catch let error as HTTPClientError {
                #expect(error == .connectTimeout)
            }
            #expect(ContinuousClock.now - start < .seconds(60))
        }
    }

    @Test func oversizedResponseIsRefused() async throws {
        try await withTestServer { server in
            try await withClient(configure: { $0.maxResponseBytes = 1000 }) { client in
                await #expect(throws: HTTPClientError.responseTooLarge) {
                    _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/big"))
                }
            }
        }
    }

    @Test func poolExhaustionFailsFastBeyondTheWaitingList() async throws {
        let gate = Gate()
        let group = EventLoopGroup(threads: 1)
        let loop = group.loops[0]
        try await withTestServer(responder: TestRoutes.router(gate: gate)) { server in
            // The request timeout is a stuck-test bound here (the test is about the waiting list, not deadlines): a
            // busy parallel run once kept the first request from finishing within the default 10 s.
            try await withClient(group: group, configure: {
                $0.maxConnectionsPerOrigin = 1
                $0.maxWaiters = 1
                $0.requestTimeout = .seconds(120)
            }) { client async throws in
                let url = "http://127.0.0.1:\(server.port)/gate"
                let first = Task { try await client.execute(HTTPClientRequest(url: url)) }
                await gate.waitForEntries(1)
                #expect(gate.entered == 1)
                // The second and third requests start as jobs on the client's loop, in this order: a request made
                // on the loop reaches the pool before `execute` first suspends, and the loop runs its jobs first in,
                // first out. So the second is the one waiter when the third arrives: explicit order, no sleep.
                let second = Task(executorPreference: loop) { try await client.execute(HTTPClientRequest(url: url)) }
                let third = Task(executorPreference: loop) { try await client.execute(HTTPClientRequest(url: url)) }
                await #expect(throws: HTTPClientError.poolExhausted) {
                    _ = try await third.value
                }
                gate.open()
                #expect(try await first.value.status == 200)
                #expect(try await second.value.status == 200)
                #expect(client.connectionsOpened == 1)
            }
        }
        group.shutdown()
    }

    @Test func garbageResponseIsAnInvalidResponse() async throws {
        let listener = try RawListener(backlog: 8)
        listener.serveOnce(reply: "HTTP/1.1 2xx Whatever\r\n\r\n")
        try await withClient { client in
            do {
                _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(listener.port)/"))
                Issue.record("expected an invalid response")
            } catch let error as HTTPClientError {
                if case .invalidResponse = error {} else { Issue.record("got \(error)") }
            }
        }
    }

    @Test func truncatedBodyIsAConnectionClosedError() async throws {
        let listener = try RawListener(backlog: 8)
        listener.serveOnce(reply: "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly a few bytes")
        try await withClient { client in
            await #expect(throws: HTTPClientError.connectionClosed) {
                _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(listener.port)/"))
            }
        }
    }

    @Test func connectionClosedByTheServerWhileIdleIsReplaced() async throws {
        try await withTestServer(configure: { $0.keepAliveTimeout = .milliseconds(100) }) { server in
            try await withClient { client in
                let url = "http://127.0.0.1:\(server.port)/hello"
                #expect(try await client.execute(HTTPClientRequest(url: url)).status == 200)
                // The server closes the idle connection, and the client drops its end of it: wait until the kernel's
                // socket table shows the client's connection gone (not for a guessed time), then ask again.
                let port = server.port
                try await waitUntil {
                    server.openConnections == 0
                        && !TCPSocketTable.sockets(remotePort: port).contains { $0.state == .established || $0.state == .closeWait }
                }
                #expect(try await client.execute(HTTPClientRequest(url: url)).status == 200)
                #expect(client.connectionsOpened == 2)
            }
        }
    }

    @Test func redirectsAreNotFollowed() async throws {
        var router = Router()
        router.get("/moved") { _, _ in HTTPResponse(status: 302, headers: ["location": "/hello"]) }
        try await withTestServer(responder: router) { server in
            try await withClient { client in
                let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/moved"))
                #expect(response.status == 302)
                #expect(response.headers["location"] == "/hello")
            }
        }
    }

    @Test func invalidURLsAreRefused() async throws {
        try await withClient { client in
            for url in ["ftp://x/", "http://", "http://user@host/", "http://host:99999/", "no-scheme", "http://h/pa th"] {
                await #expect(throws: HTTPClientError.invalidURL) {
                    _ = try await client.execute(HTTPClientRequest(url: url))
                }
            }
        }
    }

    @Test func requestsOnAParsedEndpointGoWhereTheirURLWould() async throws {
        try await withTestServer { server in
            try await withClient { client in
                let root = try #require(HTTPClientRequest.Endpoint(baseURL: "http://127.0.0.1:\(server.port)/"))
                #expect(root.baseURL == "http://127.0.0.1:\(server.port)")
                let query = HTTPClientRequest(endpoint: root, path: "/query?q=a%20b")
                #expect(query.url == "http://127.0.0.1:\(server.port)/query?q=a%20b")
                #expect(String(decoding: try await client.execute(query).body, as: UTF8.self) == "a b")
                // The Host header is the origin's, and a base path goes before the request's own.
                let echo = try #require(HTTPClientRequest.Endpoint(baseURL: "http://127.0.0.1:\(server.port)/echo-header"))
                let host = try await client.execute(HTTPClientRequest(endpoint: echo, path: "/host"))
                #expect(host.status == 200)
                #expect(String(decoding: host.body, as: UTF8.self) == "127.0.0.1:\(server.port)")
                // A path that would not be a valid request-target is refused like its URL.
                await #expect(throws: HTTPClientError.invalidURL) {
                    _ = try await client.execute(HTTPClientRequest(endpoint: root, path: "/pa th"))
                }
                // Setting the URL afterwards wins over the endpoint.
                var moved = HTTPClientRequest(endpoint: root, path: "/query?q=endpoint")
                moved.url = "http://127.0.0.1:\(server.port)/query?q=url"
                #expect(String(decoding: try await client.execute(moved).body, as: UTF8.self) == "url")
            }
        }
        for base in ["ftp://x/", "http://", "no-scheme", "http://h/?q=1", "http://user@h/"] {
            #expect(HTTPClientRequest.Endpoint(baseURL: base) == nil)
        }
    }

    @Test func headerValuesWithCRLFAreNotSent() async throws {
        try await withTestServer { server in
            try await withClient { client in
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/echo-header/x-evil")
                request.headers.add("x-evil", "a\r\nx-injected: 1")
                let response = try await client.execute(request)
                #expect(String(decoding: response.body, as: UTF8.self) == "<none>")
            }
        }
    }

    @Test func clientOnTheServersLoopsServesAHandlerWithoutDeadlock() async throws {
        // A handler on loop N calling upstream through a client on the same group (the gateway's shape).
        let group = EventLoopGroup(threads: 2)
        let upstream = try HTTPServer(configuration: { var c = HTTPServer.Configuration(); c.port = 0; return c }(), group: group, responder: TestRoutes.router())
        try upstream.start()
        let client = try HTTPClient(group: group)
        var router = Router()
        let upstreamPort = upstream.localAddress!.port
        router.get("/proxy") { _, _ in
            let answer = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(upstreamPort)/hello"))
            return HTTPResponse(status: answer.status, body: answer.body)
        }
        let front = try HTTPServer(configuration: { var c = HTTPServer.Configuration(); c.port = 0; return c }(), group: group, responder: router)
        try front.start()
        try await withClient { outside in
            for _ in 0..<20 {
                let response = try await outside.execute(HTTPClientRequest(url: "http://127.0.0.1:\(front.localAddress!.port)/proxy"))
                #expect(response.body == Array("hello".utf8))
            }
        }
        await client.shutdown()
        await front.shutdown()
        await upstream.shutdown()
        group.shutdown()
    }
}

/// Finds a port nothing listens on (bind, read it, close).
func unusedPort() throws -> Int {
    let listener = try RawListener(backlog: 1)
    let port = listener.port
    listener.close()
    return port
}

/// A bare listening socket for tests that need a misbehaving server.
final class RawListener: @unchecked Sendable {
    let fd: Int32
    let port: Int

    init(backlog: Int32) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, backlog) == 0 else { throw TestFailure("listen failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { Glibc.close(fd) }

    /// A non-blocking connect that is left pending (fills the accept queue).
    func connectWithoutWaiting() -> Int32 {
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return client
    }

    /// On a background thread: accepts one connection, reads the request head, writes `reply`, closes.
    func serveOnce(reply: String) {
        let fd = self.fd
        Thread.detachNewThread {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 65536)
            var received: [UInt8] = []
            while !received.containsCRLFCRLF {
                let n = recv(client, &buffer, buffer.count, 0)
                if n <= 0 { break }
                received.append(contentsOf: buffer[0..<n])
            }
            let bytes = Array(reply.utf8)
            _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            shutdown(client, Int32(SHUT_WR))
            // Keep the connection until the client has read the reply and closed its end (end of input here), so
            // that closing cannot reset it under the client; bounded for a client that never closes.
            var descriptor = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            while poll(&descriptor, 1, 10_000) > 0, recv(client, &buffer, buffer.count, 0) > 0 {
                descriptor.revents = 0
            }
            Glibc.close(client)
        }
    }
}

extension Array where Element == UInt8 {
    var containsCRLFCRLF: Bool {
        count >= 4 && (0...(count - 4)).contains { self[$0] == 13 && self[$0 + 1] == 10 && self[$0 + 2] == 13 && self[$0 + 3] == 10 }
    }
}
