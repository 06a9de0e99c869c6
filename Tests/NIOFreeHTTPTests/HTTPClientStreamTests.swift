import Foundation
@testable import NIOFreeHTTP
import Synchronization
import Testing
import TestSupport

/// `HTTPClient.stream`: the head first, the body chunk by chunk with back-pressure, over real TCP against the
/// project's own server.
@Suite("HTTP client streaming")
struct HTTPClientStreamTests {
    /// Bytes the server's `/flood` route has handed to its writer so far.
    final class Progress: Sendable {
        let written = Atomic<Int>(0)
    }

    static let floodBytes = 16 << 20
    static let part = 64 * 1024

    static func byte(at offset: Int) -> UInt8 { UInt8(truncatingIfNeeded: offset &* 31 &+ offset >> 16) }

    static func router(_ progress: Progress) -> Router {
        var router = Router()
        router.get("/flood") { _, _ in
            HTTPResponse(status: 200, headers: ["content-type": "application/octet-stream"]) { writer in
                var offset = 0
                while offset < floodBytes {
                    let chunk = (offset..<offset + part).map(byte(at:))
                    try await writer.write(chunk)
                    offset += part
                    progress.written.store(offset, ordering: .relaxed)
                }
            }
        }
        router.get("/small") { _, _ in HTTPResponse(status: 404, headers: ["content-type": "text/plain"], body: Array("not here".utf8)) }
        router.get("/stall") { _, context in
            HTTPResponse(status: 200, headers: ["content-type": "text/plain"]) { writer in
                try await writer.write("first part;")
                await context.eventLoop.sleep(nanoseconds: 30_000_000_000)
                try await writer.write("never")
            }
        }
        return router
    }

    func withClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        let group = EventLoopGroup(threads: 1)
        let client = try HTTPClient(group: group)
        do {
            let result = try await body(client)
            await client.shutdown()
            group.shutdown()
            return result
        } catch {
            await client.shutdown()
            group.shutdown()
            throw error
        }
    }

    @Test func aLargeBodyIsReadChunkByChunkWithBoundedBuffering() async throws {
        let progress = Progress()
        try await withTestServer(responder: Self.router(progress)) { server in
            try await withClient { client in
                let url = "http://127.0.0.1:\(server.port)/flood"
                let response = try await client.stream(HTTPClientRequest(url: url), timeout: .seconds(120), bufferBytes: 256 * 1024)
                #expect(response.status == 200)
                #expect(response.headers["content-type"] == "application/octet-stream")
                // Nobody reads: the connection stops reading once 256 KiB wait, and the server is held back too.
                try await waitUntil { response.body.isPaused }
                #expect(progress.written.load(ordering: .relaxed) < Self.floodBytes)
                // Everything arrives, in order, and no more than the bound (plus one socket read) ever waited.
                var received: [UInt8] = []
                received.reserveCapacity(Self.floodBytes)
                while let chunk = try await response.body.next() { received += chunk }
                #expect(received.count == Self.floodBytes)
                #expect(received == (0..<Self.floodBytes).map(Self.byte(at:)))
                #expect(response.body.peakBuffered <= 256 * 1024 + 64 * 1024)
                // The connection is reused afterwards.
                let next = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/small"))
                #expect(next.status == 404)
                #expect(client.connectionsOpened == 1)
            }
        }
    }

    @Test func aCancelledBodyClosesItsConnection() async throws {
        let progress = Progress()
        try await withTestServer(responder: Self.router(progress)) { server in
            try await withClient { client in
                let response = try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/flood"), timeout: .seconds(120))
                #expect(try await response.body.next() != nil)
                response.body.cancel()
                #expect(try await response.body.next() == nil)
                let small = try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/small"))
                #expect(small.status == 404)
                #expect(String(decoding: try await small.body.collect(upTo: 1024), as: UTF8.self) == "not here")
                #expect(client.connectionsOpened == 2, "a half-read connection is never reused")
                // collect's limit: more than allowed is responseTooLarge.
                let big = try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/flood"), timeout: .seconds(120))
                await #expect(throws: HTTPClientError.responseTooLarge) { try await big.body.collect(upTo: 1 << 20) }
            }
        }
    }

    @Test func theDeadlineCoversTheBodyAndFailuresBeforeTheHeadAreThrown() async throws {
        let progress = Progress()
        try await withTestServer(responder: Self.router(progress)) { server in
            try await withClient { client in
                let response = try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/stall"), timeout: .milliseconds(500))
                #expect(response.status == 200)
                #expect(try await response.body.next() == Array("first part;".utf8))
                await #expect(throws: HTTPClientError.timeout) { while try await response.body.next() != nil {} }
            }
        }
        // Nothing listens: the failure comes before any head.
        let port = try unusedPort()
        try await withClient { client in
            await #expect(throws: HTTPClientError.self) { _ = try await client.stream(HTTPClientRequest(url: "http://127.0.0.1:\(port)/")) }
        }
    }
}
