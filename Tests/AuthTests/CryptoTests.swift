import Testing
@testable import Auth

struct CryptoTests {
    @Test func hkdfMatchesRFC5869TestCase1() throws {
        let okm = try HKDF.deriveKey(
            inputKey: [UInt8](repeating: 0x0b, count: 22),
            salt: hex("000102030405060708090a0b0c"),
            info: hex("f0f1f2f3f4f5f6f7f8f9"),
            length: 42
        )
        #expect(okm == hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"))
    }

    @Test func hkdfMatchesRFC5869TestCase3WithoutSaltOrInfo() throws {
        let okm = try HKDF.deriveKey(inputKey: [UInt8](repeating: 0x0b, count: 22), info: [], length: 42)
        #expect(okm == hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"))
    }

    @Test func hmacMatchesRFC4231TestCase2() {
        let tag = HMACSHA256.authenticate(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(tag == hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
    }

    @Test func hmacMatchesRFC4231TestCase6WithKeyLongerThanBlock() {
        let tag = HMACSHA256.authenticate(
            key: [UInt8](repeating: 0xaa, count: 131),
            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        )
        #expect(tag == hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"))
    }

    /// RFC 4231 cases 2 (short key), 4 (25-byte key, 50-byte message), 6 (key longer than the block), 7 (long key
    /// and message), and an empty key and message, each through the prepared key and the one-shot HMAC(3).
    @Test func preparedKeyMatchesRFC4231AndTheOneShotHMAC() {
        let cases: [(key: [UInt8], message: [UInt8], tag: String)] = [
            (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            (hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), [UInt8](repeating: 0xcd, count: 50),
             "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
            ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
             "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            ([UInt8](repeating: 0xaa, count: 131),
             Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
             "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
        ]
        for (key, message, tag) in cases {
            let prepared = HMACSHA256.PreparedKey(key)
            #expect(message.withUnsafeBytes { prepared.authenticate($0) } == hex(tag))
        }
        // No RFC vector for these: the one-shot HMAC(3) is the reference. The same key twice gives the same tag.
        for (key, message) in [([UInt8](), [UInt8]()), ([UInt8](repeating: 7, count: 64), Array("x".utf8)), ([UInt8](repeating: 9, count: 65), [UInt8](repeating: 1, count: 1000))] {
            let prepared = HMACSHA256.PreparedKey(key)
            let once = message.withUnsafeBytes { prepared.authenticate($0) }
            #expect(once == HMACSHA256.authenticate(key: key, message: message))
            #expect(message.withUnsafeBytes { prepared.authenticate($0) } == once)
        }
    }

    @Test func constantTimeEqualsComparesContentAndLength() {
        #expect(HMACSHA256.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!HMACSHA256.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!HMACSHA256.constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(HMACSHA256.constantTimeEquals([], []))
    }

    @Test func secureRandomReturnsDistinctBytesOfTheRequestedLength() throws {
        let a = try SecureRandom.bytes(32)
        let b = try SecureRandom.bytes(32)
        #expect(a.count == 32 && a != b)
        #expect(try SecureRandom.hex(16).count == 32)
    }

    // McGrew & Viega, "The Galois/Counter Mode of Operation", test case 16 (AES-256,
    // 96-bit IV, with AAD), as used by NIST's GCM validation.
    static let gcmKey = SecretBytes(hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"))
    static let gcmNonce = hex("cafebabefacedbaddecaf888")
    static let gcmPlaintext = hex("""
        d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39
        """)
    static let gcmAAD = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
    static let gcmCiphertext = hex("""
        522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662
        """)
    static let gcmTag = hex("76fc6ece0f4e1768cddf8853bb2d551b")

    @Test func aesGCMMatchesTheGCMSpecTestCase16() throws {
        let box = try AESGCM.seal(plaintext: Self.gcmPlaintext, key: Self.gcmKey, nonce: Self.gcmNonce, aad: Self.gcmAAD)
        #expect(box.ciphertext == Self.gcmCiphertext)
        #expect(box.tag == Self.gcmTag)
        #expect(try AESGCM.open(box, key: Self.gcmKey, aad: Self.gcmAAD) == Self.gcmPlaintext)
    }

    @Test func aesGCMSealUsesAFreshRandomNonce() throws {
        let key = SecretBytes(try SecureRandom.bytes(32))
        let first = try AESGCM.seal(plaintext: [1, 2, 3], key: key)
        let second = try AESGCM.seal(plaintext: [1, 2, 3], key: key)
        #expect(first.nonce.count == 12 && first.tag.count == 16)
        #expect(first.nonce != second.nonce && first.ciphertext != second.ciphertext)
    }

    @Test func aesGCMOpenFailsWhenAnyByteOfNonceCiphertextTagOrAADIsFlipped() throws {
        let box = AESGCM.SealedBox(nonce: Self.gcmNonce, ciphertext: Self.gcmCiphertext, tag: Self.gcmTag)
        for index in box.nonce.indices {
            var tampered = box
            tampered.nonce[index] ^= 0x01
            #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(tampered, key: Self.gcmKey, aad: Self.gcmAAD) }
        }
        for index in box.ciphertext.indices {
            var tampered = box
            tampered.ciphertext[index] ^= 0x80
            #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(tampered, key: Self.gcmKey, aad: Self.gcmAAD) }
        }
        for index in box.tag.indices {
            var tampered = box
            tampered.tag[index] ^= 0x01
            #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(tampered, key: Self.gcmKey, aad: Self.gcmAAD) }
        }
        for index in Self.gcmAAD.indices {
            var aad = Self.gcmAAD
            aad[index] ^= 0x01
            #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, key: Self.gcmKey, aad: aad) }
        }
        var truncated = box
        truncated.tag.removeLast()
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(truncated, key: Self.gcmKey, aad: Self.gcmAAD) }
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, key: Self.gcmKey, aad: []) }
        let otherKey = SecretBytes(try SecureRandom.bytes(32))
        #expect(throws: CryptoError.authenticationFailed) { try AESGCM.open(box, key: otherKey, aad: Self.gcmAAD) }
    }

    @Test func aesGCMRejectsWrongKeyAndNonceLengths() {
        #expect(throws: CryptoError.invalidLength(what: "AES-256 key", expected: 32)) {
            try AESGCM.seal(plaintext: [], key: SecretBytes([1, 2, 3]))
        }
        #expect(throws: CryptoError.invalidLength(what: "GCM nonce", expected: 12)) {
            try AESGCM.seal(plaintext: [], key: Self.gcmKey, nonce: [0, 0, 0])
        }
    }

    @Test func base64URLIsCanonical() {
        #expect(Base64.urlEncode([0xfb, 0xff]) == "-_8")
        #expect(Base64.urlDecode(Array("-_8".utf8)) == [0xfb, 0xff])
        // Non-zero pad bits ("-_9" decodes to the same bytes in lax decoders).
        #expect(Base64.urlDecode(Array("-_9".utf8)) == nil)
        #expect(Base64.urlDecode(Array("-_8=".utf8)) == nil)
        #expect(Base64.urlDecode(Array("+/8".utf8)) == nil)
        #expect(Base64.urlDecode(Array("A".utf8)) == nil)
        #expect(Base64.decode("+/8=") == [0xfb, 0xff])
        #expect(Base64.encode([0xfb, 0xff]) == "+/8=")
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64.urlDecode(Array(Base64.urlEncode(bytes).utf8)) == bytes)
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
    }

    @Test func secretDescriptionsAreRedacted() throws {
        let secret = SecretBytes(Array("supersecret-value".utf8))
        #expect(!"\(secret)".contains("supersecret"))
        #expect(!String(reflecting: secret).contains("supersecret"))
    }
}
