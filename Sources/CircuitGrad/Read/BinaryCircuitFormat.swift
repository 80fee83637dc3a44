/// The layout of the binary circuit format (`.cgb`), version 1, shared by its reader and
/// writer. `docs/format-binary.md` is the reference; in short, all numbers little-endian:
///
///     0    magic  89 43 47 42 0D 0A 1A 0A  ("\x89CGB\r\n\x1a\n")
///     8    u32 format version (1)          12  u32 flags (0)
///     16   u64 × 12 counts, in ``Counts`` order
///     112  u64 XXH64 of the payload        120 u64 XXH64 of bytes 0..<120
///     128  payload: the sections of ``Section``, each padded with zeros to 8 bytes
///
/// The file is the resolved ``Circuit`` in its own wire numbering (inputs, parameters,
/// function nodes, then splitter outputs), splitters the reader inserts for fan-out
/// included, so loading needs no name lookups and no resolution; the reader checks that
/// those splitters are exactly the ones the text reader would insert.
package enum BinaryCircuitFormat {
    /// The first eight bytes of every binary circuit file.
    package static let magic: [UInt8] = [0x89, 0x43, 0x47, 0x42, 0x0D, 0x0A, 0x1A, 0x0A]
    /// The format version this code reads and writes.
    package static let version: UInt32 = 1
    /// Bytes before the payload.
    package static let headerSize = 128
    /// Where the header's own checksum is stored (it covers the bytes before it).
    package static let headerChecksumOffset = 120
    /// Where the payload's checksum is stored.
    package static let payloadChecksumOffset = 112
    /// Where the counts start.
    static let countsOffset = 16

    /// Whether `bytes` start with the binary circuit magic.
    package static func isBinary(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= magic.count && zip(bytes.prefix(magic.count), magic).allSatisfy { $0 == $1 }
    }

    /// The header's counts, in file order.
    struct Counts: Equatable {
        var inputs = 0
        var params = 0
        var nodes = 0
        var arguments = 0
        var constants = 0
        var splitters = 0
        var writtenSplitters = 0
        var splitterOutputs = 0
        var writtenSplitterOutputs = 0
        var nameBytes = 0
        var output = 0
        var payloadBytes = 0

        static let fieldCount = 12

        /// The counts as the header stores them.
        var fields: [Int] {
            [inputs, params, nodes, arguments, constants, splitters, writtenSplitters, splitterOutputs,
             writtenSplitterOutputs, nameBytes, output, payloadBytes]
        }

        init() {}

        init(fields f: [Int]) {
            (inputs, params, nodes, arguments, constants, splitters) = (f[0], f[1], f[2], f[3], f[4], f[5])
            (writtenSplitters, splitterOutputs, writtenSplitterOutputs, nameBytes, output, payloadBytes) = (f[6], f[7], f[8], f[9], f[10], f[11])
        }

        /// Wires that carry their own value: inputs, parameters, function nodes.
        var values: Int { inputs + params + nodes }
        /// Wires in all, splitter outputs included.
        var wires: Int { values + splitterOutputs }
        /// Named wires: values and the outputs of written splits.
        var names: Int { values + writtenSplitterOutputs }
    }

    /// The payload's sections, in file order.
    enum Section: Int, CaseIterable {
        /// f64 per parameter: its value.
        case paramValues
        /// f64 per node whose op takes a number (scale, offset, powc, const), in node order.
        case constants
        /// u32 × (nodes + 1): node `n` reads `arguments[argumentStart[n]..<argumentStart[n+1]]`.
        case argumentStart
        /// u32 per argument: the wire read.
        case arguments
        /// u32 per splitter: the wire it copies.
        case splitterSources
        /// u32 × (splitters + 1): splitter `s` drives wires `values + start[s] ..< values + start[s+1]`.
        case splitterOutputStart
        /// u8 per node: the op code (``Op`` raw value).
        case ops
        /// u8 per named wire: the length of its name.
        case nameLengths
        /// The names' bytes, one after another, in wire order.
        case names

        /// Bytes of the section before padding.
        func byteCount(_ c: Counts) -> Int {
            switch self {
            case .paramValues: 8 * c.params
            case .constants: 8 * c.constants
            case .argumentStart: 4 * (c.nodes + 1)
            case .arguments: 4 * c.arguments
            case .splitterSources: 4 * c.splitters
            case .splitterOutputStart: 4 * (c.splitters + 1)
            case .ops: c.nodes
            case .nameLengths: c.names
            case .names: c.nameBytes
            }
        }
    }

    /// The payload offset of each section and the payload's size, for counts small enough
    /// for a circuit (every wire id fits in an `Int32` with room to spare); nil otherwise.
    static func layout(_ c: Counts) -> (offsets: [Int], payloadBytes: Int)? {
        let limit = Int(Int32.max) / 2
        guard c.fields.allSatisfy({ $0 >= 0 && $0 < 1 << 40 }), c.wires < limit, c.arguments < limit, c.splitters < limit else { return nil }
        var offsets = [Int]()
        var at = 0
        for section in Section.allCases {
            offsets.append(at)
            at += (section.byteCount(c) + 7) & ~7
        }
        return (offsets, at)
    }
}
