import CircuitGrad

/// A JSON object whose keys stay in insertion order.
struct JSONObject: ExpressibleByDictionaryLiteral {
    private(set) var pairs: [(String, JSONValue)] = []

    init() {}
    init(_ pairs: [(String, JSONValue)]) { self.pairs = pairs }
    init(dictionaryLiteral elements: (String, JSONValue)...) { pairs = elements }

    subscript(key: String) -> JSONValue? {
        get { pairs.first { $0.0 == key }?.1 }
        set {
            if let i = pairs.firstIndex(where: { $0.0 == key }) {
                if let v = newValue { pairs[i].1 = v } else { pairs.remove(at: i) }
            } else if let v = newValue {
                pairs.append((key, v))
            }
        }
    }
}
