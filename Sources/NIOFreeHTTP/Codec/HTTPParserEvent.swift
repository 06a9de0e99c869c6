/// What the request parser found, in order: one head, zero or more body slices, then the end of the message.
public enum HTTPParserEvent {
    /// The request head, validated.
    case head(HTTPRequestHead)
    /// A slice of body bytes, de-chunked. The pointer is valid only during the callback: copy what you keep.
    case body(UnsafeRawBufferPointer)
    /// The message, including any trailer section, is complete.
    case end
}
