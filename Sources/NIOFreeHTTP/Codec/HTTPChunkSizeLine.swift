/// A chunk-size line (`chunk-size [ chunk-ext ] CRLF`, RFC 9112 §7.1), parsed byte by byte so that its state
/// survives any split of the input.
struct HTTPChunkSizeLine: Sendable {
    enum Outcome {
        case needMore
        case complete(size: Int)
        case failure(HTTPParseError)
    }

    /// At most 15 hex digits: the size stays below 2^60 and never overflows.
    static let maxSizeDigits = 15

    var digits = 0
    var size = 0
    var extensionBytes = 0
    var inExtension = false
    var sawSemicolon = false
    var sawCR = false

    /// Consumes bytes from `bytes[pos...]` until the line is complete, is invalid, or the bytes run out.
    mutating func consume(_ bytes: UnsafeRawBufferPointer, from pos: inout Int, limits: HTTPParserLimits) -> Outcome {
        let n = bytes.count
        while pos < n {
            let b = bytes[pos]
            pos += 1
            if sawCR {
                // RFC 9112 §2.2 — a CR must be followed by LF.
                guard b == HTTPByteClass.lf else { return .failure(.badRequest("bare CR")) }
                // RFC 9112 §7.1.1 — chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
                guard digits > 0, !inExtension || sawSemicolon else {
                    return .failure(.badRequest("invalid chunk size"))
                }
                return .complete(size: size)
            }
            if b == HTTPByteClass.cr {
                sawCR = true
                continue
            }
            // RFC 9112 §2.2 — a bare LF is rejected.
            if b == HTTPByteClass.lf { return .failure(.badRequest("bare LF")) }
            if !inExtension {
                if let value = HTTPByteClass.hexValue(b) {
                    digits += 1
                    // RFC 9112 §7.1 — recipients must anticipate and guard against overflow of chunk-size.
                    if digits > Self.maxSizeDigits { return .failure(.badRequest("chunk size too large")) }
                    size = size << 4 | value
                    continue
                }
                guard digits > 0, b == UInt8(ascii: ";") || HTTPByteClass.isWhitespace(b) else {
                    return .failure(.badRequest("invalid chunk size"))
                }
                inExtension = true
            } else if !sawSemicolon, !HTTPByteClass.isWhitespace(b), b != UInt8(ascii: ";") {
                // Only BWS may sit between the size and the first ";": "5 6" is not a size of 5.
                return .failure(.badRequest("invalid chunk size"))
            }
            if b == UInt8(ascii: ";") { sawSemicolon = true }
            extensionBytes += 1
            // Chunk extensions are length-capped (RFC 9112 §7.1.1 lets a server limit them).
            if extensionBytes > limits.maxChunkExtensionBytes {
                return .failure(.badRequest("chunk extension too long"))
            }
            guard HTTPByteClass.isFieldValue(b) else { return .failure(.badRequest("invalid chunk extension")) }
        }
        return .needMore
    }
}
