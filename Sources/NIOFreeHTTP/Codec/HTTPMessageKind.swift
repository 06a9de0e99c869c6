/// What differs between parsing a request and a response: the start line, and what a finished head means.
/// Everything else (line splitting, field lines, framing, chunked coding, trailers) is `HTTPMessageParser`'s.
protocol HTTPMessageKind: Sendable {
    /// The head handed to the caller.
    associatedtype Head

    /// The error for a start line longer than `HTTPParserLimits.maxRequestLineBytes`.
    static var startLineTooLong: HTTPParseError { get }

    /// Checks the start line while it arrives (`complete == false`: the bytes so far, a trailing CR excluded or
    /// not) and once more when it is complete (without its CRLF). Lets garbage fail before its line ends.
    mutating func checkStartLine(_ bytes: UnsafeRawBufferPointer, complete: Bool, limits: HTTPParserLimits) -> HTTPParseError?

    /// Parses a complete start line (CRLF excluded) and begins a head; `fields` is fresh for this message.
    mutating func parseStartLine(_ line: UnsafeRawBufferPointer, fields: inout HTTPFramingFields) -> HTTPParseError?

    /// Adds a validated header field (name and OWS-trimmed value) to the head being built.
    mutating func addField(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    /// Judges the complete head: the head (and in `framing` how its body is delimited), or the error.
    mutating func finishHead(
        _ fields: HTTPFramingFields, limits: HTTPParserLimits, framing: inout HTTPBodyFraming
    ) -> Result<Self.Head, HTTPParseError>

    /// Drops a head under construction (the parser failed).
    mutating func reset()
}
