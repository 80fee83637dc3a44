/// One node of ``PairwiseSum``'s fixed tree over `leafCount` leaves (samples).
///
/// The node at `level` k and `index` i is the sum of leaves `i·2^k ..< min((i+1)·2^k, leafCount)`
/// in the tree's own order: at level k, element i is element 2i plus element 2i+1 of level
/// k−1, or element 2i alone when 2i+1 does not exist. So the sum of any node can be computed
/// on its own (``PairwiseSum`` over just its leaves gives the same bits), and nodes covering
/// all leaves can be put back together into the root without changing one addition.
/// That is what lets sample ranges be evaluated apart (by other processes, on other machines)
/// and still give the bits of one evaluation of the whole batch.
package struct PairwiseTreeNode: Hashable, Sendable {
    /// Height above the leaves (0: one leaf).
    package let level: Int
    /// Position among the nodes of its level.
    package let index: Int

    /// The node at `level`, `index`.
    package init(level: Int, index: Int) {
        self.level = level
        self.index = index
    }

    /// The leaves the node covers in a tree of `leafCount` leaves.
    package func leaves(of leafCount: Int) -> Range<Int> {
        let first = index << level
        return first..<min(first + (1 << level), leafCount)
    }

    /// The level of the root of a tree of `leafCount` leaves (0 for one leaf or none).
    package static func rootLevel(leafCount: Int) -> Int {
        var k = 0
        while (1 << k) < leafCount { k += 1 }
        return k
    }

    /// The fewest whole nodes that cover the contiguous `leaves` of a tree of `leafCount`
    /// leaves, left to right (empty for an empty range). Taking at each step the highest node
    /// that starts there and ends inside the range gives at most about 2·log2(count) nodes.
    package static func cover(_ leaves: Range<Int>, leafCount: Int) -> [PairwiseTreeNode] {
        precondition(leaves.lowerBound >= 0 && leaves.upperBound <= leafCount, "leaves outside the tree")
        let top = rootLevel(leafCount: leafCount)
        var nodes: [PairwiseTreeNode] = []
        var p = leaves.lowerBound
        while p < leaves.upperBound {
            var k = 0
            while k < top && p % (1 << (k + 1)) == 0 && min(p + (1 << (k + 1)), leafCount) <= leaves.upperBound {
                k += 1
            }
            nodes.append(PairwiseTreeNode(level: k, index: p >> k))
            p = min(p + (1 << k), leafCount)
        }
        return nodes
    }
}

extension PairwiseSum {
    /// The root of the tree over `leafCount` leaves from sums of nodes that together cover
    /// every leaf exactly once (as ``PairwiseTreeNode/cover(_:leafCount:)`` gives them), each
    /// a row of `width` numbers: element by element, the same additions in the same order as
    /// ``sumInPlace(_:count:)`` over all leaves. A tree without leaves sums to zeros.
    package static func combine(_ sums: [PairwiseTreeNode: [Double]], leafCount: Int, width: Int) -> [Double] {
        if leafCount == 0 { return [Double](repeating: 0, count: width) }
        func value(_ node: PairwiseTreeNode) -> [Double] {
            if let s = sums[node] {
                precondition(s.count == width, "a node sum has the wrong width")
                return s
            }
            precondition(node.level > 0, "leaf \(node.index) is covered by no node sum")
            let left = value(PairwiseTreeNode(level: node.level - 1, index: 2 * node.index))
            let right = PairwiseTreeNode(level: node.level - 1, index: 2 * node.index + 1)
            guard right.index << right.level < leafCount else { return left }
            let r = value(right)
            return (0..<width).map { left[$0] + r[$0] }
        }
        return value(PairwiseTreeNode(level: PairwiseTreeNode.rootLevel(leafCount: leafCount), index: 0))
    }
}
