import NIOFreeHTTP
import Testing

/// Owned copy of a request head, comparable across runs.
struct HeadSnapshot: Equatable, CustomStringConvertible {
    var method: String
    var target: String
    var path: String
    var query: String?
    var version: HTTPVersion
    var headers: [String]
    var keepAlive: Bool
    var contentLength: Int?
    var isChunked: Bool
    var expectsContinue: Bool

    init(_ head: HTTPRequestHead) {
        method = head.method
        target = head.target
        path = head.path
        query = head.query
        version = head.version
        headers = head.headers.map { "\($0.name): \($0.value)" }
        keepAlive = head.keepAlive
        contentLength = head.contentLength
        isChunked = head.isChunked
        expectsContinue = head.expectsContinue
    }

    var description: String { "\(method) \(target) \(version) \(headers)" }
}

/// Everything one parse produced, with body slices concatenated per message, so that any split compares equal.
struct ParseOutcome: Equatable, CustomStringConvertible {
    enum Event: Equatable {
        case head(HeadSnapshot)
        case body([UInt8])
        case end
    }

    var events: [Event] = []
    var error: HTTPParseError?

    var heads: [HeadSnapshot] {
        events.compactMap { if case .head(let h) = $0 { h } else { nil } }
    }

    var bodies: [[UInt8]] {
        var result: [[UInt8]] = []
        var current: [UInt8]?
        for event in events {
            switch event {
            case .head: current = []
            case .body(let bytes): current?.append(contentsOf: bytes)
            case .end: result.append(current ?? []); current = nil
            }
        }
        return result
    }

    var endCount: Int { events.count { $0 == .end } }

    mutating func record(_ event: HTTPParserEvent) {
        switch event {
        case .head(let head):
            events.append(.head(HeadSnapshot(head)))
        case .body(let bytes):
            if case .body(let previous) = events.last {
                events[events.count - 1] = .body(previous + Array(bytes))
            } else {
                events.append(.body(Array(bytes)))
            }
        case .end:
            events.append(.end)
        }
    }

    var description: String { "events: \(events), error: \(error.map(String.init(describing:)) ?? "nil")" }
}

/// Drives an `HTTPRequestParser` over inputs split in every way.
enum ParserHarness {
    /// Feeds `segments` in order, stopping at the first error.
    static func parse(segments: [ArraySlice<UInt8>], limits: HTTPParserLimits = .init(), pauseEveryEvent: Bool = false) -> ParseOutcome {
        var parser = HTTPRequestParser(limits: limits)
        var outcome = ParseOutcome()
        for segment in segments {
            var paused = false
            let error = segment.withUnsafeBytes { raw in
                parser.feed(raw) { event in
                    outcome.record(event)
                    paused = pauseEveryEvent
                    return !pauseEveryEvent
                }
            }
            if let error {
                outcome.error = error
                return outcome
            }
            while paused {
                paused = false
                if let error = parser.resume({ event in
                    outcome.record(event)
                    paused = true
                    return false
                }) {
                    outcome.error = error
                    return outcome
                }
            }
        }
        return outcome
    }

    static func parse(_ input: [UInt8], limits: HTTPParserLimits = .init()) -> ParseOutcome {
        parse(segments: [input[...]], limits: limits)
    }

    /// Parses `input` whole, then split in two at every byte boundary, byte by byte, and pausing after every event;
    /// records an issue for any run that differs from the whole one. Returns the whole-input outcome.
    @discardableResult
    static func parseEverySplit(
        _ input: [UInt8],
        limits: HTTPParserLimits = .init(),
        splitStride: Int = 1,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> ParseOutcome {
        let whole = parse(input, limits: limits)
        for cut in stride(from: 1, to: input.count, by: splitStride) {
            let split = parse(segments: [input[..<cut], input[cut...]], limits: limits)
            if split != whole {
                Issue.record("split at \(cut) differs: \(split) vs whole \(whole)", sourceLocation: sourceLocation)
                break
            }
        }
        if input.count <= 4096 {
            let bytewise = parse(segments: input.indices.map { input[$0...$0] }, limits: limits)
            #expect(bytewise == whole, "byte-by-byte differs", sourceLocation: sourceLocation)
        }
        let paused = parse(segments: [input[...]], limits: limits, pauseEveryEvent: true)
        #expect(paused == whole, "pausing after every event differs", sourceLocation: sourceLocation)
        return whole
    }
}

extension Array where Element == UInt8 {
    init(http text: String) {
        self = Array(text.utf8)
    }
}

struct CodecHarnessTests {
    @Test func harnessConcatenatesBodySlicesAcrossSplits() {
        let input = [UInt8](http: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")
        let outcome = ParserHarness.parseEverySplit(input)
        #expect(outcome.error == nil)
        #expect(outcome.bodies == [Array("hello".utf8)])
        #expect(outcome.events.count == 3)
    }
}
