/// A team of one: `run` calls the body on the caller and `barrier` does nothing.
final class SerialTeam: WorkerTeam {
    var threadCount: Int { 1 }
    func run(_ body: (Int) -> Void) { body(0) }
    func barrier(_ worker: Int) {}
}
