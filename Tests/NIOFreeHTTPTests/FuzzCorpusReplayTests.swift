import Foundation
import NIOFreeHTTP
import Testing

/// Replays the fuzz seed corpus through the parser, whole and split, with the fuzz target's limits.
struct FuzzCorpusReplayTests {
    static let corpusDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("../../fuzz/corpus/http-parser")
        .standardizedFileURL

    /// The limits fuzz/HTTPParserFuzz.swift uses.
    static let limits = HTTPParserLimits(
        maxRequestLineBytes: 256,
        maxHeaderBytes: 512,
        maxHeaderCount: 16,
        maxBodyBytes: 1024,
        maxChunkExtensionBytes: 16,
        maxTrailerBytes: 128
    )

    static func corpusFiles() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpusDirectory.path)) ?? []
        return names.sorted().map { corpusDirectory.appendingPathComponent($0) }
    }

    @Test func corpusIsNotEmpty() {
        #expect(Self.corpusFiles().count >= 40, "no corpus at \(Self.corpusDirectory.path)")
    }

    @Test func everyCorpusInputParsesTheSameWholeAndSplit() throws {
        let allowed: Set<Int> = [400, 413, 414, 417, 431, 501, 505]
        let files = Self.corpusFiles()
        try #require(!files.isEmpty)
        for file in files {
            let input = try [UInt8](Data(contentsOf: file))
            let outcome = ParserHarness.parseEverySplit(input, limits: Self.limits)
            if let error = outcome.error {
                #expect(allowed.contains(error.status), "\(file.lastPathComponent): \(error)")
            }
            for body in outcome.bodies {
                #expect(body.count <= Self.limits.maxBodyBytes, "\(file.lastPathComponent)")
            }
            for head in outcome.heads {
                #expect(!(head.isChunked && head.contentLength != nil), "\(file.lastPathComponent)")
            }
        }
    }

    @Test func smugglingSeedsAreAllRejected() throws {
        let smuggling = Self.corpusFiles().filter { $0.lastPathComponent.hasPrefix("smuggle-") }
        #expect(smuggling.count >= 15)
        for file in smuggling {
            let outcome = ParserHarness.parse(try [UInt8](Data(contentsOf: file)), limits: Self.limits)
            #expect(outcome.error != nil, "\(file.lastPathComponent) was accepted")
        }
    }
}
