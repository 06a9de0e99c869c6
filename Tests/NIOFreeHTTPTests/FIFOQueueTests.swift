import GatewayCore
import Testing

/// The queue under the request workers and the storage's reader pool.
@Suite struct FIFOQueueTests {
    @Test func elementsLeaveInTheOrderTheyCame() {
        var queue = FIFOQueue<Int>()
        #expect(queue.isEmpty)
        #expect(queue.first == nil)
        #expect(queue.popFirst() == nil)
        for i in 1...5 { queue.append(i) }
        #expect(queue.count == 5)
        #expect(queue.first == 1)
        #expect(queue.popFirst() == 1)
        #expect(queue.popFirst() == 2)
        queue.append(6)
        var rest: [Int] = []
        while let next = queue.popFirst() { rest.append(next) }
        #expect(rest == [3, 4, 5, 6])
        #expect(queue.isEmpty)
    }

    @Test func compactionKeepsTheWaitingElementsInOrder() {
        var queue = FIFOQueue<Int>(compactAfter: 4)
        var next = 0
        var expected = 0
        // Always some waiting, so the queue never empties: only compaction bounds the storage.
        for _ in 0..<1_000 {
            queue.append(next)
            queue.append(next + 1)
            next += 2
            #expect(queue.popFirst() == expected)
            expected += 1
        }
        #expect(queue.count == 1_000)
        while let element = queue.popFirst() {
            #expect(element == expected)
            expected += 1
        }
        #expect(expected == 2_000)
    }

    @Test func removeAllReturnsWhatWaitedAndEmptiesTheQueue() {
        var queue = FIFOQueue<String>()
        for s in ["a", "b", "c"] { queue.append(s) }
        _ = queue.popFirst()
        #expect(queue.removeAll() == ["b", "c"])
        #expect(queue.isEmpty)
        queue.append("d")
        #expect(queue.popFirst() == "d")
    }
}
