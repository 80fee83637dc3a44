import Testing
@testable import CircuitGrad

/// Each optimizer's first steps against values worked out by hand. Numbers are chosen so
/// that most steps are exact in binary64 (powers of two); Adam's bias correction is checked
/// against its closed form to a few ulps.
@Suite struct OptimizerTests {
    /// Runs `steps` gradients through `settings`' chain from `p`, returning the parameters after each step.
    func trajectory(_ settings: OptimizerSettings, from p: [Double], gradients: [[Double]]) -> [[Double]] {
        var chain = settings.makeTransform(parameterCount: p.count)
        var params = p
        var out: [[Double]] = []
        for g in gradients {
            var u = g
            chain.update(&u, parameters: params)
            ParameterUpdate.apply(u, to: &params)
            out.append(params)
        }
        return out
    }

    @Test func sgdSteps() {
        // p = (1, 2), lr = 0.5: g = (0.5, −1) → p = (1 − 0.25, 2 + 0.5) = (0.75, 2.5);
        // then g = (0.25, 0.25) → (0.625, 2.375).
        let s = OptimizerSettings(kind: .sgd, learningRate: 0.5)
        #expect(trajectory(s, from: [1, 2], gradients: [[0.5, -1], [0.25, 0.25]]) == [[0.75, 2.5], [0.625, 2.375]])
    }

    @Test func heavyBallMomentumSteps() {
        // μ = 0.5, lr = 0.5, p = 1: g1 = 1 → v = 1, p = 0.5; g2 = 1 → v = 0.5 + 1 = 1.5, p = 0.5 − 0.75 = −0.25;
        // g3 = 0 → v = 0.75, p = −0.625.
        var s = OptimizerSettings(kind: .momentum, learningRate: 0.5)
        s.momentum = 0.5
        #expect(trajectory(s, from: [1], gradients: [[1], [1], [0]]) == [[0.5], [-0.25], [-0.625]])
    }

    @Test func nesterovMomentumSteps() {
        // μ = 0.5, lr = 0.5, p = 1: g1 = 1 → v = 1, step = μv + g = 1.5, p = 0.25;
        // g2 = 1 → v = 1.5, step = 0.75 + 1 = 1.75, p = 0.25 − 0.875 = −0.625.
        var s = OptimizerSettings(kind: .nesterov, learningRate: 0.5)
        s.momentum = 0.5
        #expect(trajectory(s, from: [1], gradients: [[1], [1]]) == [[0.25], [-0.625]])
    }

    @Test func adamFirstStepsFollowTheBiasCorrectedClosedForm() {
        // Step 1: m̂ = g, v̂ = g², so p1 = p − lr·g/(|g| + ε). Step 2 (g then g'):
        // m̂ = (β₁g + g')/(1 + β₁), v̂ = (β₂g² + g'²)/(1 + β₂), p2 = p1 − lr·m̂/(√v̂ + ε).
        let (b1, b2, eps, lr) = (0.9, 0.999, 1e-8, 0.1)
        var s = OptimizerSettings(kind: .adam, learningRate: lr)
        (s.beta1, s.beta2, s.epsilon) = (b1, b2, eps)
        let p0 = [1.0, -2.0], g1 = [0.5, -3.0], g2 = [-0.25, 1.0]
        let got = trajectory(s, from: p0, gradients: [g1, g2])
        for k in 0..<2 {
            let p1 = p0[k] - lr * g1[k] / (Swift.abs(g1[k]) + eps)
            let mHat = (b1 * g1[k] + g2[k]) / (1 + b1), vHat = (b2 * g1[k] * g1[k] + g2[k] * g2[k]) / (1 + b2)
            let p2 = p1 - lr * mHat / (vHat.squareRoot() + eps)
            #expect(Swift.abs(got[0][k] - p1) <= 4 * p1.ulp, "step 1, parameter \(k)")
            #expect(Swift.abs(got[1][k] - p2) <= 8 * Swift.abs(p2).ulp, "step 2, parameter \(k)")
        }
        // Step 1 moves each parameter by lr·g/(|g| + ε): almost exactly lr against the gradient's sign.
        #expect(Swift.abs(got[0][0] - 0.9) < 1e-8 && Swift.abs(got[0][1] - (-1.9)) < 1e-8)
    }

    @Test func adamIsTheSameBitsAtEveryVectorWidth() {
        // 37 parameters (whole chunks and a rest at every width), three steps with gradients of
        // both signs and many magnitudes, against a one-at-a-time loop of the documented formula.
        let (b1, b2, eps) = (0.9, 0.999, 1e-8)
        var g = GeneratorRandom(seed: 3)
        let gradients = (0..<3).map { _ in (0..<37).map { _ in g.uniform(-1, 1) * Double(sign: .plus, exponent: Int(g.uniform(-20, 20)), significand: 1) } }
        var m = [Double](repeating: 0, count: 37), v = m, expected: [[Double]] = []
        var p1 = 1.0, p2 = 1.0
        for grad in gradients {
            p1 = p1 * b1
            p2 = p2 * b2
            expected.append(grad.indices.map { i in
                m[i] = b1 * m[i] + (1 - b1) * grad[i]
                v[i] = b2 * v[i] + (1 - b2) * (grad[i] * grad[i])
                return (m[i] / (1 - p1)) / ((v[i] / (1 - p2)).squareRoot() + eps)
            })
        }
        for width in [0, 8, 4, 2, 1] {
            var adam = ScaleByAdam(beta1: b1, beta2: b2, epsilon: eps)
            for (k, grad) in gradients.enumerated() {
                var u = grad
                adam.update(&u, width: width)
                #expect(u.map(\.bitPattern) == expected[k].map(\.bitPattern), "width \(width), step \(k + 1)")
            }
            #expect(adam.firstMoment.map(\.bitPattern) == m.map(\.bitPattern) && adam.secondMoment.map(\.bitPattern) == v.map(\.bitPattern))
        }
    }

    @Test func weightDecayIsAddedToTheGradientForSGDAndDecoupledForAdam() {
        // SGD, λ = 0.5, lr = 0.5, p = 2, g = 1: u = g + λp = 2, p = 2 − 1 = 1.
        var s = OptimizerSettings(kind: .sgd, learningRate: 0.5)
        s.weightDecay = 0.5
        #expect(trajectory(s, from: [2], gradients: [[1]]) == [[1]])
        // Adam, λ = 0.5, lr = 0.5, p = 2, g = 1, ε = 0: u = g/|g| + λp = 1 + 1 = 2, p = 2 − 1 = 1.
        var a = OptimizerSettings(kind: .adam, learningRate: 0.5)
        a.weightDecay = 0.5
        a.epsilon = 0
        #expect(trajectory(a, from: [2], gradients: [[1]]) == [[1]])
    }

    @Test func clippingByGlobalNorm() {
        // g = (3, 4) has norm 5; clipped to 1: (0.6, 0.8) (as 3·(1/5), 4·(1/5)); lr 1 from 0.
        var s = OptimizerSettings(kind: .sgd, learningRate: 1)
        s.clipNorm = 1
        let got = trajectory(s, from: [0, 0], gradients: [[3, 4]])[0]
        #expect(got == [-(3 * (1.0 / 5)), -(4 * (1.0 / 5))])
        #expect(Swift.abs(got[0] + 0.6) < 1e-15 && Swift.abs(got[1] + 0.8) < 1e-15)
        // A gradient inside the ball is left alone.
        #expect(trajectory(s, from: [0, 0], gradients: [[0.5, 0.25]])[0] == [-0.5, -0.25])
    }

    @Test func settingsAreValidated() {
        var s = OptimizerSettings(kind: .adam, learningRate: 0.1)
        s.beta1 = 1
        #expect(throws: CircuitError.self) { try s.validate() }
        s = OptimizerSettings(kind: .sgd, learningRate: -1)
        #expect(throws: CircuitError.self) { try s.validate() }
        s = OptimizerSettings(kind: .sgd, learningRate: 1)
        s.clipNorm = 0
        #expect(throws: CircuitError.self) { try s.validate() }
        // Every setting out of range is an invalid argument (the tool's exit status 64).
        do { try s.validate(); Issue.record("clip 0 accepted") } catch let e as CircuitError { #expect(e.kind == .invalidArgument) } catch { Issue.record("\(error)") }
    }
}
