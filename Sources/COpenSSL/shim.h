#ifndef WG_COPENSSL_SHIM_H
#define WG_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/hmac.h>
#include <openssl/x509v3.h>
#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <string.h>

/*
 * TLS wrappers for NIOFreeHTTP (Sources/NIOFreeHTTP/TLS).
 * Everything here is a macro (or a macro-built constant) in OpenSSL 3.0 headers,
 * which the Swift importer cannot see; see docs/ARCHITECTURE.md "TLS".
 */

/* SSL_OP_* are built with SSL_OP_BIT(n), a cast the importer drops. */
static const uint64_t wg_SSL_OP_NO_COMPRESSION = SSL_OP_NO_COMPRESSION;
static const uint64_t wg_SSL_OP_NO_RENEGOTIATION = SSL_OP_NO_RENEGOTIATION;
static const uint64_t wg_SSL_OP_IGNORE_UNEXPECTED_EOF = SSL_OP_IGNORE_UNEXPECTED_EOF;
static const uint64_t wg_SSL_OP_NO_TICKET = SSL_OP_NO_TICKET;

static const long wg_SSL_MODE_ENABLE_PARTIAL_WRITE = SSL_MODE_ENABLE_PARTIAL_WRITE;
static const long wg_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER = SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;
static const long wg_SSL_MODE_RELEASE_BUFFERS = SSL_MODE_RELEASE_BUFFERS;

static const long wg_SSL_SESS_CACHE_OFF = SSL_SESS_CACHE_OFF;
static const long wg_SSL_SESS_CACHE_SERVER = SSL_SESS_CACHE_SERVER;
static const long wg_SSL_SESS_CACHE_NO_INTERNAL = SSL_SESS_CACHE_NO_INTERNAL;

static const int wg_TLS1_2_VERSION = TLS1_2_VERSION;
static const int wg_TLS1_3_VERSION = TLS1_3_VERSION;

/* SSL_get_error results (plain ints, repeated here so callers use one vocabulary). */
static const int wg_SSL_ERROR_NONE = SSL_ERROR_NONE;
static const int wg_SSL_ERROR_SSL = SSL_ERROR_SSL;
static const int wg_SSL_ERROR_WANT_READ = SSL_ERROR_WANT_READ;
static const int wg_SSL_ERROR_WANT_WRITE = SSL_ERROR_WANT_WRITE;
static const int wg_SSL_ERROR_SYSCALL = SSL_ERROR_SYSCALL;
static const int wg_SSL_ERROR_ZERO_RETURN = SSL_ERROR_ZERO_RETURN;

static inline int wg_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

static inline int wg_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

static inline long wg_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

static inline long wg_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_session_cache_mode(ctx, mode);
}

static inline int wg_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *list) {
    return (int)SSL_CTX_set1_groups_list(ctx, list);
}

static inline int wg_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

/*
 * Server ALPN selection. `arg` is the server's protocol list in wire format
 * (length-prefixed), owned by the Swift TLSContext for the SSL_CTX's lifetime.
 * RFC 7301 §3.2: no protocol in common → fatal no_application_protocol alert.
 */
static int wg_alpn_select_cb(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                             const unsigned char *in, unsigned int inlen, void *arg) {
    (void)ssl;
    const unsigned char *server = (const unsigned char *)arg;
    /* arg layout: 4-byte little-endian length, then the wire-format list. */
    unsigned int serverlen = (unsigned int)server[0] | ((unsigned int)server[1] << 8)
              | ((unsigned int)server[2] << 16) | ((unsigned int)server[3] << 24);
    unsigned char *selected = NULL;
    if (SSL_select_next_proto(&selected, outlen, server + 4, serverlen, in, inlen)
        != OPENSSL_NPN_NEGOTIATED) {
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

/* `lengthPrefixedList`: see wg_alpn_select_cb; must outlive the SSL_CTX. */
static inline void wg_SSL_CTX_set_alpn_select(SSL_CTX *ctx, const unsigned char *lengthPrefixedList) {
    SSL_CTX_set_alpn_select_cb(ctx, wg_alpn_select_cb, (void *)lengthPrefixedList);
}

/* SSL_CTX_get_ex_new_index is a macro over CRYPTO_get_ex_new_index. */
static inline int wg_SSL_CTX_get_ex_new_index(void) {
    return SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

/*
 * Session-ticket protection for SSL_CTX_set_tlsext_ticket_key_evp_cb, the construction
 * OpenSSL uses for its own ticket keys (RFC 5077 §4): AES-256-CBC + HMAC-SHA256.
 * aesKey and hmacKey are 32 bytes; iv is 16 bytes. Returns 1 on success.
 */
static inline int wg_ticket_crypto_init(EVP_CIPHER_CTX *cipher, EVP_MAC_CTX *mac,
                                        const unsigned char *aesKey, const unsigned char *hmacKey,
                                        const unsigned char *iv, int enc) {
    OSSL_PARAM params[3];
    params[0] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, (void *)hmacKey, 32);
    params[1] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
    params[2] = OSSL_PARAM_construct_end();
    if (EVP_CipherInit_ex(cipher, EVP_aes_256_cbc(), NULL, aesKey, iv, enc) != 1) return 0;
    if (EVP_MAC_CTX_set_params(mac, params) != 1) return 0;
    return 1;
}

/*
 * Auth (Sources/Auth/Crypto): libcrypto pieces whose Swift import is unusable.
 */
#include <openssl/kdf.h>

/* EVP_CTRL_GCM_* are macros aliasing other macros. */
static const int wg_EVP_CTRL_GCM_SET_IVLEN = EVP_CTRL_GCM_SET_IVLEN;
static const int wg_EVP_CTRL_GCM_GET_TAG = EVP_CTRL_GCM_GET_TAG;
static const int wg_EVP_CTRL_GCM_SET_TAG = EVP_CTRL_GCM_SET_TAG;

/*
 * RFC 5869 HKDF (extract-then-expand) with SHA-256 through EVP_KDF "HKDF".
 * The OSSL_PARAM names are string macros and the array is built on the C stack.
 * `salt` may be NULL with saltLength 0 (RFC 5869 §2.2: a string of HashLen zeros).
 * Returns 1 on success.
 */
static inline int wg_hkdf_sha256(const unsigned char *key, size_t keyLength,
                                 const unsigned char *salt, size_t saltLength,
                                 const unsigned char *info, size_t infoLength,
                                 unsigned char *out, size_t outLength) {
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    if (kdf == NULL) return 0;
    EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    if (ctx == NULL) return 0;
    static const unsigned char empty[1] = {0};
    OSSL_PARAM params[5];
    int n = 0;
    params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)key, keyLength);
    if (saltLength > 0) {
        params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, saltLength);
    }
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
                                                    infoLength > 0 ? (void *)info : (void *)empty, infoLength);
    params[n] = OSSL_PARAM_construct_end();
    int ok = EVP_KDF_derive(ctx, out, outLength, params);
    EVP_KDF_CTX_free(ctx);
    return ok == 1 ? 1 : 0;
}

/* Ed25519 (RFC 8032) for the audit checkpoints' signatures: EVP_PKEY_ED25519 is a macro of a macro. */
static const int wg_EVP_PKEY_ED25519 = EVP_PKEY_ED25519;


/*
 * HMAC-SHA256 with the key's inner and outer hash states computed once (RFC 2104 §4: "the intermediate
 * results of the compression function on the B-byte blocks (K XOR ipad) and (K XOR opad) can be precomputed
 * only once"). A session token is verified on every request; the one-shot HMAC(3) fetches the digest and
 * sets up the key each time, several times the cost of hashing the token itself. The low-level SHA256_*
 * calls are deprecated in OpenSSL 3.0 but kept (and are what EVP runs underneath); a state struct is
 * copied per use, so one key serves every thread.
 */
typedef struct {
    SHA256_CTX inner;
    SHA256_CTX outer;
} wg_hmac_sha256_key;

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
static inline void wg_hmac_sha256_key_init(wg_hmac_sha256_key *k, const uint8_t *key, size_t keyLength) {
    uint8_t block[64];
    uint8_t hashed[32];
    memset(block, 0, sizeof block);
    if (keyLength > 64) {
        SHA256(key, keyLength, hashed);
        memcpy(block, hashed, 32);
    } else if (keyLength > 0) {
        memcpy(block, key, keyLength);
    }
    uint8_t pad[64];
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
    SHA256_Init(&k->inner);
    SHA256_Update(&k->inner, pad, 64);
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&k->outer);
    SHA256_Update(&k->outer, pad, 64);
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(pad, sizeof pad);
    OPENSSL_cleanse(hashed, sizeof hashed);
}

static inline void wg_hmac_sha256(const wg_hmac_sha256_key *k, const uint8_t *message, size_t length, uint8_t *tag) {
    SHA256_CTX c = k->inner;
    uint8_t innerHash[32];
    SHA256_Update(&c, message, length);
    SHA256_Final(innerHash, &c);
    c = k->outer;
    SHA256_Update(&c, innerHash, 32);
    SHA256_Final(tag, &c);
    OPENSSL_cleanse(&c, sizeof c);
    OPENSSL_cleanse(innerHash, sizeof innerHash);
}
#pragma clang diagnostic pop

#endif
