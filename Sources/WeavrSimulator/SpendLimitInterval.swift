/// Weavr's `SpendLimitInterval`: the window a `spendLimit` counts spending over. Windows follow the UTC
/// calendar, as the spec's description lays them out.
enum SpendLimitInterval: String, CaseIterable, Sendable {
    case daily = "DAILY"
    case weekly = "WEEKLY"
    case monthly = "MONTHLY"
    case quarterly = "QUARTERLY"
    case yearly = "YEARLY"
    case always = "ALWAYS"

    static let dayMilliseconds: Int64 = 86_400_000

    /// Epoch ms at which the window holding `now` began: 00:00 UTC of the day; Monday 00:00 UTC of the week;
    /// the 1st of the month; 1 January, 1 April, 1 July or 1 October; 1 January. ALWAYS ("the whole lifetime")
    /// counts from `since`, when the limit was set.
    func windowStart(now: Int64, since: Int64) -> Int64 {
        let days = SpendLimitInterval.floorDiv(now, SpendLimitInterval.dayMilliseconds)
        let (month, year) = SimulatorState.monthAndYear(epochMilliseconds: now)
        let startDay: Int64
        switch self {
        case .daily: startDay = days
        // 1970-01-01 was a Thursday: (days + 3) mod 7 is 0 on Mondays.
        case .weekly: startDay = days - SpendLimitInterval.floorMod(days + 3, 7)
        case .monthly: startDay = SpendLimitInterval.daysFromCivil(year: year, month: month, day: 1)
        case .quarterly: startDay = SpendLimitInterval.daysFromCivil(year: year, month: (month - 1) / 3 * 3 + 1, day: 1)
        case .yearly: startDay = SpendLimitInterval.daysFromCivil(year: year, month: 1, day: 1)
        case .always: return since
        }
        return startDay * SpendLimitInterval.dayMilliseconds
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return Int64(era * 146_097 + dayOfEra - 719_468)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
        a - floorDiv(a, b) * b
    }
}
