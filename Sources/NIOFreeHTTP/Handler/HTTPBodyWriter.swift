/// Writes the chunks of a streamed response body. Suspends while the connection's send buffer is full.
public struct HTTPBodyWriter: Sendable {
    let sink: any HTTPBodySink

    /// Sends `bytes` as one chunk. Throws `HTTPBodyWriterError.connectionClosed` once the peer is gone.
    public func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try await sink.writeChunk(bytes)
    }

    /// Sends the UTF-8 bytes of `text` as one chunk.
    public func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }
}

/// Why a streamed body could not be written.
public enum HTTPBodyWriterError: Error, Sendable {
    case connectionClosed
}

/// The connection side of `HTTPBodyWriter`.
package protocol HTTPBodySink: AnyObject, Sendable {
    func writeChunk(_ bytes: [UInt8]) async throws
}
