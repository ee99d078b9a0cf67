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

    /// The Beta(a, b) distribution function I_x(a, b) = P(B ≤ x), a > 0, b > 0 (GSL's
    /// `gsl_cdf_beta_P`, a continued fraction for the regularized incomplete beta). Exactly 0 for
    /// x ≤ 0 and 1 for x ≥ 1. GSL returns NaN when its continued fraction does not converge in 512
    /// terms; callers that must not fail check for it.
    public static func betaCDF(_ x: Double, a: Double, b: Double) -> Double {
        precondition(a > 0 && b > 0, "betaCDF needs a > 0 and b > 0")
        disableAbortOnError()
        return gsl_cdf_beta_P(x, a, b)
    }

    /// The Beta(a, b) upper tail 1 − I_x(a, b) = P(B > x), computed without the cancellation of
    /// 1 − P (GSL's `gsl_cdf_beta_Q`). Exactly 1 for x ≤ 0 and 0 for x ≥ 1; NaN as for `betaCDF`.
    public static func betaUpperTail(_ x: Double, a: Double, b: Double) -> Double {
        precondition(a > 0 && b > 0, "betaUpperTail needs a > 0 and b > 0")
        disableAbortOnError()
        return gsl_cdf_beta_Q(x, a, b)
    }
}
