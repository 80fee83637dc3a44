/// Live parameters: new parameter values for a built evaluator, without re-planning and
/// without restarting its workers.
///
/// The plan keeps parameter values in two places: the broadcast parameter rows of every
/// lane-block workspace, and the numbers of the `mul` kernels that read a parameter as one
/// number. ``CircuitEvaluator/setParameters(_:)`` rewrites both in place (O(parameters × lanes));
/// the next ``CircuitEvaluator/evaluate(_:)`` then costs what any evaluation costs.
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
        // The cached workspaces belong to the current storage's plan: only the rows it reads.
        for w in cachedLayout?.workspaces ?? [] {
            w.broadcastParameters(values, only: storage.parametersReadFromRows, inputCount: plan.inputCount)
        }
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
        for run in plan.runs {
            guard let position = run.op.parameterPosition else { continue }
            for i in 0..<run.count {
                let q = Int(plan.argumentRow[Int(run.argumentBase) + 2 * i + position]) - plan.inputCount
                constants[Int(run.constantBase) + i] = values[q]
            }
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
