@testable import NIOFreeHTTP
import Testing

/// Everything one response parse produced, comparable across splits.
struct ResponseOutcome: Equatable, CustomStringConvertible {
    var status = 0
    var headers: [String] = []
    var body: [UInt8] = []
    var complete = false
    var closeRequested = false
    var error: HTTPParseError?

    var description: String {
        "status \(status) complete \(complete) close \(closeRequested) body \(body.count) bytes error \(error.map { "\($0)" } ?? "nil")"
    }
}

/// Drives an `HTTPResponseParser` over inputs split in every way, like `ParserHarness` does for requests.
enum ResponseHarness {
    static func parse(
        segments: [ArraySlice<UInt8>], isHead: Bool = false, maxBodyBytes: Int = 1024, endOfInput: Bool = false
    ) -> ResponseOutcome {
        var parser = HTTPResponseParser(maxHeadBytes: 512, maxBodyBytes: maxBodyBytes, isHeadRequest: isHead)
        var outcome = ResponseOutcome()
        do throws(HTTPParseError) {
            for segment in segments {
                let fed = segment.withUnsafeBytes { raw in Result { () throws(HTTPParseError) in try parser.feed(raw) } }
                _ = try fed.get()
            }
            if endOfInput { try parser.finishAtEOF() }
        } catch {
            outcome.error = error
        }
        outcome.status = parser.status
        outcome.headers = parser.headers.map { "\($0.name): \($0.value)" }
        // After an error the body bytes collected so far depend on where the input was split: not compared.
        outcome.body = outcome.error == nil ? parser.body : []
        outcome.complete = parser.isComplete
        outcome.closeRequested = parser.closeRequested
        return outcome
    }

    /// Parses `input` whole, split in two at every byte boundary and byte by byte; records an issue for any run
    /// that differs from the whole one. Returns the whole-input outcome.
    @discardableResult
    static func parseEverySplit(
        _ text: String, isHead: Bool = false, endOfInput: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
    ) -> ResponseOutcome {
        parseEverySplit(Array(text.utf8), isHead: isHead, endOfInput: endOfInput, sourceLocation: sourceLocation)
    }

    @discardableResult
    static func parseEverySplit(
        _ input: [UInt8], isHead: Bool = false, maxBodyBytes: Int = 1024, endOfInput: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> ResponseOutcome {
        let whole = parse(segments: [input[...]], isHead: isHead, maxBodyBytes: maxBodyBytes, endOfInput: endOfInput)
        for cut in 1..<max(input.count, 1) {
            let split = parse(
                segments: [input[..<cut], input[cut...]], isHead: isHead, maxBodyBytes: maxBodyBytes, endOfInput: endOfInput
            )
            if split != whole {
                Issue.record("split at \(cut) differs: \(split) vs whole \(whole)", sourceLocation: sourceLocation)
                break
            }
        }
        let bytewise = parse(
            segments: input.indices.map { input[$0...$0] }, isHead: isHead, maxBodyBytes: maxBodyBytes, endOfInput: endOfInput
        )
        #expect(bytewise == whole, "byte-by-byte differs", sourceLocation: sourceLocation)
        return whole
    }
}

struct CodecResponseParserTests {
    @Test func contentLengthBodyIsCollected() {
        let outcome = ResponseHarness.parseEverySplit("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b \r\n\r\nhello")
        #expect(outcome.error == nil && outcome.complete)
        #expect(outcome.status == 200)
        #expect(outcome.headers == ["Content-Length: 5", "X-A: b"])
        #expect(outcome.body == Array("hello".utf8))
        #expect(!outcome.closeRequested)
    }

    @Test func chunkedBodyWithExtensionsAndTrailersIsDechunked() {
        let outcome = ResponseHarness.parseEverySplit(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n6 ; c\r\n world\r\n0\r\nX-T: 1\r\n\r\n"
        )
        #expect(outcome.error == nil && outcome.complete)
        #expect(outcome.body == Array("hello world".utf8))
    }

    @Test func bodyWithoutFramingRunsUntilClose() {
        let open = ResponseHarness.parseEverySplit("HTTP/1.1 200 OK\r\n\r\nabc")
        #expect(open.error == nil && !open.complete)
        let closed = ResponseHarness.parseEverySplit("HTTP/1.1 200 OK\r\n\r\nabc", endOfInput: true)
        #expect(closed.error == nil && closed.complete && closed.closeRequested)
        #expect(closed.body == Array("abc".utf8))
    }

    @Test(arguments: [
        ("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", false),
        ("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", false),
        ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", true),
        ("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false),
    ])
    func responsesWithoutContentEndAtTheirHead(text: String, isHead: Bool) {
        let outcome = ResponseHarness.parseEverySplit(text, isHead: isHead)
        #expect(outcome.error == nil && outcome.complete && outcome.body.isEmpty)
    }

    @Test func interimResponsesAreSkipped() {
        let outcome = ResponseHarness.parseEverySplit(
            "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\nHTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"
        )
        #expect(outcome.error == nil && outcome.complete)
        #expect(outcome.status == 201)
        #expect(outcome.headers == ["Content-Length: 2"])
    }

    @Test(arguments: [
        ("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", true),
        ("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", false),
        ("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", true),
        ("HTTP/1.1 200 OK\r\nConnection: x, Close\r\nContent-Length: 0\r\n\r\n", true),
        // RFC 9112 §6.3 ¶3 — Transfer-Encoding overrides Content-Length, and the connection is not reused.
        ("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", true),
    ])
    func persistenceFollowsVersionAndConnection(text: String, close: Bool) {
        let outcome = ResponseHarness.parseEverySplit(text)
        #expect(outcome.error == nil && outcome.complete)
        #expect(outcome.closeRequested == close)
    }

    @Test(arguments: [
        ("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", "bare LF"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\n", "bare LF"),
        ("HTTP/2.0 200 OK\r\n\r\n", "unsupported version"),
        ("HTTP/1.1 20x OK\r\n\r\n", "bad status code"),
        ("HTTP/1.1 200OK\r\n\r\n", "bad status line"),
        ("HTTX/1.1 200 OK\r\n\r\n", "unsupported version"),
        ("HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", "obsolete line folding"),
        ("HTTP/1.1 200 OK\r\nA : b\r\n\r\n", "whitespace before colon"),
        ("HTTP/1.1 200 OK\r\nA: b\u{0}c\r\n\r\n", "invalid header value"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx", "invalid Content-Length"),
        ("HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\nx", "invalid Content-Length"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "unsupported transfer coding"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n", "invalid chunk size"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", "invalid chunk data terminator"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab", "bytes after the response"),
    ])
    func malformedResponsesAreRejected(text: String, reason: String) {
        let outcome = ResponseHarness.parseEverySplit(text)
        #expect(outcome.error?.reason == reason)
        #expect(outcome.error?.status == 400)
    }

    @Test(arguments: [
        "HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n401\r\n",
        "HTTP/1.1 200 OK\r\n\r\n" + String(repeating: "x", count: 1025),
    ])
    func bodiesOverTheLimitAre413(text: String) {
        let outcome = ResponseHarness.parseEverySplit(text)
        #expect(outcome.error?.status == 413)
    }

    @Test func headerSectionOverTheLimitIsRejected() {
        let outcome = ResponseHarness.parseEverySplit("HTTP/1.1 200 OK\r\nA: " + String(repeating: "b", count: 600) + "\r\n\r\n")
        #expect(outcome.error?.status == 431)
    }

    @Test func truncatedResponsesFailAtEndOfInput() {
        for text in ["HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc", "HTTP/1.1 200 OK\r\nContent", ""] {
            let outcome = ResponseHarness.parseEverySplit(text, endOfInput: true)
            #expect(outcome.error != nil && !outcome.complete, "\(text)")
        }
    }
}
