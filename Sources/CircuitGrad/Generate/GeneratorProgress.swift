/// Called while a large circuit is generated with the fraction of function nodes added
/// so far (0…1); resolution of the draft follows the last call.
package typealias GeneratorProgress = (Double) -> Void
