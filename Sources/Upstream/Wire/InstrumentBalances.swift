/// `{availableBalance, actualBalance}` in minor units.
public struct InstrumentBalances: Sendable, Equatable, Codable {
    public var availableBalance: Int64
    public var actualBalance: Int64

    public init(availableBalance: Int64, actualBalance: Int64) {
        self.availableBalance = availableBalance
        self.actualBalance = actualBalance
    }
}
