// TEMPORARY stub of the TLS API so the server compiles before the real TLS layer lands. Deleted on merge.
public struct TLSConfiguration: Sendable {
    public var certificateChainFile: String?
    public var privateKeyFile: String?
    public static func server(certificateChainFile: String, privateKeyFile: String) -> TLSConfiguration {
        TLSConfiguration(certificateChainFile: certificateChainFile, privateKeyFile: privateKeyFile)
    }
}
public struct TLSError: Error, Sendable, CustomStringConvertible { public var message: String; public var description: String { message } }
public final class TLSContext: @unchecked Sendable {
    public static func makeServer(_ configuration: TLSConfiguration) throws(TLSError) -> TLSContext { throw TLSError(message: "stub") }
    public func makeServerSession(fd: Int32) throws(TLSError) -> TLSSession { throw TLSError(message: "stub") }
}
public final class TLSSession {
    public enum IOResult: Equatable { case done(Int), wantRead, wantWrite, closed, failed(String) }
    public func handshake() -> IOResult { .failed("stub") }
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult { .failed("stub") }
    public func write(_ bytes: UnsafeRawBufferPointer) -> IOResult { .failed("stub") }
    public var pendingBytes: Int { 0 }
    public func shutdown() {}
    public var isHandshakeComplete: Bool { false }
    public var negotiatedALPN: String? { nil }
    public var protocolVersion: String { "" }
    public var cipher: String { "" }
    public static func looksLikeTLS(firstByte: UInt8) -> Bool { firstByte == 0x16 }
}
