extension HTTPServer {
    /// Every limit and timeout of the server in one place. Defaults are in the property docs.
    public struct Configuration: Sendable {
        /// Address to listen on. Default `127.0.0.1`.
        public var host: String = "127.0.0.1"
        /// Port; 0 picks a free one (read it back from `HTTPServer.localAddress`). Default 8080.
        public var port: Int = 8080
        /// listen(2) backlog. Default 1024.
        public var backlog: Int32 = 1024
        /// TLS for this listener; nil serves plain HTTP.
        public var tls: TLSConfiguration?

        /// Request line over this → 414. Default 8 KiB.
        public var maxRequestLineBytes: Int = 8 * 1024
        /// Header section over this → 431. Default 32 KiB.
        public var maxHeaderBytes: Int = 32 * 1024
        /// More header fields than this → 431. Default 100.
        public var maxHeaderCount: Int = 100
        /// Declared or received body over this → 413 (before reading a declared body). Default 1 MiB.
        public var maxBodyBytes: Int = 1024 * 1024
        /// Requests read ahead of the one being answered (pipelining); reading pauses beyond it. Default 16.
        public var maxPipelineDepth: Int = 16

        /// The whole request head (and a new connection's first head, and a TLS handshake) must arrive
        /// within this → 408 and close. Default 10 s.
        public var headerTimeout: Duration = .seconds(10)
        /// A keep-alive connection with no request for this long is closed. Default 60 s.
        public var keepAliveTimeout: Duration = .seconds(60)
        /// Bodies must arrive at least this fast after `bodyGracePeriod` → else 408. Default 1024 B/s.
        public var minBodyBytesPerSecond: Int = 1024
        /// Time before the minimum body rate applies. Default 5 s.
        public var bodyGracePeriod: Duration = .seconds(5)
        /// A response that makes no write progress for this long closes the connection. Default 30 s.
        public var writeTimeout: Duration = .seconds(30)
        /// After an error response, unread input is drained this long before close (so the client sees it). Default 2 s.
        public var lingerTimeout: Duration = .seconds(2)

        /// Open connections over all loops; beyond it → 503 and close. Default 16,384.
        public var maxConnections: Int = 16_384
        /// Open connections from one IP address; beyond it → 503 and close. Default 1,024.
        public var maxConnectionsPerIP: Int = 1_024

        public init() {}

        /// The parser's share of these limits.
        public var parserLimits: HTTPParserLimits {
            var limits = HTTPParserLimits()
            limits.maxRequestLineBytes = maxRequestLineBytes
            limits.maxHeaderBytes = maxHeaderBytes
            limits.maxHeaderCount = maxHeaderCount
            limits.maxBodyBytes = maxBodyBytes
            return limits
        }
    }
}

extension Duration {
    /// Whole nanoseconds (negative durations become 0).
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    }
}
