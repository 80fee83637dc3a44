/// Live parameters: new parameter values for a built evaluator, without re-planning and
/// without restarting its workers.
///
/// The plan keeps parameter values in two places: the broadcast parameter rows of every
/// lane-block workspace, and the numbers of the `mul` kernels that read a parameter as one
/// number. ``CircuitEvaluator/setParameters(_:)`` rewrites the numbers in place (O(fused muls))
/// and marks the workspaces' rows stale; the worker that next loads a block into a workspace
/// rewrites its rows first (O(parameters × lanes), only the rows some kernel reads), so each
/// workspace is written in the cache of the core that reads it. The next
/// ``CircuitEvaluator/evaluate(_:)`` then costs what any evaluation costs.
extension CircuitEvaluator {
    /// Uses `values` (one per parameter, declaration order) from the next evaluation on,
    /// without re-planning or restarting the workers.
    ///
    /// ```swift
    /// try evaluator.setParameters(newValues)
    /// let result = try evaluator.evaluate(batch)
    /// ```
    /// - Throws: ``CircuitError`` of kind ``CircuitError/Kind/invalidArgument`` when the count
    ///   is not the circuit's parameter count.
    public func setParameters(_ values: [Double]) throws {
        guard values.count == circuit.paramCount else {
            throw CircuitError(file: "<parameters>", kind: .invalidArgument,
                               "\(values.count) parameter values given; the circuit has \(circuit.paramCount) parameters")
        }
        parameterValues = values
        blockStorage.setParameters(values)
        levelStorage?.setParameters(values)
        tangentStorage?.setParameters(values)
        parameterGeneration &+= 1   // every workspace's parameter rows are stale now
    }

    /// Rewrites `w`'s broadcast parameter rows when the parameters changed since they were
    /// written (only the rows the current storage's kernels read). Called by whoever loads a
    /// block into `w`, before the sweeps, on that worker's core.
    func refreshParameterRows(of w: BlockWorkspace) {
        guard w.parameterGeneration != parameterGeneration else { return }
        w.broadcastParameters(parameterValues, only: storage.parametersReadFromRows, inputCount: plan.inputCount)
        w.parameterGeneration = parameterGeneration
    }

    /// Sets the parameters to `parameters`, then evaluates `batch` (see ``evaluate(_:)``).
    package func evaluate(_ batch: Batch, parameters: [Double]) throws -> EvaluationResult {
        try setParameters(parameters)
        return try evaluate(batch)
    }
}

extension PlanStorage {
    /// Rewrites the numbers of the `mul` kernels that read a parameter as one number.
    func setParameters(_ values: [Double]) {
        let constants = UnsafeMutablePointer(mutating: view.constants)
        let (positions, parameters) = fusedParameterConstants
        values.withUnsafeBufferPointer { v in
            for i in positions.indices { constants[Int(positions[i])] = v[Int(parameters[i])] }
        }
    }
}

extension BlockWorkspace {
    /// Writes `values` into the broadcast parameter rows (parameter `q` is value row `inputCount + q`).
    func broadcastParameters(_ values: [Double], inputCount: Int) {
        broadcastParameters(values, only: values.indices, inputCount: inputCount)
    }

    /// Writes the values of the parameters `parameters` into their broadcast rows.
    func broadcastParameters(_ values: [Double], only parameters: some Sequence<Int>, inputCount: Int) {
        for q in parameters {
            let row = self.values + (inputCount + q) * lanes
            let v = values[q]
            for l in 0..<lanes { row[l] = v }
        }
    }
}
