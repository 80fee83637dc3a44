/// The release of CircuitGrad this source is: the one place the version is written.
/// `circuitgrad --version` prints it.
package enum CircuitGradVersion {
    /// The version, as `MAJOR.MINOR.PATCH` (semantic versioning; before 1.0 the API may change
    /// between minor versions).
    package static let current = "0.1.0"
}
