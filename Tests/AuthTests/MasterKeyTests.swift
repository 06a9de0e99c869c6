import Foundation
import Testing
import TestSupport
@testable import Auth

struct MasterKeyTests {
    static let keyBytes = (0..<32).map { UInt8($0 * 7 % 256) }
    static let keyBase64 = Data(keyBytes).base64EncodedString()

    @Test func parsesBase64FromTheEnvironment() throws {
        let key = try MasterKey.fromEnvironment(["GATEWAY_MASTER_KEY": Self.keyBase64 + "\n"])
        let same = try MasterKey(bytes: Self.keyBytes)
        #expect(key.subkey(for: .encryption).constantTimeEquals(same.subkey(for: .encryption)))
    }

    @Test func refusesAMissingVariable() {
        #expect(throws: MasterKeyError.missing(source: "GATEWAY_MASTER_KEY")) { try MasterKey.fromEnvironment([:]) }
        #expect(throws: MasterKeyError.missing(source: "GATEWAY_MASTER_KEY")) { try MasterKey.fromEnvironment(["GATEWAY_MASTER_KEY": " "]) }
    }

    @Test func refusesBadBase64WithoutPrintingTheValue() {
        let value = "not*base64*at*all"
        do {
            _ = try MasterKey.fromEnvironment(["GATEWAY_MASTER_KEY": value])
            Issue.record("accepted bad base64")
        } catch let error as MasterKeyError {
            #expect(error == .invalidBase64(source: "GATEWAY_MASTER_KEY"))
            #expect(!"\(error)".contains(value))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [16, 31, 33, 64])
    func refusesKeysThatAreNot32Bytes(length: Int) {
        let value = Data(repeating: 0x41, count: length).base64EncodedString()
        #expect(throws: MasterKeyError.wrongLength(source: "GATEWAY_MASTER_KEY", actual: length)) {
            try MasterKey.fromEnvironment(["GATEWAY_MASTER_KEY": value])
        }
        let message = "\(MasterKeyError.wrongLength(source: "GATEWAY_MASTER_KEY", actual: length))"
        #expect(message.contains("expected exactly 32 bytes") && !message.contains(value))
    }

    @Test func loadsBase64AndRawKeyFilesWithMode0600() throws {
        let directory = try TemporaryDirectory()
        let base64File = try directory.write("b64.key", Array((Self.keyBase64 + "\n").utf8), mode: 0o600)
        let rawFile = try directory.write("raw.key", Self.keyBytes, mode: 0o400)
        let fromBase64 = try MasterKey.load(fileAt: base64File)
        let fromRaw = try MasterKey.load(fileAt: rawFile)
        #expect(fromBase64.subkey(for: .audit).constantTimeEquals(fromRaw.subkey(for: .audit)))
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o606])
    func refusesGroupOrWorldAccessibleKeyFiles(mode: Int) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("open.key", Array(Self.keyBase64.utf8), mode: mode)
        do {
            _ = try MasterKey.load(fileAt: path)
            Issue.record("accepted mode \(String(mode, radix: 8))")
        } catch let error as MasterKeyError {
            #expect(error == .fileTooPermissive(path: path, mode: UInt32(mode)))
            #expect("\(error)".contains("chmod 600"))
            #expect(!"\(error)".contains(Self.keyBase64))
        }
    }

    @Test func refusesMissingAndWrongLengthKeyFiles() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: MasterKeyError.self) { try MasterKey.load(fileAt: directory.file("absent.key")) }
        let short = try directory.write("short.key", Array(Data(repeating: 1, count: 16).base64EncodedString().utf8), mode: 0o600)
        #expect(throws: MasterKeyError.wrongLength(source: "key file \(short)", actual: 16)) { try MasterKey.load(fileAt: short) }
        let empty = try directory.write("empty.key", [], mode: 0o600)
        #expect(throws: MasterKeyError.missing(source: "key file \(empty)")) { try MasterKey.load(fileAt: empty) }
    }

    @Test func subkeysDifferPerPurposeAndAreDeterministic() throws {
        let key = try MasterKey(bytes: Self.keyBytes)
        let again = try MasterKey(bytes: Self.keyBytes)
        let subkeys = MasterKey.Purpose.allCases.map { key.subkey(for: $0).bytes }
        #expect(Set(subkeys).count == MasterKey.Purpose.allCases.count)
        #expect(subkeys.allSatisfy { $0.count == 32 && $0 != Self.keyBytes })
        // HKDF-SHA256(IKM, salt = "", info = "weavr-gateway/v1/encryption").
        let expected = try HKDF.deriveKey(inputKey: Self.keyBytes, info: Array("weavr-gateway/v1/encryption".utf8), length: 32)
        #expect(again.subkey(for: .encryption).bytes == expected)
        #expect(MasterKey.Purpose.tokenSigning.info == "weavr-gateway/v1/token-signing")
        #expect("\(key)" == "MasterKey(redacted)")
    }
}
