/// The NPY format details writers share.
enum NPYFormat {
    /// A version 1.0 header for a C-order `'<f8'` array of `rows × columns`, padded so the
    /// data starts on a 64-byte boundary.
    static func header(rows: Int, columns: Int) -> [UInt8] {
        var dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        let unpadded = 10 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = dict.utf8.count
        return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(dict.utf8)
    }
}
