/// The NPY format details writers share.
enum NPYFormat {
    /// A version 1.0 header for a C-order `'<f8'` array of `rows × columns`, padded so the
    /// data starts on a 64-byte boundary.
    static func header(rows: Int, columns: Int) -> [UInt8] {
        header(descr: "'<f8'", shape: "(\(rows), \(columns))")
    }

    /// A header for a C-order array of `descr` (a Python literal) and `shape` (a tuple literal):
    /// version 1.0 while the header fits in 65,535 bytes, else 2.0; padded to 64 bytes.
    static func header(descr: String, shape: String) -> [UInt8] {
        var dict = "{'descr': \(descr), 'fortran_order': False, 'shape': \(shape), }"
        let small = dict.utf8.count + 11 + 10 < 65536
        let prefix = small ? 10 : 12
        let unpadded = prefix + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let n = dict.utf8.count
        let lengthBytes: [UInt8] = small ? [UInt8(n & 0xFF), UInt8(n >> 8)]
            : [UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24)]
        return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, small ? 1 : 2, 0] + lengthBytes + Array(dict.utf8)
    }
}
