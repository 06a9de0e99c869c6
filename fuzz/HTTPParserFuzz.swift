// libFuzzer target for HTTPRequestParser: differential (whole input vs. split vs. paused) plus invariants.
// Built by fuzz/run.sh together with Sources/NIOFreeHTTP/Codec/*.swift and FuzzCheck.swift; standard library only.

/// Small limits so that short inputs reach every limit check.
let fuzzLimits = HTTPParserLimits(
    maxRequestLineBytes: 256,
    maxHeaderBytes: 512,
    maxHeaderCount: 16,
    maxBodyBytes: 1024,
    maxChunkExtensionBytes: 16,
    maxTrailerBytes: 128
)

let allowedStatuses: Set<Int> = [400, 413, 414, 417, 431, 501, 505]

/// A canonical transcript of one parse: events with body slices merged per message, then the error.
struct FuzzTranscript: Equatable {
    var log: [UInt8] = []
    var pendingBody: [UInt8] = []
    var inMessage = false
    var expectedLength: Int?
    var error: HTTPParseError?

    mutating func record(_ event: HTTPParserEvent) {
        switch event {
        case .head(let head):
            check(!inMessage, "head inside a message")
            inMessage = true
            expectedLength = head.isChunked ? nil : head.contentLength ?? 0
            log.append(0x48)
            for text in [head.method, head.target, head.path, head.query ?? "<nil>", "\(head.version)"] {
                log.append(contentsOf: text.utf8)
                log.append(0)
            }
            for field in head.headers {
                log.append(contentsOf: field.name.utf8)
                log.append(0x3A)
                log.append(contentsOf: field.value.utf8)
                log.append(0)
            }
            log.append(contentsOf: "\(head.keepAlive) \(head.contentLength ?? -1) \(head.isChunked) \(head.expectsContinue)".utf8)
            check(!(head.isChunked && head.contentLength != nil), "chunked with Content-Length")
            check((head.contentLength ?? 0) <= fuzzLimits.maxBodyBytes, "Content-Length over limit accepted")
            check(head.path.hasPrefix("/") || head.path == "*", "path not origin-form")
        case .body(let bytes):
            check(inMessage, "body outside a message")
            check(!bytes.isEmpty, "empty body slice")
            pendingBody.append(contentsOf: bytes)
            check(pendingBody.count <= fuzzLimits.maxBodyBytes, "body over maxBodyBytes")
        case .end:
            check(inMessage, "end outside a message")
            if let expectedLength { check(pendingBody.count == expectedLength, "body length differs from Content-Length") }
            inMessage = false
            log.append(0x42)
            log.append(contentsOf: pendingBody)
            log.append(0x45)
            pendingBody = []
        }
    }
}

/// Parses `input` in the given pieces; optionally pauses after every event and resumes.
func transcript(_ input: UnsafeRawBufferPointer, cuts: [Int], pause: Bool) -> FuzzTranscript {
    var parser = HTTPRequestParser(limits: fuzzLimits)
    var result = FuzzTranscript()
    var start = 0
    for end in cuts + [input.count] where end >= start {
        let piece = UnsafeRawBufferPointer(rebasing: input[start..<end])
        start = end
        var paused = false
        var error = parser.feed(piece) { event in
            result.record(event)
            paused = pause
            return !pause
        }
        while error == nil, paused {
            paused = false
            error = parser.resume { event in
                result.record(event)
                paused = true
                return false
            }
        }
        if let error {
            check(allowedStatuses.contains(error.status), "unexpected status")
            check(parser.state == .failed, "error without failed state")
            check(parser.feed(piece) { _ in fatalError("event after failure") } == error, "failure not sticky")
            result.error = error
            return result
        }
        check(parser.state != .failed, "failed state without error")
        check(parser.bufferedByteCount <= input.count, "buffered more than fed")
    }
    // Body bytes are flushed into the log only at .end; an unfinished body is still part of the comparison.
    result.log.append(contentsOf: result.pendingBody)
    return result
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let whole = transcript(input, cuts: [], pause: false)
    var hash: UInt = 5381
    for b in input { hash = hash &* 33 &+ UInt(b) }
    let cut = size == 0 ? 0 : Int(hash % UInt(size + 1))
    let cut2 = size == 0 ? 0 : Int((hash >> 17) % UInt(size + 1))
    let split = transcript(input, cuts: [cut], pause: false)
    if split != whole { fatalError("split at \(cut) disagrees with whole input") }
    let split3 = transcript(input, cuts: [min(cut, cut2), max(cut, cut2)], pause: true)
    if split3 != whole { fatalError("three-way split with pauses disagrees with whole input") }
    if size <= 128 {
        let bytewise = transcript(input, cuts: Array(0..<size), pause: false)
        if bytewise != whole { fatalError("byte-by-byte disagrees with whole input") }
    }
    return 0
}
