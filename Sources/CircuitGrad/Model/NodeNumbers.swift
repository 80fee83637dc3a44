/// The number literal of each function node (`scale`, `offset`, `powc` and `const` take one;
/// every other node reads as 0), kept sparsely: most nodes take none, so only the numbers of
/// the nodes that do are stored, in node order, with one bit a node saying which do.
///
/// Element `n` is found from the bit's rank: the numbers stored before node `n`'s 64-node
/// word, kept per word, plus the set bits below it in the word. Ten million nodes of which a
/// quarter take a number cost about 20 MB instead of 80 MB.
package struct NodeNumbers: RandomAccessCollection, Equatable, Sendable {
    /// The numbers of the nodes that take one, in node order.
    let stored: [Double]
    /// Bit `n % 64` of word `n / 64` is set when node `n` takes a number.
    private let takesNumber: [UInt64]
    /// For each word of ``takesNumber``, the numbers stored for the nodes before it.
    private let storedBefore: [Int32]
    /// The number of nodes.
    private let nodeCount: Int

    /// The numbers of `nodeCount` nodes: node `n` takes one when bit `n % 64` of word `n / 64`
    /// of `takesNumber` is set, and `stored` holds them in node order (as many as bits set).
    init(nodeCount: Int, takesNumber: [UInt64], stored: [Double]) {
        precondition(takesNumber.count == (nodeCount + 63) / 64)
        var before = 0
        storedBefore = takesNumber.map { word in
            defer { before += word.nonzeroBitCount }
            return Int32(before)
        }
        precondition(before == stored.count)
        self.nodeCount = nodeCount
        self.takesNumber = takesNumber
        self.stored = stored
    }

    /// The numbers of nodes with ops `ops`, given one a node in `numbers` (those of ops that take none are dropped).
    init(ops: [Op], numbers: [Double]) {
        // Which ops take a number, by op code: one table read a node (asking each op's rule is a
        // dynamic call, ten million times for a large text file).
        var takes = [Bool](repeating: false, count: 256)
        for op in Op.allCases { takes[Int(op.rawValue)] = op.takesConstant }
        var words = [UInt64](repeating: 0, count: (ops.count + 63) / 64)
        var stored = [Double]()
        for n in ops.indices where takes[Int(ops[n].rawValue)] {
            words[n / 64] |= 1 << UInt64(n % 64)
            stored.append(numbers[n])
        }
        self.init(nodeCount: ops.count, takesNumber: words, stored: stored)
    }

    /// Node 0.
    package var startIndex: Int { 0 }

    /// The number of nodes.
    package var endIndex: Int { nodeCount }

    /// The number of node `n`; 0 when its op takes none.
    package subscript(n: Int) -> Double {
        precondition(n >= 0 && n < nodeCount, "node index out of range")
        let word = takesNumber[n / 64], bit = UInt64(1) << UInt64(n % 64)
        guard word & bit != 0 else { return 0 }
        return stored[Int(storedBefore[n / 64]) + (word & (bit &- 1)).nonzeroBitCount]
    }
}
