// libFuzzer target for HTTPResponseParser (the shared codec on the client side): differential (whole input vs.
// split vs. byte by byte) plus invariants. The first input byte picks options: bit 0 = the request was HEAD,
// bit 1 = the peer closes after the input. Built by fuzz/run.sh with Sources/NIOFreeHTTP/Codec/*.swift and
// FuzzCheck.swift; standard library only.

let fuzzMaxHeadBytes = 512
let fuzzMaxBodyBytes = 1024
let allowedStatuses: Set<Int> = [400, 413, 431]

/// What one parse produced; the body only when there was no error (before it, it depends on the split).
struct ResponseTranscript: Equatable {
    var status = 0
    var headers: [String] = []
    var body: [UInt8] = []
    var complete = false
    var closeRequested = false
    var error: HTTPParseError?
}

func transcript(_ input: UnsafeRawBufferPointer, cuts: [Int], isHead: Bool, endOfInput: Bool) -> ResponseTranscript {
    var parser = HTTPResponseParser(maxHeadBytes: fuzzMaxHeadBytes, maxBodyBytes: fuzzMaxBodyBytes, isHeadRequest: isHead)
    var result = ResponseTranscript()
    var start = 0
    do throws(HTTPParseError) {
        for end in cuts + [input.count] where end >= start {
            let complete = try parser.feed(UnsafeRawBufferPointer(rebasing: input[start..<end]))
            check(complete == parser.isComplete, "feed's answer differs from isComplete")
            start = end
        }
        if endOfInput { try parser.finishAtEOF() }
    } catch {
        check(allowedStatuses.contains(error.status), "unexpected status")
        result.error = error
    }
    check(parser.body.count <= fuzzMaxBodyBytes, "body over maxBodyBytes")
    result.status = parser.status
    result.headers = parser.headers.map { "\($0.name):\($0.value)" }
    result.complete = parser.isComplete
    result.closeRequested = parser.closeRequested
    if result.error == nil {
        result.body = parser.body
        if result.complete {
            check(result.status < 1000, "status is not three digits")
            check(!(result.status >= 100 && result.status < 200 && result.status != 101), "interim response returned")
            if isHead || result.status == 204 || result.status == 304 { check(result.body.isEmpty, "body where none is allowed") }
        }
    }
    return result
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let isHead = data[0] & 1 != 0
    let endOfInput = data[0] & 2 != 0
    let input = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    let whole = transcript(input, cuts: [], isHead: isHead, endOfInput: endOfInput)
    var hash: UInt = 5381
    for b in input { hash = hash &* 33 &+ UInt(b) }
    let cut = Int(hash % UInt(input.count + 1))
    let cut2 = Int((hash >> 17) % UInt(input.count + 1))
    if transcript(input, cuts: [cut], isHead: isHead, endOfInput: endOfInput) != whole {
        fatalError("split at \(cut) disagrees with whole input")
    }
    if transcript(input, cuts: [min(cut, cut2), max(cut, cut2)], isHead: isHead, endOfInput: endOfInput) != whole {
        fatalError("three-way split disagrees with whole input")
    }
    if input.count <= 128, transcript(input, cuts: Array(0..<input.count), isHead: isHead, endOfInput: endOfInput) != whole {
        fatalError("byte-by-byte disagrees with whole input")
    }
    return 0
}
