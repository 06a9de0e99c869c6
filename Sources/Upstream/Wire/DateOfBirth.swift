/// Weavr's `{year, month, day}`.
public struct DateOfBirth: Sendable, Equatable, Codable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }
}
