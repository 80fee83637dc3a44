/// Everything one op is, side by side: its name, arity, value and partials (the readable
/// scalar definition the reference sweeps use), its lane kernels (forward and backward over a
/// whole ``NodeRun``) and its cost. Each op of ``Op`` has one rule type, and ``Op/visit(_:)``
/// is the one table that maps the op to it, so adding or changing an op is one edit that the
/// compiler checks (a missing requirement or a missing case does not build).
///
/// The lane kernels must give each lane the bits ``value(_:constant:)`` and
/// ``partials(_:value:constant:into:)`` give it: the same operations in the same order and the
/// same elementary functions (``ElementaryFunctions``); the default kernels run those two lane by lane.
protocol OpRule: Sendable {
    /// The op's name in a `.circuit` file.
    static var name: String { get }
    /// How many wire arguments the op reads.
    static var arity: Op.Arity { get }
    /// Whether a number literal `c` follows the wire arguments.
    static var takesConstant: Bool { get }
    /// Where the op is not smooth (what ``BranchSignature`` records for it).
    static var kink: OpKink { get }
    /// What one node costs per lane (``OpCost``).
    static var cost: OpCost { get }
    /// Rows of `lanes` doubles a live node keeps from its forward for its backward (derivative
    /// parts its forward gets almost for free, e.g. `pow`'s a^(b−1) from the same log of a).
    static var keptRows: Int { get }
    /// Which of a node's own rows its backward reads besides its upstream gradient and kept rows:
    /// the plan keeps those rows until the backward and lets other nodes reuse the rest
    /// (``ValueRowAllocator``). A rule that reads a row it does not declare here reads another
    /// node's value.
    static var backwardReads: BackwardReads { get }
    /// The op's value at `args` (`c` is the number of ops that take one, else 0).
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double
    /// Writes ∂value/∂args[i] into `partials[i]` for every argument, given the node's value `v`.
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>)
    /// Computes the values of the nodes of `run` over all lanes.
    static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun)
    /// Completes each node's upstream gradient and writes upstream × partial into its argument slots
    /// (live nodes only).
    static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun)
}

extension OpRule {
    static var takesConstant: Bool { false }
    static var kink: OpKink { .smooth }
    static var keptRows: Int { 0 }
    /// Arguments and value: what the default per-lane backward reads.
    static var backwardReads: BackwardReads { [.arguments, .value] }
    /// Lane by lane through ``value(_:constant:)`` (ops without a vector kernel).
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.forwardPerLane(Self.self, run)
    }
    /// Lane by lane through ``partials(_:value:constant:into:)``.
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.backwardPerLane(Self.self, run)
    }
}

/// The rows of a node that its backward reads (``OpRule/backwardReads``).
struct BackwardReads: OptionSet, Sendable {
    let rawValue: UInt8
    /// The node's argument values.
    static let arguments = BackwardReads(rawValue: 1)
    /// The node's own value.
    static let value = BackwardReads(rawValue: 2)
}

/// Where an op is not smooth, for ``BranchSignature``.
enum OpKink {
    /// Smooth everywhere it is defined by numbers.
    case smooth
    /// A kink, pole or domain edge at 0 of argument `i` (its sign class is recorded).
    case signOfArgument(Int)
    /// Ties between arguments and the value (`max`, `min`).
    case tiesWithValue
}

/// Code that needs the rule of an op it only knows at run time: ``Op/visit(_:)`` calls
/// ``visit(_:)`` with the rule type, so the body is specialised for each op.
protocol OpRuleVisitor {
    associatedtype Result
    func visit<R: OpRule>(_ rule: R.Type) -> Result
}

extension Op {
    /// Calls `visitor` with this op's rule: the one place an op is tied to its definition.
    @inline(__always)
    func visit<Visitor: OpRuleVisitor>(_ visitor: Visitor) -> Visitor.Result {
        switch self {
        case .add: visitor.visit(AddRule.self)
        case .sub: visitor.visit(SubRule.self)
        case .mul: visitor.visit(MulRule.self)
        case .div: visitor.visit(DivRule.self)
        case .neg: visitor.visit(NegRule.self)
        case .recip: visitor.visit(RecipRule.self)
        case .square: visitor.visit(SquareRule.self)
        case .sqrt: visitor.visit(SqrtRule.self)
        case .exp: visitor.visit(ExpRule.self)
        case .log: visitor.visit(LogRule.self)
        case .sin: visitor.visit(SinRule.self)
        case .cos: visitor.visit(CosRule.self)
        case .tanh: visitor.visit(TanhRule.self)
        case .sigmoid: visitor.visit(SigmoidRule.self)
        case .relu: visitor.visit(ReluRule.self)
        case .abs: visitor.visit(AbsRule.self)
        case .max: visitor.visit(MaxRule.self)
        case .min: visitor.visit(MinRule.self)
        case .pow: visitor.visit(PowRule.self)
        case .scale: visitor.visit(ScaleRule.self)
        case .offset: visitor.visit(OffsetRule.self)
        case .powc: visitor.visit(PowcRule.self)
        case .const: visitor.visit(ConstRule.self)
        }
    }

    /// This op's rule, for code off the hot paths.
    var rule: any OpRule.Type { Op.rules[Int(rawValue)] }

    private static let rules: [any OpRule.Type] = allCases.map { $0.visit(RuleOf()) }

    private struct RuleOf: OpRuleVisitor {
        func visit<R: OpRule>(_ rule: R.Type) -> any OpRule.Type { rule }
    }
}
