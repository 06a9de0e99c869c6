import Audit
import Auth
import Foundation
import Gateway
import GatewayCore
import NIOFreeHTTP
import Synchronization
import Testing
import TestSupport

/// Signed checkpoints of the audit chain: cadence, file sink, OpenSSL's own verification, export proofs.
@Suite("Audit checkpoints")
struct AuditCheckpointTests {
    static func entry(_ index: Int) throws -> AuditEntry {
        AuditEntry(
            tenant: "acme", actor: "user-\(index)", action: .cardBlock, target: "card-\(index)", outcome: .success,
            httpStatus: 200, clientIP: "203.0.113.\(index % 200)", userAgent: "tests \"quoted\", with comma",
            details: try AuditDetails(["reason": "lost, \"stolen\" \u{e9}", "count": .integer(Int64(index))])
        )
    }

    static func settings(directory: String? = nil) -> GatewayServices.Settings {
        var settings = GatewayServices.Settings()
        settings.checkpoints.everyRows = 3
        settings.checkpoints.everySeconds = 60
        settings.checkpoints.origin = "gateway.example/audit"
        settings.checkpoints.directory = directory
        return settings
    }

    @Test func checkpointsFollowRowsAndSecondsOnAManualClockAndReachTheFileSink() async throws {
        let sink = try TemporaryDirectory()
        let clock = ManualWallClock()
        try await withGateway(clock: clock, settings: Self.settings(directory: sink.path)) { gateway in
            let checkpoints = gateway.services.checkpoints
            try await checkpoints.tick(force: true)
            let base = try await checkpoints.store.head().seq
            #expect(try await checkpoints.tick() == nil)
            try await gateway.services.audit.append([Self.entry(1), Self.entry(2)])
            #expect(try await checkpoints.tick() == nil, "2 rows and no time: not due")
            try await gateway.services.audit.append(Self.entry(3))
            let byRows = try #require(try await checkpoints.tick())
            #expect(byRows.treeSize == base + 3)
            #expect(byRows.rootHash == (try await checkpoints.store.head().hash))
            try await gateway.services.audit.append(Self.entry(4))
            clock.advance(by: 59_000)
            #expect(try await checkpoints.tick() == nil, "1 row, 59 s: not due")
            clock.advance(by: 1_000)
            let byTime = try #require(try await checkpoints.tick())
            #expect(byTime.treeSize == base + 4)
            clock.advance(by: 600_000)
            #expect(try await checkpoints.tick() == nil, "no new rows: no checkpoint")
            #expect(try await checkpoints.store.latest() == byTime)
            let listed = try await checkpoints.store.list(before: nil, limit: 10)
            #expect(listed.map(\.treeSize).prefix(2) == [base + 4, base + 3])
            let file = sink.path + "/" + String(format: "checkpoint-%020lld", base + 4)
            #expect(try String(contentsOfFile: file, encoding: .utf8) == byTime.note)
            #expect(byTime.note.hasPrefix("gateway.example/audit\n\(base + 4)\n"))
            #expect(byTime.note.contains("\n\n\u{2014} gateway.example/audit "))
        }
    }

    @Test func opensslVerifiesTheCheckpointSignature() async throws {
        let directory = try TemporaryDirectory()
        try await withGateway(settings: Self.settings()) { gateway in
            try await gateway.services.audit.append([Self.entry(1), Self.entry(2)])
            let checkpoint = try #require(try await gateway.services.checkpoints.tick(force: true))
            let signed = try AuditCheckpointNote.split(checkpoint.note)
            let signer = gateway.services.checkpoints.signer
            #expect(signed.signatures.count == 1 && signed.signatures[0].keyID == signer.keyID)
            let body = try directory.write("body", Array(signed.text.utf8), mode: 0o600)
            let tampered = try directory.write("tampered", Array(signed.text.replacingOccurrences(of: "\n\(checkpoint.treeSize)\n", with: "\n\(checkpoint.treeSize + 1)\n").utf8), mode: 0o600)
            let signature = try directory.write("signature", signed.signatures[0].signature, mode: 0o600)
            let key = try directory.write("key.pem", Array(signer.publicKeyPEM.utf8), mode: 0o600)
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else {
                Issue.record("openssl (the command line tool) is required for this test: apt-get install openssl")
                return
            }
            let good = try await ProcessRunner.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", key, "-rawin", "-in", body, "-sigfile", signature])
            #expect(good.status == 0, "\(good.output)")
            #expect(good.output.contains("Signature Verified Successfully"))
            let bad = try await ProcessRunner.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", key, "-rawin", "-in", tampered, "-sigfile", signature])
            #expect(bad.status != 0)
        }
    }

    @Test func anExportProvesItsCheckpointAndTamperingIsCaught() async throws {
        try await withGateway(settings: Self.settings()) { gateway in
            try await gateway.services.audit.append((1...5).map { try Self.entry($0) })
            let checkpoint = try #require(try await gateway.services.checkpoints.tick(force: true))
            try await gateway.services.audit.append([Self.entry(6)])
            var export: [UInt8] = []
            try await gateway.services.audit.export(format: .ndjson) { export += $0 }
            let signer = gateway.services.checkpoints.signer
            for key in [signer.verifierKey, signer.publicKeyPEM] {
                let report = try AuditExportVerification.verify(export: export, note: checkpoint.note, keyFile: key)
                #expect(report.checkpoint.treeSize == checkpoint.treeSize)
                #expect(report.rows == Int(checkpoint.treeSize - report.firstSeq + 1))
            }
            func refused(_ export: [UInt8], _ note: String, key: String? = nil) -> String? {
                do {
                    _ = try AuditExportVerification.verify(export: export, note: note, keyFile: key ?? signer.verifierKey)
                    return nil
                } catch {
                    return "\(error)"
                }
            }
            let text = String(decoding: export, as: UTF8.self)
            // A row's field changed: its hash no longer matches.
            let edited = Array(text.replacingOccurrences(of: "\"user-3\"", with: "\"user-9\"").utf8)
            #expect(refused(edited, checkpoint.note)?.contains("hash does not match") == true)
            // Details changed inside the nested object.
            let details = Array(text.replacingOccurrences(of: "\"count\":2", with: "\"count\":7").utf8)
            #expect(refused(details, checkpoint.note) != nil)
            // A row left out.
            var lines = text.split(separator: "\n").map(String.init)
            lines.remove(at: lines.count - 3)
            #expect(refused(Array((lines.joined(separator: "\n") + "\n").utf8), checkpoint.note)?.contains("missing") == true)
            // The export stops before the checkpoint's tree size.
            let short = text.split(separator: "\n").dropLast(2).joined(separator: "\n") + "\n"
            #expect(refused(Array(short.utf8), checkpoint.note)?.contains("ends before") == true)
            // The checkpoint's tree size or root changed: the signature fails.
            let moved = checkpoint.note.replacingOccurrences(of: "\n\(checkpoint.treeSize)\n", with: "\n\(checkpoint.treeSize - 1)\n")
            #expect(refused(export, moved)?.contains("signature does not verify") == true)
            // Another key.
            let other = try AuditCheckpointSigner(keyName: signer.keyName, seed: [UInt8](repeating: 9, count: 32))
            #expect(refused(export, checkpoint.note, key: other.verifierKey)?.contains("no signature by this key") == true)
            #expect(refused(export, try other.sign(AuditCheckpointNote(origin: signer.keyName, treeSize: checkpoint.treeSize, rootHash: [UInt8](repeating: 0, count: 32)))) != nil)
            // Not a checkpoint at all.
            #expect(refused(export, "hello\n") != nil)
        }
    }

    @Test func adminRoutesListSignAndPublishTheKey() async throws {
        let admin = try await AdminAPITests.Admin()
        #expect(try await admin.call("GET", "/admin/v1/audit/checkpoints").json["checkpoints"] as? [Any] != nil)
        try await admin.gateway.services.audit.append([Self.entry(1)])
        let signed = try await admin.call("POST", "/admin/v1/audit/checkpoints")
        #expect(signed.status == 201)
        let note = try #require(signed.json["note"] as? String)
        try await admin.gateway.services.audit.append([Self.entry(2)])
        #expect(try await admin.call("POST", "/admin/v1/audit/checkpoints").status == 201)
        let page = try await admin.call("GET", "/admin/v1/audit/checkpoints?limit=1")
        let first = try #require((page.json["checkpoints"] as? [[String: Any]])?.first)
        let cursor = try #require(page.json["nextCursor"] as? String)
        #expect(first["treeSize"] as? Int == Int(cursor))
        let next = try await admin.call("GET", "/admin/v1/audit/checkpoints?limit=1&cursor=\(cursor)")
        #expect((next.json["checkpoints"] as? [[String: Any]])?.first?["note"] as? String == note)
        #expect(try await admin.call("GET", "/admin/v1/audit/checkpoints?cursor=x").status == 422)
        let key = try await admin.call("GET", "/admin/v1/audit/checkpoint-key")
        let verifierKey = try #require(key.json["verifierKey"] as? String, "\(key.text)")
        let opened = try AuditCheckpointVerifier(keyFile: verifierKey).open(note)
        #expect(opened.origin == "weavr-gateway/audit")
        #expect(try AuditCheckpointVerifier(keyFile: try #require(key.json["publicKeyPEM"] as? String)).open(note) == opened)
        #expect(try await admin.call("GET", "/admin/v1/audit/checkpoint-key", token: "gwa_wrong").status == 401)
        await admin.shutdown()
    }

    @Test(.requiresGatewayBinary)
    func theCommandLineProvesAnExportAgainstACheckpointFile() async throws {
        let directory = try TemporaryDirectory()
        let sink = directory.path + "/sink"
        try await withGateway(settings: Self.settings(directory: sink)) { gateway in
            try await gateway.services.audit.append((1...4).map { try Self.entry($0) })
            let checkpoint = try #require(try await gateway.services.checkpoints.tick(force: true))
            try await gateway.services.audit.append(Self.entry(5))
            var export: [UInt8] = []
            try await gateway.services.audit.export(format: .ndjson) { export += $0 }
            let signer = gateway.services.checkpoints.signer
            let exportFile = try directory.write("export.ndjson", export, mode: 0o600)
            let noteFile = sink + "/" + String(format: "checkpoint-%020lld", checkpoint.treeSize)
            let vkey = try directory.write("key.vkey", Array((signer.verifierKey + "\n").utf8), mode: 0o600)
            let pem = try directory.write("key.pem", Array(signer.publicKeyPEM.utf8), mode: 0o600)
            let environment = ["PATH": "/usr/bin:/bin"]
            for key in [vkey, pem] {
                let ok = try await CommandLineTests.run(["audit", "verify", "--checkpoint", noteFile, "--public-key", key, "--export", exportFile], environment: environment)
                #expect(ok.status == 0, "\(ok.output)")
                #expect(ok.output.contains("OK checkpoint gateway.example/audit tree size \(checkpoint.treeSize)"))
            }
            let stdin = try await CommandLineTests.run(["audit", "verify", "--checkpoint", noteFile, "--public-key", vkey],
                                                       stdin: String(decoding: export, as: UTF8.self), environment: environment)
            #expect(stdin.status == 0, "the export on standard input: \(stdin.output)")
            let tampered = try directory.write("tampered.ndjson", Array(String(decoding: export, as: UTF8.self).replacingOccurrences(of: "card-2", with: "card-7").utf8), mode: 0o600)
            let bad = try await CommandLineTests.run(["audit", "verify", "--checkpoint", noteFile, "--public-key", vkey, "--export", tampered], environment: environment)
            #expect(bad.status == 1)
            #expect(bad.output.contains("BAD: checkpoint not verified: the export does not match at seq"))
        }
    }

    @Test func everyCheckpointIsPostedToTheWebhookSink() async throws {
        let received = Mutex<[(String, String?)]>([])
        let group = EventLoopGroup(threads: 1)
        var router = Router()
        router.add("POST", "/checkpoints") { request, _ in
            received.withLock { $0.append((String(decoding: request.body, as: UTF8.self), request.headers["weavr-gateway-checkpoint-tree-size"])) }
            return HTTPResponse(status: 204)
        }
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        let sink = try HTTPServer(configuration: configuration, group: group, responder: router)
        try sink.start()
        var settings = Self.settings()
        settings.checkpoints.webhookURL = "http://127.0.0.1:\(sink.localAddress!.port)/checkpoints"
        try await withGateway(settings: settings) { gateway in
            try await gateway.services.audit.append([Self.entry(1), Self.entry(2), Self.entry(3)])
            let checkpoint = try #require(try await gateway.services.checkpoints.tick())
            let posts = received.withLock { $0 }
            #expect(posts.count == 1)
            #expect(posts.first?.0 == checkpoint.note && posts.first?.1 == String(checkpoint.treeSize))
        }
        await sink.shutdown(gracePeriod: .seconds(1))
        group.shutdown()
    }
}
