/// A 2-D wavefront: cell (i, j) of a `rows` × `columns` grid reads the cell above,
/// (i−1, j), and the cell to its left, (i, j−1): `sI_J = add UP LEFT`, `cI_J = OP sI_J`
/// with OP drawn from `ops`. Row 0 reads the inputs `t0…t(columns−1)` from above and
/// column 0 reads `l0…l(rows−1)` from the left. The output is the last cell's `c`.
///
/// The allowed ops keep values in [−1, 1] and shrink gradients along the diagonals
/// (`cos` is not allowed: its fixed point makes gradients grow like 1.7^(i+j)).
package struct GridShape: CircuitShape {
    /// `grid`.
    package static let kind = "grid"

    /// Number of rows (≥ 1).
    package var rows: Int
    /// Number of columns (≥ 1).
    package var columns: Int
    /// The bounded op of each cell and its weight.
    package var ops: OpMix

    /// The ops a grid cell can use.
    package static let allowedOps: [Op] = [.sin, .tanh, .sigmoid]

    /// `sin` only.
    package static let defaultOps = try! OpMix([(.sin, 1)])

    /// A `rows` × `columns` grid of `sin` nodes.
    package init(rows: Int, columns: Int) {
        self.init(rows: rows, columns: columns, ops: GridShape.defaultOps)
    }

    /// A `rows` × `columns` grid, ops drawn from `ops`.
    package init(rows: Int, columns: Int, ops: OpMix) {
        self.rows = rows
        self.columns = columns
        self.ops = ops
    }

    package func validate() throws {
        guard rows >= 1, columns >= 1 else {
            throw GeneratorError("grid: --rows and --columns must be at least 1, got \(rows) × \(columns)")
        }
        try ops.require(only: GridShape.allowedOps, for: "grid")
    }

    /// Inputs `t0…` (one per column) then `l0…` (one per row).
    package var inputCount: Int { columns + rows }

    package func inputRange(ofInput index: Int) -> ClosedRange<Double> { -1...1 }

    package func circuit(seed: UInt64, progress: GeneratorProgress?) throws -> Circuit {
        try validate()
        var random = GeneratorRandom(seed: seed, stream: GeneratorStream.circuit)
        var emit = DraftEmitter(kind: GridShape.kind, expectedNodes: 2 * rows * columns, progress: progress)
        var above = (0..<columns).map { emit.input("t\($0)") }
        let lefts = (0..<rows).map { emit.input("l\($0)") }
        for i in 0..<rows {
            var left = lefts[i]
            for j in 0..<columns {
                let s = emit.node(.add, [above[j], left], name: "s\(i)_\(j)")
                left = emit.node(ops.draw(&random), [s], name: "c\(i)_\(j)")
                above[j] = left
            }
        }
        return try emit.finish(output: above[columns - 1])
    }
}
