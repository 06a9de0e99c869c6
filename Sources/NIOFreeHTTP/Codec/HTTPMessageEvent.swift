/// What a message parser found, in order: one head, zero or more body slices, then the end of the message.
public enum HTTPMessageEvent<Head> {
    /// The head, validated.
    case head(Head)
    /// A slice of body bytes, de-chunked. The pointer is valid only during the callback: copy what you keep.
    case body(UnsafeRawBufferPointer)
    /// The message, including any trailer section, is complete.
    case end
}

/// What the request parser found: one request head, zero or more body slices, then the end of the message.
public typealias HTTPParserEvent = HTTPMessageEvent<HTTPRequestHead>
