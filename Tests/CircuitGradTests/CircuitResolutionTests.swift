import Testing
@testable import CircuitGrad

@Suite struct CircuitResolutionTests {
    @Test func workedExampleResolves() throws {
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y"), z = b.input("z")
        let c = try b.build(output: (x + y) * z)
        #expect(c.nodeCount == 2)
        #expect(c.splitterCount == 0)
        #expect(c.nodeLevel == [1, 2])
        #expect(c.levelCount == 2)
    }

    @Test func fanOutInsertsOneSplitterPerUse() throws {
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y")
        let c = try b.build(output: x / (x + y))
        #expect(c.splitterCount == 1)
        #expect(c.outputs(ofSplitter: 0).count == 2)
        #expect(c.splitterSource[0] == 0)
    }
}
