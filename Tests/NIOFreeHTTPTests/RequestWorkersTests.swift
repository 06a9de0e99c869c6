@testable import NIOFreeHTTP
import Testing
import TestSupport

/// Requests are answered by long-lived worker tasks per loop (`RequestWorkers`): reused from one request to
/// the next, as many as requests wait at once, ended by the shutdown.
@Suite struct RequestWorkersTests {
    private let host = "Host: t\r\n"

    @Test func oneWorkerAnswersRequestsOneAfterAnother() async throws {
        try await withTestServer { server in
            let client = try RawClient(port: server.port)
            for i in 1...20 {
                try client.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
                let responses = await client.responses(i)
                #expect(responses.count == i)
                #expect(responses.last?.bodyText == "hello")
            }
            let counts = await server.workerCounts()
            #expect(counts.count == 1)
            #expect(counts[0].started == 1)
            #expect(counts[0].idle == 1)
        }
    }

    @Test func aBurstOfRequestsThatNeverSuspendIsAnsweredByTwoWorkersAtMost() async throws {
        try await withTestServer { server in
            // Forty connections, each with a request written before any answer is read: most arrive together.
            let clients = try (0..<40).map { _ in try RawClient(port: server.port) }
            for client in clients { try client.send("GET /hello HTTP/1.1\r\n\(host)\r\n") }
            for client in clients { #expect(await client.responses(1).first?.bodyText == "hello") }
            // One worker answers what waits while another is on its way; neither handler suspends, so no third
            // is ever needed (a worker per request, as with a task each, would have been forty).
            let counts = await server.workerCounts()[0]
            #expect(counts.started <= 2)
            #expect(counts.idle == counts.started)
        }
    }

    @Test func requestsWaitingAtOnceEachHaveAWorkerAndTheWorkersAreKept() async throws {
        let gate = Gate()
        try await withTestServer(responder: TestRoutes.router(gate: gate)) { server in
            let clients = try (0..<3).map { _ in try RawClient(port: server.port) }
            for client in clients { try client.send("GET /gate HTTP/1.1\r\n\(host)\r\n") }
            try await waitUntil { gate.entered == 3 }
            #expect(await server.workerCounts()[0].started == 3)
            gate.open()
            for client in clients { #expect(await client.responses(1).first?.bodyText == "gated") }
            // The three are idle now and answer what comes next: no new worker.
            var answered = [1, 1, 1]
            for i in 1...10 {
                try clients[i % 3].send("GET /hello HTTP/1.1\r\n\(host)\r\n")
                answered[i % 3] += 1
                #expect(await clients[i % 3].responses(answered[i % 3]).last?.bodyText == "hello")
            }
            let counts = await server.workerCounts()[0]
            #expect(counts.started == 3)
            #expect(counts.idle == 3)
        }
    }

    @Test func aFailingHandlerGets500AndItsWorkerAnswersTheNextRequest() async throws {
        try await withTestServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /throw HTTP/1.1\r\n\(host)\r\n")
            #expect(await client.responses(1).first?.status == 500)
            try client.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
            #expect(await client.responses(2).last?.bodyText == "hello")
            #expect(await server.workerCounts()[0].started == 1)
        }
    }

    @Test func theShutdownEndsTheIdleWorkers() async throws {
        var configuration = HTTPServer.Configuration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        let group = EventLoopGroup(threads: 1)
        defer { group.shutdown() }
        let server = try HTTPServer(configuration: configuration, group: group, responder: TestRoutes.router())
        try server.start()
        do {
            let client = try RawClient(port: server.port)
            try client.send("GET /hello HTTP/1.1\r\n\(host)Connection: close\r\n\r\n")
            #expect(await client.responses(1).first?.status == 200)
            #expect(await client.waitForClose())
        }
        try await waitUntil { await server.workerCounts()[0].idle == 1 }
        await server.shutdown(gracePeriod: .seconds(2))
        #expect(await server.workerCounts()[0].idle == 0)
    }
}
