/// For every wire, the value wire (an input, parameter or function node) whose value it
/// carries: a value wire carries its own, so only the splitter outputs' are stored.
package struct WireValues: RandomAccessCollection, Equatable, Sendable {
    /// Number of value wires (inputs, parameters, function nodes), the wires before the splitter outputs.
    let valueCount: Int
    /// The value wire of each splitter output (by wire − `valueCount`).
    let ofSplitterOutput: [Int32]

    /// The values of `valueCount` value wires followed by splitter outputs carrying `ofSplitterOutput`.
    init(valueCount: Int, ofSplitterOutput: [Int32]) {
        self.valueCount = valueCount
        self.ofSplitterOutput = ofSplitterOutput
    }

    /// Wire 0.
    package var startIndex: Int { 0 }

    /// The number of wires.
    package var endIndex: Int { valueCount + ofSplitterOutput.count }

    /// The value wire that `wire` carries.
    package subscript(wire: Int) -> Int32 {
        wire < valueCount ? Int32(wire) : ofSplitterOutput[wire - valueCount]
    }
}
