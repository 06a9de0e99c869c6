/// A sans-IO HTTP/1.1 request parser (RFC 9112). Feed it bytes; it calls back with heads, body slices and ends,
/// across any number of pipelined requests, or returns the first error with the status to answer before closing.
///
/// The shared `HTTPMessageParser` does the work; this type fixes it to requests and is the public face.
public struct HTTPRequestParser: Sendable {
    /// Where the parser is between messages.
    public typealias State = HTTPParserState

    var core: HTTPMessageParser<HTTPRequestKind>

    /// Creates a parser enforcing `limits`.
    public init(limits: HTTPParserLimits = .init()) {
        core = HTTPMessageParser(kind: HTTPRequestKind(), limits: limits)
    }

    /// Where the parser is; `.idle` when no byte of a next message has arrived.
    public var state: State { core.state }

    /// Between messages with nothing held: no byte buffered, no empty line counted, no failure. A connection may
    /// drop such a parser and start a fresh one for the next request (an idle connection then holds none).
    public var isPristine: Bool {
        core.phase == .startLine && core.bufferedByteCount == 0 && core.leadingEmptyLines == 0 && core.failure == nil
    }

    /// Bytes held because they were not yet consumed (an incomplete line, or everything after a paused event).
    public var bufferedByteCount: Int { core.bufferedByteCount }

    /// Parses `bytes` (plus anything buffered before). Calls `onEvent` for each event in order.
    /// If `onEvent` returns false, parsing stops right after that event; the rest is buffered until `resume`.
    /// Returns nil, or the first error (then `state == .failed` and the parser must not be used again).
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ onEvent: (HTTPParserEvent) -> Bool) -> HTTPParseError? {
        core.feed(bytes, onEvent)
    }

    /// Continues with buffered bytes after `onEvent` returned false.
    public mutating func resume(_ onEvent: (HTTPParserEvent) -> Bool) -> HTTPParseError? {
        core.resume(onEvent)
    }
}
