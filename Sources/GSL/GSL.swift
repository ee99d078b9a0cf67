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
}
