/// Limits the request parser enforces. Every limit has a documented default and can be overridden here.
/// The client's response parser uses the same limits (the request-line limit applies to the status line).
public struct HTTPParserLimits: Sendable, Equatable {
    /// Longest request line in bytes, excluding its CRLF. Default 8 KiB; exceeding it gives 414.
    public var maxRequestLineBytes: Int
    /// Largest header section in bytes (field lines with their CRLFs, excluding the request line). Default 32 KiB; exceeding it gives 431.
    public var maxHeaderBytes: Int
    /// Most header fields in the header section, and most fields in a chunked trailer section. Default 100; exceeding it gives 431.
    public var maxHeaderCount: Int
    /// Largest request body in bytes. Default 1 MiB. A larger `Content-Length` gives 413 as soon as the head completes,
    /// before any body byte; a chunked body whose total grows past it gives 413.
    public var maxBodyBytes: Int
    /// Longest chunk extension per chunk-size line, counted after the hex size and before the CRLF. Default 256; exceeding it gives 400.
    public var maxChunkExtensionBytes: Int
    /// Largest chunked trailer section in bytes (field lines with their CRLFs). Default 8 KiB; exceeding it gives 431.
    public var maxTrailerBytes: Int

    /// Creates limits; every parameter defaults to the value documented on its property.
    public init(
        maxRequestLineBytes: Int = 8 * 1024,
        maxHeaderBytes: Int = 32 * 1024,
        maxHeaderCount: Int = 100,
        maxBodyBytes: Int = 1024 * 1024,
        maxChunkExtensionBytes: Int = 256,
        maxTrailerBytes: Int = 8 * 1024
    ) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkExtensionBytes = maxChunkExtensionBytes
        self.maxTrailerBytes = maxTrailerBytes
    }
}
