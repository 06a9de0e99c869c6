/// Why the parser rejected a message: for a request, the status the server should answer with before closing;
/// for a response (the client's parser), 413 when it exceeds the body limit and 400/431 when it is malformed.
/// The reason is fixed text.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400, 413, 414, 417, 431, 501 or 505 for requests; 400, 413 or 431 for responses.
    public var status: Int
    /// Short fixed text such as "invalid Content-Length". It never contains bytes from the input.
    public var reason: String

    /// Creates an error with a status and a fixed reason.
    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    /// "<status> <reason>".
    public var description: String { "\(status) \(reason)" }

    static func badRequest(_ reason: String) -> HTTPParseError { HTTPParseError(status: 400, reason: reason) }
}
