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

extension GSL {
    /// Eigenvalues and eigenvectors of symmetric n×n matrices, by GSL's `gsl_eigen_symmv`
    /// (Householder tridiagonalization, implicit QL with the transformations accumulated), sorted
    /// by ascending eigenvalue with `gsl_eigen_symmv_sort`. The GSL matrices and workspace are
    /// allocated once, by `init`, and freed with the solver, so an optimizer that decomposes a
    /// covariance every generation allocates nothing per call.
    public final class SymmetricEigensolver {
        public let n: Int
        private let matrix: UnsafeMutablePointer<gsl_matrix>
        private let values: UnsafeMutablePointer<gsl_vector>
        private let vectors: UnsafeMutablePointer<gsl_matrix>
        private let workspace: UnsafeMutablePointer<gsl_eigen_symmv_workspace>

        /// nil when GSL cannot allocate (n ≥ 1 is the caller's to check).
        public init?(n: Int) {
            precondition(n >= 1, "SymmetricEigensolver needs n ≥ 1")
            disableAbortOnError()
            guard let m = gsl_matrix_alloc(n, n) else { return nil }
            guard let v = gsl_vector_alloc(n) else { gsl_matrix_free(m); return nil }
            guard let e = gsl_matrix_alloc(n, n) else { gsl_matrix_free(m); gsl_vector_free(v); return nil }
            guard let w = gsl_eigen_symmv_alloc(n) else {
                gsl_matrix_free(m); gsl_vector_free(v); gsl_matrix_free(e); return nil
            }
            self.n = n
            matrix = m; values = v; vectors = e; workspace = w
        }

        deinit {
            gsl_matrix_free(matrix); gsl_vector_free(values); gsl_matrix_free(vectors); gsl_eigen_symmv_free(workspace)
        }

        /// Decomposes the symmetric matrix `a` (row-major, n·n entries; only its lower triangle is
        /// read, as GSL reads it) into a = B·diag(λ)·Bᵀ: `eigenvalues` receives λ ascending,
        /// `eigenvectors` B row-major, column k the unit eigenvector of λ_k. Returns false, leaving
        /// the outputs unspecified, when GSL reports an error.
        public func decompose(_ a: [Double], eigenvalues: inout [Double], eigenvectors: inout [Double]) -> Bool {
            precondition(a.count == n * n && eigenvalues.count == n && eigenvectors.count == n * n,
                         "SymmetricEigensolver.decompose: sizes differ from n = \(n)")
            for i in 0..<n { for j in 0..<n { gsl_matrix_set(matrix, i, j, a[i * n + j]) } }
            guard gsl_eigen_symmv(matrix, values, vectors, workspace) == Int32(GSL_SUCCESS),
                  gsl_eigen_symmv_sort(values, vectors, GSL_EIGEN_SORT_VAL_ASC) == Int32(GSL_SUCCESS) else { return false }
            for i in 0..<n {
                eigenvalues[i] = gsl_vector_get(values, i)
                for j in 0..<n { eigenvectors[i * n + j] = gsl_matrix_get(vectors, i, j) }
            }
            return true
        }
    }
}
