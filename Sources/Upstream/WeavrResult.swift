/// A decoded Weavr answer and the `request-ref` Weavr stamped on it (quote it to Weavr support and in audit rows).
public struct WeavrResult<Value: Sendable>: Sendable {
    /// The decoded response body (`Void`-like `WeavrEmpty` for 204 answers).
    public var value: Value
    /// Weavr's `request-ref` response header, if present.
    public var requestRef: String?

    public init(value: Value, requestRef: String?) {
        self.value = value
        self.requestRef = requestRef
    }
}
