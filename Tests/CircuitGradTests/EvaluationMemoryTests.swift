import Testing
@testable import CircuitGrad

/// The memory policy: chunked parameter sums equal the one-tree sum bit for bit, sizes
/// saturate instead of overflowing, and too-large work is refused before allocating.
@Suite struct EvaluationMemoryTests {
    @Test(arguments: [1, 2, 4, 8])
    func chunkedSumsFollowThePairwiseTree(chunk: Int) {
        var rng = GeneratorRandom(seed: UInt64(chunk))
        for n in 1...70 {
            // Values of wildly different sizes, so any other order would change the bits.
            let values = (0..<n).map { _ in Double(bitPattern: rng.next() & 0x3FFF_FFFF_FFFF_FFFF | 0x3000_0000_0000_0000) * (rng.next() % 2 == 0 ? 1 : -1e-7) }
            var stack = BlockSumStack()
            var last: [Double]?
            for start in stride(from: 0, to: n, by: chunk) {
                let part = Array(values[start..<min(start + chunk, n)])
                let s = PairwiseSum.sum(part)
                if part.count == chunk { stack.push([s], blocks: chunk) } else { last = [s] }
            }
            #expect(stack.total(last: last)![0].bitPattern == PairwiseSum.sum(values).bitPattern, "n = \(n), chunk = \(chunk)")
        }
    }

    @Test func chunksHoldAtMostTheirShareOfSums() {
        #expect(EvaluationMemory.chunkBlocks(blocks: 10, params: 3) == 10)
        let c = EvaluationMemory.chunkBlocks(blocks: 1 << 30, params: 100_000)
        #expect(c & (c - 1) == 0 && c * 100_000 * 8 <= EvaluationMemory.chunkSumBytes && 2 * c * 100_000 * 8 > EvaluationMemory.chunkSumBytes)
    }

    @Test func sizesSaturate() {
        #expect(MemoryEstimate.product(Int.max, 8) == Int.max)
        #expect(MemoryEstimate.sum(Int.max - 1, 5) == Int.max)
        #expect(MemoryEstimate.format(8_000_000_000_000_000_000) == "8.0 EB")
        #expect(MemoryEstimate.format(Int.max) == "more than 9.2 EB")
        #expect(MemoryEstimate.format(1536) == "1.5 kB")
    }

    @Test func anEstimateAboveWhatIsAvailableIsRefusedWithTheRemedy() {
        var m = MemoryEstimate()
        m.add("results", count: 1 << 40, bytesEach: 16)
        let error = #expect(throws: CircuitError.self) { try m.check("evaluating", available: 1 << 30, remedy: "use a smaller --batch") }
        #expect(error?.kind == .resourceLimit)
        #expect(error?.message.contains("17.6 TB") == true && error?.message.contains("1.1 GB is available") == true
                && error?.message.contains("--batch") == true, "\(error?.message ?? "")")
    }

    @Test func theEngineRefusesAHugeNoInputBatchAtOnce() throws {
        let c = try CircuitReader.parse("circuit 1\nparam w 2\nf = square w\noutput f\n", sourceName: "c")
        let e = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: 1))
        for rows in [1_000_000_000_000_000_000, Int.max] {
            let batch = try Batch(sampleCount: rows, inputCount: 0, values: [])
            let error = #expect(throws: CircuitError.self) { _ = try e.evaluate(batch) }
            #expect(error?.kind == .resourceLimit, "\(error?.description ?? "")")
            let reference = #expect(throws: CircuitError.self) { _ = try ReferenceEvaluator(circuit: c).evaluate(batch) }
            #expect(reference?.kind == .resourceLimit)
        }
    }

    /// Second order checks its memory as a gradient evaluation does: its results (value, tangent,
    /// gradient and product per sample) are refused before they are allocated.
    @Test func secondOrderRefusesAHugeBatchAtOnce() throws {
        let c = try CircuitReader.parse("circuit 1\nparam w 2\nf = square w\noutput f\n", sourceName: "c")
        let hvp = try HessianVectorEvaluator(circuit: c, options: EvaluatorOptions(threads: 1))
        let direction = try Batch(sampleCount: 1, inputCount: 0, values: [])
        for rows in [1_000_000_000_000_000, Int.max] {
            let batch = try Batch(sampleCount: rows, inputCount: 0, values: [])
            let error = #expect(throws: CircuitError.self) { _ = try hvp.evaluate(batch, direction: direction) }
            #expect(error?.kind == .resourceLimit, "\(error?.description ?? "")")
            #expect(error?.message.contains("results") == true, "\(error?.description ?? "")")
            let forward = #expect(throws: CircuitError.self) { _ = try hvp.directionalDerivatives(batch, direction: direction) }
            #expect(forward?.kind == .resourceLimit)
        }
        // What fits still runs: w² has value 4, and no input to differentiate by.
        let small = try hvp.evaluate(try Batch(sampleCount: 3, inputCount: 0, values: []), direction: direction)
        #expect(small.values == [4, 4, 4] && small.tangents == [0, 0, 0] && small.inputGradients.isEmpty)
    }

    /// The fallback the product's memory check uses: when a block's rows do not fit (here every
    /// block wider than 8 lanes claims a quarter of `Int.max` bytes), smaller lane blocks are
    /// tried before the product is refused.
    @Test func secondOrderFallsBackToSmallerBlocksBeforeRefusing() throws {
        let c = try CircuitGenerator.generate(.layered(nodes: 2000), seed: 3)
        let hvp = try HessianVectorEvaluator(circuit: c, options: EvaluatorOptions(threads: 1))
        let policy = hvp.evaluator.policy
        let wide = policy.chooseForTangents(sampleCount: 4096)
        #expect(wide.lanes > 8)
        let narrow = try policy.chooseWithinMemory(sampleCount: 4096, resultBytesPerSample: 0, sumsParameters: false,
                                                   choose: { policy.chooseForTangents(sampleCount: 4096, laneCap: $0) },
                                                   workspace: { ($0.lanes > 8 ? Int.max / 4 : 0, 0) })
        #expect(narrow.lanes == 8)
    }
}

/// The engine reads the memory it may allocate again only when a batch needs a large part of the
/// last reading or the reading is old.
@Suite struct AvailableMemoryReadingTests {
    final class System: @unchecked Sendable {
        var available = 1_000_000
        var reads = 0
        var clock = 0.0
    }

    @Test func smallNeedsReuseARecentReadingAndLargeOrLateOnesReadAgain() {
        let system = System()
        var reading = AvailableMemoryReading(read: { system.reads += 1; return system.available }, now: { system.clock })
        #expect(reading.bytes(toHold: 1000) == 1_000_000 && system.reads == 1)
        system.available = 500_000
        system.clock = 0.5
        #expect(reading.bytes(toHold: 250_000) == 1_000_000 && system.reads == 1)   // a quarter: reused
        #expect(reading.bytes(toHold: 250_001) == 500_000 && system.reads == 2)     // more: read again
        system.available = 400_000
        system.clock = 0.5 + AvailableMemoryReading.maximumAge
        #expect(reading.bytes(toHold: 10) == 400_000 && system.reads == 3)          // old: read again
        #expect(reading.bytes(toHold: 10) == 400_000 && system.reads == 3)
    }
}
