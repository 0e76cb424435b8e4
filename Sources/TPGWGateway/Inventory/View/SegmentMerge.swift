import TPGWCore

/// Walks several segments' sort orders as one: a binary heap of each segment's next package, ordered by
/// (sort key, package key), ascending or descending. A page of `n` items out of `k` segments costs
/// O((n + k) log k), whatever the number of packages.
struct SegmentMerge {
    private struct Cursor {
        var segment: Int
        var keys: [Double]
        var order: [Int]
        var packages: [PackageState]
        /// Position in traversal order (ascending, or reversed when descending).
        var position: Int

        func index(descending: Bool) -> Int { descending ? order[order.count - 1 - position] : order[position] }
    }

    private let descending: Bool
    private var heap: [Cursor] = []

    init(descending: Bool) {
        self.descending = descending
    }

    /// Adds a segment's order, starting at traversal position `start`.
    mutating func add(segment: Int, keys: [Double], order: [Int], start: Int, packages: [PackageState]) {
        guard start < order.count else { return }
        heap.append(Cursor(segment: segment, keys: keys, order: order, packages: packages, position: start))
        siftUp(heap.count - 1)
    }

    /// The next (segment, package index) in traversal order, or nil when every segment is done.
    mutating func next() -> (Int, Int)? {
        guard !heap.isEmpty else { return nil }
        let top = heap[0]
        let result = (top.segment, top.index(descending: descending))
        heap[0].position += 1
        if heap[0].position == heap[0].order.count {
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                siftDown(0)
            }
        } else {
            siftDown(0)
        }
        return result
    }

    private func precedes(_ a: Cursor, _ b: Cursor) -> Bool {
        let i = a.index(descending: descending), j = b.index(descending: descending)
        let ka = a.keys[i], kb = b.keys[j]
        if ka != kb { return descending ? ka > kb : ka < kb }
        let pa = a.packages[i].key, pb = b.packages[j].key
        return descending ? pb < pa : pa < pb
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < heap.count, precedes(heap[left], heap[first]) { first = left }
            if right < heap.count, precedes(heap[right], heap[first]) { first = right }
            if first == parent { return }
            heap.swapAt(parent, first)
            parent = first
        }
    }
}
