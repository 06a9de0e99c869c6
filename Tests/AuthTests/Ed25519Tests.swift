import Auth
import Foundation
import GatewayCore
import Testing

/// Ed25519 through OpenSSL against RFC 8032 §7.1's test vectors.
@Suite("Ed25519")
struct Ed25519Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var seed: String
        var publicKey: String
        var message: String
        var signature: String
        var testDescription: String { "message of \(message.count / 2) bytes" }
    }

    static let vectors = [
        Vector(
            seed: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", message: "",
            signature: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        Vector(
            seed: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", message: "72",
            signature: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
    ]

    @Test(arguments: vectors) func signsAndVerifiesTheRFC8032Vector(_ vector: Vector) throws {
        let key = try Ed25519.PrivateKey(seed: Hex.decode(vector.seed)!)
        #expect(Hex.encode(key.publicKey) == vector.publicKey)
        let message = Hex.decode(vector.message)!
        let signature = try key.sign(message)
        #expect(Hex.encode(signature) == vector.signature)
        #expect(Ed25519.isValidSignature(signature, of: message, publicKey: key.publicKey))
        var tampered = signature
        tampered[10] ^= 0x01
        #expect(!Ed25519.isValidSignature(tampered, of: message, publicKey: key.publicKey))
        #expect(!Ed25519.isValidSignature(signature, of: message + [0], publicKey: key.publicKey))
    }

    @Test func publicKeyPEMRoundTripsAndRefusesOtherKeys() throws {
        let key = try Ed25519.PrivateKey(seed: [UInt8](repeating: 7, count: 32))
        let pem = Ed25519.pem(publicKey: key.publicKey)
        #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA"))
        #expect(Ed25519.publicKey(pem: pem) == key.publicKey)
        #expect(Ed25519.publicKey(pem: pem.replacingOccurrences(of: "MCowBQYDK2Vw", with: "MCowBQYDK2Vx")) == nil)
        #expect(throws: CryptoError.self) { try Ed25519.PrivateKey(seed: [1, 2, 3]) }
    }
}
