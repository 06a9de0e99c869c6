import Testing
@testable import Auth

struct SecretBoxTests {
    let box = SecretBox(masterKey: try! MasterKey.generate())

    @Test func roundTripsWithTheSameAAD() throws {
        let aad = SecretBox.context("weavr-api-key", "acme")
        let record = try box.seal(Array("hello".utf8), aad: aad)
        #expect(record.count == 5 + 12 + 5 + 16)
        #expect(record[0] == 1 && SecretBox.keyID(of: record) == 1)
        #expect(try box.open(record, aad: aad) == Array("hello".utf8))
    }

    @Test func everyFlippedByteOrOtherAADFailsToOpen() throws {
        let aad = SecretBox.context("weavr-api-key", "acme")
        let record = try box.seal(Array("secret api key".utf8), aad: aad)
        for index in record.indices {
            var tampered = record
            tampered[index] ^= 0x01
            #expect(throws: (any Error).self) { try box.open(tampered, aad: aad) }
        }
        #expect(throws: SecretBoxError.authenticationFailed) { try box.open(record, aad: SecretBox.context("weavr-api-key", "globex")) }
        #expect(throws: SecretBoxError.malformed) { try box.open(Array(record.prefix(20)), aad: aad) }
    }

    @Test func contextIsUnambiguous() {
        #expect(SecretBox.context("ab", "c") != SecretBox.context("a", "bc"))
    }

    @Test func recordsOfAnOldKeyIDStillOpenAfterRotation() throws {
        let old = SecretBytes(try SecureRandom.bytes(32))
        let new = SecretBytes(try SecureRandom.bytes(32))
        let before = SecretBox(keys: [1: old], currentKeyID: 1)
        let after = SecretBox(keys: [1: old, 2: new], currentKeyID: 2)
        let oldRecord = try before.seal([42], aad: [])
        #expect(try after.open(oldRecord, aad: []) == [42])
        let newRecord = try after.seal([43], aad: [])
        #expect(SecretBox.keyID(of: newRecord) == 2)
        #expect(throws: SecretBoxError.unknownKey(id: 2)) { try before.open(newRecord, aad: []) }
    }
}
