/// One `name: value` line of a message head, written by the response encoder and the client's serializer alike.
enum HTTPFieldLine {
    /// Appends `name: value\r\n` unless the field may not be sent: a name that is not a token, a field the writer
    /// sends itself (`isOwn`, given the name's bytes), or a value with CR, LF, NUL or another control but HTAB
    /// (RFC 9110 §5.5: they enable header injection and response splitting). Checked and copied over the strings'
    /// contiguous UTF-8 (every request and response does this).
    @inline(__always)
    static func append(_ field: HTTPHeaders.Element, unlessOwn isOwn: (UnsafeRawBufferPointer) -> Bool, to out: inout [UInt8]) {
        var name = field.name
        var value = field.value
        name.withUTF8 { name in
            guard !name.isEmpty, name.allSatisfy(HTTPByteClass.isToken), !isOwn(UnsafeRawBufferPointer(name)) else { return }
            value.withUTF8 { value in
                guard HTTPByteClass.allFieldValue(UnsafeRawBufferPointer(value)) else { return }
                out.append(contentsOf: name)
                appendLiteral(": ", to: &out)
                out.append(contentsOf: value)
                appendLiteral("\r\n", to: &out)
            }
        }
    }

    /// `Connection`, `Content-Length` or `Transfer-Encoding` (any case): the framing fields, which every writer
    /// sends itself from what it knows of the message.
    @inline(__always)
    static func isFraming(_ name: UnsafeRawBufferPointer) -> Bool {
        switch name.count {
        case 10: HTTPByteClass.equalsIgnoringCase(name, "connection")
        case 14: HTTPByteClass.equalsIgnoringCase(name, "content-length")
        case 17: HTTPByteClass.equalsIgnoringCase(name, "transfer-encoding")
        default: false
        }
    }

    @inline(__always)
    static func appendLiteral(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
