import Gateway
import Synchronization
import Testing

@Suite("GCRA rate limiter")
struct RateLimiterTests {
    final class FakeClock: Sendable {
        let now = Atomic<UInt64>(1_000_000_000_000)
        func advance(seconds: Double) { now.wrappingAdd(UInt64(seconds * 1e9), ordering: .relaxed) }
    }

    @Test func allowsTheBurstThenRefusesWithRetryAfter() {
        let clock = FakeClock()
        let limiter = RateLimiter(rate: 5, per: .seconds(60), burst: 5) { clock.now.load(ordering: .relaxed) }
        let decisions = (0..<6).map { _ in limiter.acquire("t|a@example.com") }
        #expect(decisions.prefix(5).allSatisfy { $0.allowed })
        #expect(decisions.prefix(5).map(\.remaining) == [4, 3, 2, 1, 0])
        #expect(!decisions[5].allowed)
        #expect(decisions[5].retryAfterSeconds == 12)  // one token per 12 s
        clock.advance(seconds: 12)
        #expect(limiter.acquire("t|a@example.com").allowed)
        #expect(!limiter.acquire("t|a@example.com").allowed)
    }

    @Test func keysAreIndependentAndResetForgets() {
        let clock = FakeClock()
        let limiter = RateLimiter(rate: 1, per: .seconds(10), burst: 1) { clock.now.load(ordering: .relaxed) }
        #expect(limiter.acquire("a").allowed)
        #expect(!limiter.acquire("a").allowed)
        #expect(limiter.acquire("b").allowed)
        limiter.reset("a")
        #expect(limiter.acquire("a").allowed)
    }

    @Test func trackedKeysAreBoundedAndTheMostThrottledAreKept() {
        let clock = FakeClock()
        let limiter = RateLimiter(rate: 1, per: .seconds(10), burst: 1, maxKeys: 4) { clock.now.load(ordering: .relaxed) }
        for key in ["a", "b", "c", "d"] {
            #expect(limiter.acquire(key).allowed)
            clock.advance(seconds: 1)
        }
        #expect(limiter.acquire("e").allowed)  // full, nobody refilled: the least throttled half is forgotten
        #expect(limiter.trackedKeys <= 4)
        #expect(!limiter.acquire("d").allowed)  // the most recently throttled are kept
        #expect(!limiter.acquire("c").allowed)
        #expect(limiter.acquire("a").allowed)   // forgotten: starts afresh
    }
}
