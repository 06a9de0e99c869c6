// libFuzzer target for WeavrJSON (the Weavr response reader in Sources/Upstream/JSON), differential against
// Foundation's JSONDecoder. Each input is one document, read as a ManagedCard and as a page of them. Invariants: whatever JSONDecoder refuses, WeavrJSON refuses; whatever WeavrJSON
// accepts, JSONDecoder accepts with an equal value. (WeavrJSON may refuse more: trailing commas, repeated
// members, integers with a fraction or exponent, bad strings in skipped members — see WeavrJSONReader.)
// Built by fuzz/run.sh with Sources/Upstream/JSON/*.swift, Sources/Upstream/Wire/*.swift and FuzzCheck.swift.
import Foundation

func compare<T: WeavrJSONDecodable & Decodable & Equatable>(_ type: T.Type, _ document: [UInt8]) {
    let foundation = try? JSONDecoder().decode(T.self, from: Data(document))
    let scanned = try? WeavrJSON.decode(T.self, from: document)
    if foundation == nil { check(scanned == nil, "WeavrJSON accepted what JSONDecoder refuses") }
    if let scanned { check(foundation == scanned, "WeavrJSON and JSONDecoder read different values") }
}

extension WeavrPage: Equatable where Item: Equatable {
    public static func == (lhs: WeavrPage, rhs: WeavrPage) -> Bool {
        lhs.items == rhs.items && lhs.count == rhs.count && lhs.responseCount == rhs.responseCount
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let document = Array(UnsafeBufferPointer(start: data, count: size))
    compare(ManagedCard.self, document)
    compare(WeavrPage<ManagedCard>.self, document)
    return 0
}
