import NIOFreeHTTP
import Testing

struct CodecParserBehaviourTests {
    static let threeRequests = Array((
        "GET /one HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
            + "PUT /three HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n"
    ).utf8)

    @Test func parsesThreePipelinedRequestsInOneFeed() {
        let outcome = ParserHarness.parseEverySplit(Self.threeRequests)
        #expect(outcome.error == nil)
        #expect(outcome.heads.map(\.path) == ["/one", "/two", "/three"])
        #expect(outcome.endCount == 3)
        #expect(outcome.bodies == [[], Array("abc".utf8), Array("xy".utf8)])
        // Each end comes before the next head.
        let kinds = outcome.events.map { event -> String in
            switch event {
            case .head: "h"
            case .body: "b"
            case .end: "e"
            }
        }
        #expect(kinds.joined() == "hehbehbe")
    }

    /// A connection drops a pristine parser between requests (an idle connection holds none): pristine only when
    /// dropping it loses nothing — no buffered byte, no counted empty line, no failure, between messages.
    @Test func aParserIsPristineOnlyBetweenMessagesWithNothingHeld() {
        func fed(_ text: String) -> HTTPRequestParser {
            var parser = HTTPRequestParser()
            _ = Array(text.utf8).withUnsafeBytes { parser.feed($0) { _ in true } }
            return parser
        }
        #expect(HTTPRequestParser().isPristine)
        #expect(fed("GET / HTTP/1.1\r\nHost: a\r\n\r\n").isPristine)
        #expect(fed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc").isPristine)
        #expect(!fed("GET / HTTP/1.1\r\nHo").isPristine)
        #expect(!fed("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /b").isPristine)
        #expect(!fed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\na").isPristine)
        #expect(!fed("\r\n").isPristine)
        #expect(!fed("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").isPristine)
    }

    @Test func pausingStopsRightAfterTheEventAndResumeContinues() {
        var parser = HTTPRequestParser()
        var outcome = ParseOutcome()
        let error = Self.threeRequests.withUnsafeBytes { raw in
            parser.feed(raw) { event in
                outcome.record(event)
                if case .end = event { return false }
                return true
            }
        }
        #expect(error == nil)
        #expect(outcome.endCount == 1)
        #expect(outcome.heads.count == 1)
        #expect(parser.bufferedByteCount == Self.threeRequests.count - "GET /one HTTP/1.1\r\nHost: a\r\n\r\n".utf8.count)
        #expect(parser.state == .head)

        #expect(parser.resume { outcome.record($0); if case .end = $0 { return false }; return true } == nil)
        #expect(outcome.heads.map(\.path) == ["/one", "/two"])
        #expect(parser.resume { outcome.record($0); return true } == nil)
        #expect(outcome.endCount == 3)
        #expect(parser.bufferedByteCount == 0)
        #expect(parser.state == .idle)
    }

    @Test func feedWhilePausedAppendsAndContinues() {
        var parser = HTTPRequestParser()
        var paths: [String] = []
        let first = Array("GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\n".utf8)
        let second = Array("Host: a\r\n\r\n".utf8)
        _ = first.withUnsafeBytes { parser.feed($0) { if case .head(let h) = $0 { paths.append(h.path); return false }; return true } }
        #expect(paths == ["/a"])
        #expect(second.withUnsafeBytes { parser.feed($0) { if case .head(let h) = $0 { paths.append(h.path) }; return true } } == nil)
        #expect(paths == ["/a", "/b"])
    }

    @Test func pausedHeadWithoutBodyDeliversEndOnResume() {
        var parser = HTTPRequestParser()
        var events = 0
        let input = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        _ = input.withUnsafeBytes { parser.feed($0) { _ in events += 1; return false } }
        #expect(events == 1)
        #expect(parser.state == .body)
        var sawEnd = false
        #expect(parser.resume { if case .end = $0 { sawEnd = true }; return true } == nil)
        #expect(sawEnd)
        #expect(parser.state == .idle)
    }

    @Test func requestLineLimitFiresBeforeItsCRLFArrives() {
        var parser = HTTPRequestParser()
        let input = Array(("GET /" + String(repeating: "a", count: 9 * 1024)).utf8)
        let error = input.withUnsafeBytes { parser.feed($0) { _ in true } }
        #expect(error?.status == 414)
        #expect(parser.state == .failed)
    }

    @Test func requestLineLimitFiresWhenArrivingInSmallPieces() {
        var parser = HTTPRequestParser()
        let piece = Array(String(repeating: "a", count: 512).utf8)
        var error = Array("GET /".utf8).withUnsafeBytes { parser.feed($0) { _ in true } }
        var fed = 5
        while error == nil, fed < 20_000 {
            error = piece.withUnsafeBytes { parser.feed($0) { _ in true } }
            fed += piece.count
        }
        #expect(error?.status == 414)
        #expect(fed <= 8 * 1024 + piece.count)
    }

    @Test func headerSectionLimitFiresBeforeTheHeadEnds() {
        var parser = HTTPRequestParser()
        let input = Array(("GET / HTTP/1.1\r\nHost: a\r\n" + String(repeating: "X-Filler: 0123456789abcdef\r\n", count: 33 * 1024 / 28)).utf8)
        let error = input.withUnsafeBytes { parser.feed($0) { _ in true } }
        #expect(error?.status == 431)
    }

    @Test func oneHugeHeaderLineHits431WithoutItsCRLF() {
        var parser = HTTPRequestParser()
        let input = Array(("GET / HTTP/1.1\r\nX-Big: " + String(repeating: "v", count: 33 * 1024)).utf8)
        let error = input.withUnsafeBytes { parser.feed($0) { _ in true } }
        #expect(error?.status == 431)
    }

    @Test func limitErrorsAgreeAcrossSplits() {
        let longLine = Array(("GET /" + String(repeating: "a", count: 9 * 1024) + " HTTP/1.1\r\nHost: a\r\n\r\n").utf8)
        #expect(ParserHarness.parseEverySplit(longLine, splitStride: 97).error?.status == 414)
        let bigHead = Array(("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "v", count: 33 * 1024) + "\r\n\r\n").utf8)
        #expect(ParserHarness.parseEverySplit(bigHead, splitStride: 251).error?.status == 431)
    }

    @Test func trailerSectionLimitFires() {
        let limits = HTTPParserLimits(maxTrailerBytes: 16)
        let input = Array(("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Trailer: 0123456789\r\n\r\n").utf8)
        #expect(ParserHarness.parseEverySplit(input, limits: limits).error?.status == 431)
    }

    @Test func reportsStateThroughAMessage() {
        var parser = HTTPRequestParser()
        #expect(parser.state == .idle)
        func feed(_ text: String) { _ = Array(text.utf8).withUnsafeBytes { parser.feed($0) { _ in true } } }
        feed("POST / HT")
        #expect(parser.state == .head)
        #expect(parser.bufferedByteCount == 9)
        feed("TP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab")
        #expect(parser.state == .body)
        #expect(parser.bufferedByteCount == 0)
        feed("cd")
        #expect(parser.state == .idle)
    }

    @Test func streamsBodyWithoutBufferingIt() {
        var parser = HTTPRequestParser()
        var bodyBytes = 0
        let head = Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n".utf8)
        _ = head.withUnsafeBytes { parser.feed($0) { _ in true } }
        let chunk = [UInt8](repeating: 7, count: 10_000)
        for _ in 0..<10 {
            _ = chunk.withUnsafeBytes { parser.feed($0) { if case .body(let b) = $0 { bodyBytes += b.count }; return true } }
            #expect(parser.bufferedByteCount == 0)
        }
        #expect(bodyBytes == 100_000)
        #expect(parser.state == .idle)
    }

    @Test func holdsOnlyTheUnconsumedTail() {
        var parser = HTTPRequestParser()
        let input = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHo".utf8)
        _ = input.withUnsafeBytes { parser.feed($0) { _ in true } }
        // The next request line is already parsed; only the incomplete field line is held.
        #expect(parser.bufferedByteCount == "Ho".utf8.count)
        #expect(parser.state == .head)
    }

    @Test func idleParserAfterALargeHeadHoldsNothing() {
        var parser = HTTPRequestParser()
        let big = Array(("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "v", count: 20 * 1024)).utf8)
        _ = big.withUnsafeBytes { parser.feed($0) { _ in true } }
        #expect(parser.bufferedByteCount > 16 * 1024)
        var ended = false
        _ = Array("\r\n\r\n".utf8).withUnsafeBytes { parser.feed($0) { if case .end = $0 { ended = true }; return true } }
        #expect(ended)
        #expect(parser.state == .idle)
        #expect(parser.bufferedByteCount == 0)
    }

    @Test func ignoresAFewEmptyLinesBetweenPipelinedRequests() {
        let input = Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        let outcome = ParserHarness.parseEverySplit(input)
        #expect(outcome.error == nil)
        #expect(outcome.endCount == 2)
    }

    @Test func manyPipelinedRequestsInOneFeed() {
        let one = "GET /x HTTP/1.1\r\nHost: a\r\n\r\n"
        let outcome = ParserHarness.parse(Array(String(repeating: one, count: 500).utf8))
        #expect(outcome.error == nil)
        #expect(outcome.endCount == 500)
    }
}
