import Foundation
import GatewayCore

extension ManualWallClock {
    /// A manual clock near the real time, but never in the last six hours of a UTC day.
    ///
    /// Daily quotas count per UTC day. A test that starts at the real time and advances the clock by minutes
    /// would cross into a fresh day's quota when it runs just before midnight (CI did, at 23:58). Moving back
    /// six hours at most keeps the clock close to the real time (for anything compared with it) and on one day.
    static func sameDayForHours() -> ManualWallClock {
        let day: Int64 = 86_400_000, margin: Int64 = 6 * 3_600_000
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let intoDay = now % day
        return ManualWallClock(now: intoDay > day - margin ? now - margin : now)
    }
}
