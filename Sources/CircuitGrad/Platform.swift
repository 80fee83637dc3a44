// CircuitGrad runs on Linux only: the worker pool parks threads on a futex, pins them with
// hwloc, and the library imports Glibc. Say so at compile time rather than with a missing module.
#if !os(Linux)
#error("CircuitGrad supports Linux only (it uses Glibc, the futex system call and hwloc)")
#endif
