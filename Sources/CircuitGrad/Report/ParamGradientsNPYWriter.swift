/// Parameter gradients as an NPY file: a 1-D structured array with one record per
/// parameter, in declaration order, whose fields are `param` (the name as a fixed-width
/// Unicode string `'<U{W}'`, W the longest name) and `grad` (`'<f8'`), mirroring the CSV's
/// `param,grad` columns. numpy reads it with `numpy.load(path)` (no pickle):
/// `a['param']` are the names, `a['grad']` the gradients.
package enum ParamGradientsNPYWriter {
    /// Writes the array for `names` and `gradients` (equal counts) to `output`.
    package static func write(names: [String], gradients: [Double], to output: BufferedOutput) throws {
        precondition(names.count == gradients.count, "one name per parameter gradient")
        let width = max(1, names.map { $0.unicodeScalars.count }.max() ?? 1)
        let descr = "[('param', '<U\(width)'), ('grad', '<f8')]"
        let header = NPYFormat.header(descr: descr, shape: "(\(names.count),)")
        header.withUnsafeBytes { output.write(bytes: $0) }
        var record = [UInt8](repeating: 0, count: 4 * width + 8)
        for (name, g) in zip(names, gradients) {
            for k in 0..<(4 * width) { record[k] = 0 }
            for (k, scalar) in name.unicodeScalars.enumerated() {
                let v = scalar.value
                for b in 0..<4 { record[4 * k + b] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(b))) }
            }
            let bits = g.bitPattern
            for b in 0..<8 { record[4 * width + b] = UInt8(truncatingIfNeeded: bits >> (8 * UInt64(b))) }
            record.withUnsafeBytes { output.write(bytes: $0) }
        }
        try output.flush()
    }
}
