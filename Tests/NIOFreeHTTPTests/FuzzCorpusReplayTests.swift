import Foundation
import NIOFreeHTTP
import Testing

/// Replays the fuzz seed corpora through the request and response parsers, whole and split, with the fuzz
/// targets' limits.
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

    static let responseCorpusDirectory = corpusDirectory.deletingLastPathComponent().appendingPathComponent("http-response")

    static func corpusFiles(in directory: URL = corpusDirectory) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appendingPathComponent($0) }
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

    /// fuzz/HTTPResponseParserFuzz.swift: the first byte picks HEAD (bit 0) and end of input (bit 1); the
    /// response parser runs with a 512-byte head limit and a 1024-byte body limit, as `ResponseHarness` does.
    @Test func everyResponseCorpusInputParsesTheSameWholeAndSplit() throws {
        let files = Self.corpusFiles(in: Self.responseCorpusDirectory)
        #expect(files.count >= 30, "no corpus at \(Self.responseCorpusDirectory.path)")
        for file in files {
            let data = try [UInt8](Data(contentsOf: file))
            guard let options = data.first else { continue }
            let outcome = ResponseHarness.parseEverySplit(
                Array(data.dropFirst()), isHead: options & 1 != 0, endOfInput: options & 2 != 0
            )
            if let error = outcome.error {
                #expect([400, 413, 431].contains(error.status), "\(file.lastPathComponent): \(error)")
            }
            #expect(outcome.body.count <= 1024, "\(file.lastPathComponent)")
            if file.lastPathComponent.hasPrefix("bad-") || file.lastPathComponent.hasPrefix("too-large-") {
                #expect(outcome.error != nil, "\(file.lastPathComponent) was accepted")
            }
        }
    }
}
