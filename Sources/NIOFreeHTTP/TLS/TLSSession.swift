import COpenSSL
import Glibc

/// One TLS connection over a non-blocking socket (`SSL_set_fd`).
///
/// Not thread-safe: owned by one event-loop thread. The session never closes the fd; its
/// owner does, after dropping the session (`deinit` frees the `SSL`). The process must ignore
/// or block `SIGPIPE`: OpenSSL writes to the socket with plain `write(2)`.
///
/// Non-blocking use (docs/ARCHITECTURE.md "TLS"): on `.wantRead` wait for readable, on `.wantWrite` wait
/// for writable, then call the same operation again — for writes with the same bytes (the
/// buffer may have moved). Before waiting for readable, drain ``pendingBytes``: plaintext
/// OpenSSL already decrypted does not wake epoll.
public final class TLSSession {
    /// The outcome of one non-blocking TLS operation.
    public enum IOResult: Equatable, Sendable {
        /// Progress: bytes read or written (`0` for a finished handshake).
        case done(Int)
        /// Call again once the socket is readable.
        case wantRead
        /// Call again once the socket is writable.
        case wantWrite
        /// The peer closed: `close_notify`, or EOF without it (tolerated, see ``TLSContext``).
        case closed
        /// A fatal error (including a reset from the peer); the connection must be closed.
        /// The message is safe to log.
        case failed(String)
    }

    private let ssl: OpaquePointer
    /// Keeps the SSL_CTX (and its ALPN list) alive as long as this session.
    private let context: TLSContext
    /// After SSL_ERROR_SSL or SSL_ERROR_SYSCALL OpenSSL forbids further I/O, even SSL_shutdown.
    private var hasFailed = false
    /// The handshake's outcome for requests (`HTTPRequest.tls`), set by the server once it is done.
    var info: TLSInfo?

    init(ssl: OpaquePointer, context: TLSContext) {
        self.ssl = ssl
        self.context = context
    }

    deinit {
        SSL_free(ssl)
    }

    /// Advances the handshake. `.done(0)` once established (and on every later call).
    public func handshake() -> IOResult {
        if hasFailed { return .failed("TLS session already failed") }
        if SSL_is_init_finished(ssl) == 1 { return .done(0) }
        Self.clearErrors()
        let rc = SSL_do_handshake(ssl)
        if rc == 1 { return .done(0) }
        return classify(rc, operation: "handshake")
    }

    /// Reads decrypted bytes into `buffer`. `.closed` on `close_notify` or on plain EOF.
    /// `.wantRead` also follows records that carry no application data (e.g. TLS 1.3 tickets).
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        if hasFailed { return .failed("TLS session already failed") }
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .done(0) }
        Self.clearErrors()
        var count = 0
        let rc = SSL_read_ex(ssl, base, buffer.count, &count)
        if rc == 1 { return .done(count) }
        return classify(rc, operation: "read")
    }

    /// Encrypts and sends up to `bytes.count` bytes; `.done(n)` may be partial
    /// (`SSL_MODE_ENABLE_PARTIAL_WRITE`). After `.wantWrite`, retry with the same bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) -> IOResult {
        if hasFailed { return .failed("TLS session already failed") }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .done(0) }
        Self.clearErrors()
        var count = 0
        let rc = SSL_write_ex(ssl, base, bytes.count, &count)
        if rc == 1 { return .done(count) }
        return classify(rc, operation: "write")
    }

    /// Decrypted bytes buffered inside OpenSSL (`SSL_pending`); read them before waiting on epoll.
    public var pendingBytes: Int {
        Int(SSL_pending(ssl))
    }

    /// Sends `close_notify` once, without waiting for the peer's (RFC 8446 §6.1 allows a
    /// half-close). Best-effort: does nothing if the handshake never finished or the session failed.
    public func shutdown() {
        guard !hasFailed, SSL_is_init_finished(ssl) == 1 else { return }
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        // Whatever happened (WANT_WRITE, EPIPE), the owner closes the fd next.
        ERR_clear_error()
    }

    /// Whether the handshake has completed.
    public var isHandshakeComplete: Bool {
        SSL_is_init_finished(ssl) == 1
    }

    /// The ALPN protocol both sides agreed on, if any.
    public var negotiatedALPN: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// The negotiated protocol version, e.g. `"TLSv1.3"`.
    public var protocolVersion: String {
        String(cString: SSL_get_version(ssl))
    }

    /// The negotiated cipher suite (OpenSSL name), e.g. `"TLS_AES_256_GCM_SHA384"`; empty before the handshake.
    public var cipher: String {
        guard let current = SSL_get_current_cipher(ssl), let name = SSL_CIPHER_get_name(current) else { return "" }
        return String(cString: name)
    }

    /// `true` if `firstByte` can start a TLS connection: a handshake record (content type 22,
    /// RFC 8446 §5.1). Used to refuse plain HTTP sent to a TLS port.
    public static func looksLikeTLS(firstByte: UInt8) -> Bool {
        firstByte == 0x16
    }

    /// Whether the handshake resumed an earlier session (abbreviated handshake from a ticket).
    var isSessionReused: Bool {
        SSL_session_reused(ssl) == 1
    }

    /// Client, before the handshake: offer `earlier`'s session (ticket) for resumption.
    /// Test hook for now; a connection pool would keep the session per origin.
    func offerSession(from earlier: TLSSession) -> Bool {
        guard let session = SSL_get1_session(earlier.ssl) else { return false }
        defer { SSL_SESSION_free(session) }
        return SSL_set_session(ssl, session) == 1
    }

    /// Empties the thread's OpenSSL error queue and errno, so the result of the next SSL_* call
    /// (SSL_get_error, SSL_ERROR_SYSCALL's errno) describes that call only.
    private static func clearErrors() {
        ERR_clear_error()
        errno = 0
    }

    /// Maps a failed SSL_* return code to an ``IOResult``; must run right after the call.
    private func classify(_ rc: Int32, operation: String) -> IOResult {
        let savedErrno = errno
        switch SSL_get_error(ssl, rc) {
        case wg_SSL_ERROR_WANT_READ:
            return .wantRead
        case wg_SSL_ERROR_WANT_WRITE:
            return .wantWrite
        case wg_SSL_ERROR_ZERO_RETURN:
            // close_notify, or EOF under SSL_OP_IGNORE_UNEXPECTED_EOF.
            return .closed
        case wg_SSL_ERROR_SYSCALL:
            hasFailed = true
            let queued = TLSError.drainErrorQueue(prefix: "TLS \(operation)")
            if savedErrno != 0 {
                return .failed(queued + ": " + String(cString: strerror(savedErrno)))
            }
            return .failed(queued + ": unexpected EOF")
        case wg_SSL_ERROR_SSL:
            hasFailed = true
            var message = TLSError.drainErrorQueue(prefix: "TLS \(operation) failed")
            let verify = SSL_get_verify_result(ssl)
            if verify != X509_V_OK {
                message += " (certificate: " + String(cString: X509_verify_cert_error_string(verify)) + ")"
            }
            return .failed(message)
        case let other:
            hasFailed = true
            ERR_clear_error()
            return .failed("TLS \(operation): unexpected SSL_get_error \(other)")
        }
    }
}
