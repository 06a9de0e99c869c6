/// A validated response head, as the client receives it.
struct HTTPResponseHead: Sendable {
    /// The three-digit status code.
    var status: Int
    /// The protocol version of the status line.
    var version: HTTPVersion
    /// The header fields in the order received.
    var headers: HTTPHeaders
    /// How the body is delimited.
    var framing: HTTPBodyFraming
    /// False when the connection must close after this response: "Connection: close", HTTP/1.0 without
    /// keep-alive, a close-delimited body, or suspect framing.
    var keepAlive: Bool
}
