/// How many wires each shape's circuits have, worked out from the options alone so that
/// ``CircuitGenerator/checkSize(wires:kind:)`` can refuse a size before anything is built.
/// Estimates count function nodes, inputs and parameters (splitters are at most one per
/// wire), err on the high side, and saturate at `Int.max` so no option can overflow them.

private typealias Saturating = MemoryEstimate

extension LayeredShape {
    /// Nodes, one more layer of units, inputs and parameters.
    package var wireEstimate: Int {
        Saturating.sum(Saturating.sum(max(nodes, 0), max(resolvedWidth, 0)),
                       Saturating.sum(max(inputCount, 0), max(params, 0)))
    }
}

extension MLPShape {
    /// Per layer a weight parameter and a multiply per connection, a sum, a bias and an
    /// activation per unit; then the loss per output.
    package var wireEstimate: Int {
        var total = max(layerSizes.first ?? 0, 0)
        for (a, b) in zip(layerSizes, layerSizes.dropFirst()) {
            total = Saturating.sum(total, Saturating.sum(Saturating.product(3, Saturating.product(a, b)), Saturating.product(4, b)))
        }
        return Saturating.sum(total, Saturating.product(4, layerSizes.last ?? 0))
    }
}

extension LogisticShape {
    /// Inputs, weights, their products and the sums.
    package var wireEstimate: Int { Saturating.product(4, Saturating.sum(max(features, 0), 1)) }
}

extension TreeShape {
    /// The leaves and at most one node per leaf.
    package var wireEstimate: Int { Saturating.product(2, leaves) }
}

extension ChainShape {
    /// The input and the nodes.
    package var wireEstimate: Int { Saturating.sum(max(length, 0), 1) }
}

extension GridShape {
    /// An add and an op per cell, the splitter of its value, and the edge inputs.
    package var wireEstimate: Int {
        Saturating.sum(Saturating.product(3, Saturating.product(rows, columns)), Saturating.sum(max(rows, 0), max(columns, 0)))
    }
}
