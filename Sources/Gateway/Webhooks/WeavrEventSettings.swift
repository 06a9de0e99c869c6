/// The limits of Weavr's webhooks and of `/v1/events` (configuration keys `events.*`).
public struct WeavrEventSettings: Sendable {
    /// A webhook whose `published-timestamp` is further than this from the gateway's clock, either way, is
    /// refused (401 `webhook_timestamp_out_of_window`). Default 5 minutes.
    public var timestampWindow: Duration = .seconds(300)
    /// The largest webhook body taken in (413 above). Default 64 KiB.
    public var bodyLimit = 64 * 1024
    /// How long events (and the `call-ref` receipts) are kept; `RetentionTask` prunes older ones. Default 7 days.
    public var retention: Duration = .seconds(7 * 86_400)
    /// A comment line is sent on an idle stream this often. Default 15 s.
    public var heartbeatInterval: Duration = .seconds(15)
    /// Open streams per session (429 `too_many_streams` above). Default 3.
    public var streamsPerSession = 3
    /// Open streams per tenant on one instance. Default 1,000.
    public var streamsPerTenant = 1_000
    /// Events waiting for one stream; a client that falls this far behind is dropped. Default 256.
    public var streamQueueDepth = 256
    /// PostgreSQL: instances hear of each other's events by `LISTEN`/`NOTIFY`; the log is also read this often,
    /// as a safety net should a notification be lost. Default 5 s.
    public var pollInterval: Duration = .seconds(5)

    public init() {}
}
