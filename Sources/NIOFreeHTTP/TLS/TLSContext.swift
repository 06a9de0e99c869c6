import COpenSSL
import Glibc

/// An immutable, shareable OpenSSL `SSL_CTX`, configured once and then used by every
/// event-loop thread to make ``TLSSession``s.
///
/// Both sides: TLS 1.2 minimum, TLS 1.3 maximum; `SSL_OP_NO_RENEGOTIATION`,
/// `SSL_OP_IGNORE_UNEXPECTED_EOF`, `SSL_OP_NO_COMPRESSION`; partial writes, moving write
/// buffers and released idle buffers. Server cipher preference stays off (all allowed suites
/// are strong, so the client may pick ChaCha20 where it lacks AES hardware — Mozilla
/// "intermediate"). The server issues stateless session tickets whose keys rotate every
/// ``TLSConfiguration/ticketKeyRotationInterval`` (``TLSTicketKeyRing``) and keeps no session cache. The server's ALPN
/// callback picks its first protocol the client also offers and fails the handshake with
/// `no_application_protocol` when there is none (RFC 7301 §3.2); a client that sends no
/// ALPN is served without it.
public final class TLSContext: @unchecked Sendable {
    // @unchecked: the SSL_CTX is fully configured in the initialiser and never changed
    // afterwards; OpenSSL allows SSL_new on a shared SSL_CTX from any thread.
    let handle: OpaquePointer
    let verifiesPeer: Bool
    /// Server ALPN list for `wg_alpn_select_cb`: 4-byte little-endian length + wire format.
    /// Sessions keep their context alive, so this outlives every SSL using it.
    private let alpnSelectList: UnsafeMutableRawBufferPointer?
    /// Server ticket keys, referenced unretained from the SSL_CTX's ex-data.
    private let ticketKeys: TLSTicketKeyRing?

    private init(
        handle: OpaquePointer, verifiesPeer: Bool, alpnSelectList: UnsafeMutableRawBufferPointer?,
        ticketKeys: TLSTicketKeyRing? = nil
    ) {
        self.handle = handle
        self.verifiesPeer = verifiesPeer
        self.alpnSelectList = alpnSelectList
        self.ticketKeys = ticketKeys
    }

    deinit {
        SSL_CTX_free(handle)
        alpnSelectList?.deallocate()
    }

    /// A server context presenting `configuration`'s certificate chain and key.
    /// Throws if either cannot be loaded or the key does not match the leaf certificate.
    public static func makeServer(_ configuration: TLSConfiguration) throws(TLSError) -> TLSContext {
        guard let chainFile = configuration.certificateChainFile,
              let keyFile = configuration.privateKeyFile
        else {
            throw TLSError(message: "server TLS needs certificateChainFile and privateKeyFile")
        }
        ERR_clear_error()
        guard let ctx = SSL_CTX_new(TLS_server_method()) else {
            throw TLSError.fromErrorQueue("SSL_CTX_new failed")
        }
        var alpnList: UnsafeMutableRawBufferPointer?
        let ticketKeys = TLSTicketKeyRing(rotationInterval: configuration.ticketKeyRotationInterval)
        do throws(TLSError) {
            try configureCommon(ctx, configuration)
            guard SSL_CTX_use_certificate_chain_file(ctx, chainFile) == 1 else {
                throw TLSError.fromErrorQueue("cannot load certificate chain from \(chainFile)")
            }
            guard SSL_CTX_use_PrivateKey_file(ctx, keyFile, SSL_FILETYPE_PEM) == 1 else {
                throw TLSError.fromErrorQueue("cannot load private key from \(keyFile)")
            }
            guard SSL_CTX_check_private_key(ctx) == 1 else {
                throw TLSError.fromErrorQueue("private key \(keyFile) does not match certificate \(chainFile)")
            }
            // Stateless tickets only: no session cache shared (and locked) across loop threads.
            _ = wg_SSL_CTX_set_session_cache_mode(ctx, wg_SSL_SESS_CACHE_OFF)
            guard configuration.ticketKeyRotationInterval >= .seconds(1),
                  let ticketKeys, ticketKeys.install(on: ctx)
            else {
                throw TLSError.fromErrorQueue("cannot set up session-ticket keys")
            }
            if !configuration.alpn.isEmpty {
                let wire = try alpnWireFormat(configuration.alpn)
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 + wire.count, alignment: 4)
                let length = UInt32(wire.count)
                for i in 0..<4 { buffer[i] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(i))) }
                for (i, byte) in wire.enumerated() { buffer[4 + i] = byte }
                alpnList = buffer
                wg_SSL_CTX_set_alpn_select(ctx, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        } catch {
            SSL_CTX_free(ctx)
            alpnList?.deallocate()
            throw error
        }
        return TLSContext(handle: ctx, verifiesPeer: false, alpnSelectList: alpnList, ticketKeys: ticketKeys)
    }

    /// A client context trusting `configuration.trustRoots`.
    public static func makeClient(_ configuration: TLSConfiguration) throws(TLSError) -> TLSContext {
        ERR_clear_error()
        guard let ctx = SSL_CTX_new(TLS_client_method()) else {
            throw TLSError.fromErrorQueue("SSL_CTX_new failed")
        }
        do throws(TLSError) {
            try configureCommon(ctx, configuration)
            if configuration.verifyPeer {
                SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
                switch configuration.trustRoots {
                case .system:
                    guard SSL_CTX_set_default_verify_paths(ctx) == 1 else {
                        throw TLSError.fromErrorQueue("cannot load the system trust store")
                    }
                case .file(let path):
                    guard SSL_CTX_load_verify_locations(ctx, path, nil) == 1 else {
                        throw TLSError.fromErrorQueue("cannot load trust roots from \(path)")
                    }
                }
            } else {
                SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
            }
            // The API offers no client-side resumption yet, so keep no client cache.
            _ = wg_SSL_CTX_set_session_cache_mode(ctx, wg_SSL_SESS_CACHE_OFF)
            if !configuration.alpn.isEmpty {
                let wire = try alpnWireFormat(configuration.alpn)
                // SSL_CTX_set_alpn_protos returns 0 on success (sic).
                guard SSL_CTX_set_alpn_protos(ctx, wire, UInt32(wire.count)) == 0 else {
                    throw TLSError.fromErrorQueue("cannot set ALPN protocols")
                }
            }
        } catch {
            SSL_CTX_free(ctx)
            throw error
        }
        return TLSContext(handle: ctx, verifiesPeer: configuration.verifyPeer, alpnSelectList: nil)
    }

    /// A server-side session on an already-accepted non-blocking socket.
    /// The session never closes `fd`; its owner does.
    public func makeServerSession(fd: Int32) throws(TLSError) -> TLSSession {
        let ssl = try newSSL(fd: fd)
        SSL_set_accept_state(ssl)
        return TLSSession(ssl: ssl, context: self)
    }

    /// A client session on a connected (or connecting) non-blocking socket.
    ///
    /// Sends SNI unless `serverName` is an IP literal (RFC 6066 §3 forbids literals there) and,
    /// when the context verifies peers, checks the certificate against the name
    /// (`X509_VERIFY_PARAM_set1_host`, RFC 6125) or the address (`X509_VERIFY_PARAM_set1_ip_asc`).
    /// `serverName` may be an IPv6 literal with or without brackets.
    public func makeClientSession(fd: Int32, serverName: String) throws(TLSError) -> TLSSession {
        let ssl = try newSSL(fd: fd)
        var name = serverName
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        do throws(TLSError) {
            guard !name.isEmpty else { throw TLSError(message: "empty server name") }
            if Self.isIPLiteral(name) {
                if verifiesPeer, X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name) != 1 {
                    throw TLSError.fromErrorQueue("cannot verify against address \(name)")
                }
            } else {
                guard wg_SSL_set_tlsext_host_name(ssl, name) == 1 else {
                    throw TLSError.fromErrorQueue("cannot set SNI \(name)")
                }
                if verifiesPeer {
                    let param = SSL_get0_param(ssl)
                    // RFC 6125 §6.4.3: a wildcard is the whole left-most label, never part of one.
                    X509_VERIFY_PARAM_set_hostflags(param, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
                    guard X509_VERIFY_PARAM_set1_host(param, name, 0) == 1 else {
                        throw TLSError.fromErrorQueue("cannot verify against host \(name)")
                    }
                }
            }
        } catch {
            SSL_free(ssl)
            throw error
        }
        SSL_set_connect_state(ssl)
        return TLSSession(ssl: ssl, context: self)
    }

    private func newSSL(fd: Int32) throws(TLSError) -> OpaquePointer {
        ERR_clear_error()
        guard let ssl = SSL_new(handle) else { throw TLSError.fromErrorQueue("SSL_new failed") }
        guard SSL_set_fd(ssl, fd) == 1 else {
            SSL_free(ssl)
            throw TLSError.fromErrorQueue("SSL_set_fd failed")
        }
        return ssl
    }

    private static func configureCommon(_ ctx: OpaquePointer, _ configuration: TLSConfiguration) throws(TLSError) {
        // docs/ARCHITECTURE.md "TLS": TLS 1.2 + 1.3 only.
        guard wg_SSL_CTX_set_min_proto_version(ctx, wg_TLS1_2_VERSION) == 1,
              wg_SSL_CTX_set_max_proto_version(
                  ctx, configuration.allowsTLS13 ? wg_TLS1_3_VERSION : wg_TLS1_2_VERSION) == 1
        else {
            throw TLSError.fromErrorQueue("cannot restrict protocol versions")
        }
        // No compression (CRIME), no renegotiation (RFC 8446 drops it; DoS vector in 1.2),
        // tolerate EOF without close_notify: HTTP/1.1 framing detects truncation (RFC 9112 §9.8).
        _ = SSL_CTX_set_options(
            ctx, wg_SSL_OP_NO_COMPRESSION | wg_SSL_OP_NO_RENEGOTIATION | wg_SSL_OP_IGNORE_UNEXPECTED_EOF)
        // Non-blocking writes: a write may return after part of the buffer, and the retry may
        // come from a moved buffer; idle connections give their record buffers back.
        _ = wg_SSL_CTX_set_mode(
            ctx, wg_SSL_MODE_ENABLE_PARTIAL_WRITE | wg_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | wg_SSL_MODE_RELEASE_BUFFERS)
        guard SSL_CTX_set_cipher_list(ctx, configuration.cipherList) == 1 else {
            throw TLSError.fromErrorQueue("invalid TLS 1.2 cipher list")
        }
        guard SSL_CTX_set_ciphersuites(ctx, configuration.cipherSuites) == 1 else {
            throw TLSError.fromErrorQueue("invalid TLS 1.3 cipher suites")
        }
        guard wg_SSL_CTX_set1_groups_list(ctx, configuration.groups) == 1 else {
            throw TLSError.fromErrorQueue("invalid groups list")
        }
    }

    /// RFC 7301 §3.1: a list of non-empty protocol names of at most 255 bytes, each length-prefixed.
    private static func alpnWireFormat(_ protocols: [String]) throws(TLSError) -> [UInt8] {
        var wire: [UInt8] = []
        for name in protocols {
            let bytes = Array(name.utf8)
            guard (1...255).contains(bytes.count) else {
                throw TLSError(message: "invalid ALPN protocol name of \(bytes.count) bytes")
            }
            wire.append(UInt8(bytes.count))
            wire.append(contentsOf: bytes)
        }
        return wire
    }

    private static func isIPLiteral(_ name: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, name, &v4) == 1 || inet_pton(AF_INET6, name, &v6) == 1
    }
}
