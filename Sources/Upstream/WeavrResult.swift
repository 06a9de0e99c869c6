/// A decoded Weavr answer, its HTTP status and the `request-ref` Weavr stamped on it (quote it to Weavr
/// support and in audit rows).
public struct WeavrResult<Value: Sendable>: Sendable {
    /// The decoded response body (`Void`-like `WeavrEmpty` for 204 answers).
    public var value: Value
    /// Weavr's `request-ref` response header, if present (vetted: `WeavrVetting.requestRef`).
    public var requestRef: String?
    /// The HTTP status Weavr answered with (2xx).
    public var status: Int

    public init(value: Value, requestRef: String?, status: Int) {
        self.value = value
        self.requestRef = requestRef
        self.status = status
    }
}
