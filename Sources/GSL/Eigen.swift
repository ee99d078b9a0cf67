import CGSL

extension GSL {
    /// The eigenvalues of the symmetric n×n matrix `a` (row-major), in ascending order, from
    /// GSL's `gsl_eigen_symm` (Householder tridiagonalization + implicit QL). `a` is copied into a
    /// GSL matrix first, because `gsl_eigen_symm` destroys its input; GSL returns the eigenvalues
    /// unordered, so they are sorted here. Returns nil when GSL reports an error.
    public static func symmetricEigenvalues(_ a: [Double], n: Int) -> [Double]? {
        precondition(n >= 1 && a.count == n * n, "symmetricEigenvalues needs an n×n matrix")
        disableAbortOnError()
        guard let m = gsl_matrix_alloc(n, n), let values = gsl_vector_alloc(n), let work = gsl_eigen_symm_alloc(n) else { return nil }
        defer { gsl_matrix_free(m); gsl_vector_free(values); gsl_eigen_symm_free(work) }
        for i in 0..<n { for j in 0..<n { gsl_matrix_set(m, i, j, a[i * n + j]) } }
        guard gsl_eigen_symm(m, values, work) == Int32(GSL_SUCCESS) else { return nil }
        return (0..<n).map { gsl_vector_get(values, $0) }.sorted()
    }
}
