/// The fixed words of the format, as bytes.
enum Keyword {
    static let circuit = Array("circuit".utf8)
    static let input = Array("input".utf8)
    static let param = Array("param".utf8)
    static let output = Array("output".utf8)
    static let split = Array("split".utf8)
    static let inf = Array("inf".utf8)
    static let nan = Array("nan".utf8)
}
