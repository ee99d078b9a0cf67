import CGSL

/// The small Swift face of GSL that TunnelBench uses.
public enum GSL {
    /// Turns off GSL's default error handler (which calls `abort()`); every call site checks
    /// return codes instead. Idempotent; runs once, before any worker thread starts, because the
    /// first access to a global is thread-safe in Swift.
    public static func disableAbortOnError() { _ = handlerDisabled }

    private static let handlerDisabled: Bool = {
        gsl_set_error_handler_off()
        return true
    }()

    /// The P-quantile of the Beta(a, b) distribution, a > 0, b > 0 (GSL's `gsl_cdf_beta_Pinv`).
    ///
    /// - Precondition: a > 0 and b > 0; GSL does not return for a = 0 or b = 0.
    public static func betaQuantile(_ p: Double, a: Double, b: Double) -> Double {
        precondition(a > 0 && b > 0, "betaQuantile needs a > 0 and b > 0")
        disableAbortOnError()
        return gsl_cdf_beta_Pinv(p, a, b)
    }

    /// P(X ≥ k) for X ~ Binomial(n, p) (GSL's `gsl_cdf_binomial_Q`, which gives P(X > k)).
    /// Exactly 1 for k ≤ 0 and 0 for k > n.
    public static func binomialUpperTail(atLeast k: Int, trials n: Int, probability p: Double) -> Double {
        precondition(n >= 0 && p >= 0 && p <= 1, "binomialUpperTail needs n ≥ 0 and 0 ≤ p ≤ 1")
        if k <= 0 { return 1 }
        if k > n { return 0 }
        disableAbortOnError()
        return gsl_cdf_binomial_Q(UInt32(k - 1), p, UInt32(n))
    }
}
