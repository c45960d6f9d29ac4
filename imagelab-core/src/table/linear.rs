//! 線形回帰: least squares with an intercept, as scikit-learn's `LinearRegression`.
//!
//! The normal equations of the centred (and, for conditioning, scaled) inputs are solved by a
//! Cholesky factorisation with pivoting, in f64. Columns that add nothing to those before them
//! — `get_dummies` without `drop_first` makes every categorical column's dummies sum to 1, the
//! intercept's own column — get coefficient 0 instead of failing: another least-squares
//! solution than scikit-learn's minimum-norm one, with the same predictions.

use serde::{Deserialize, Serialize};

/// A fitted linear model: prediction = intercept + Σ coef · x.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinearFit {
    /// One weight per input.
    pub coef: Vec<f64>,
    /// The constant term.
    pub intercept: f64,
    /// How many inputs carry information beyond the others (the rank of the centred inputs).
    pub rank: usize,
}

impl LinearFit {
    /// Fits `y` on `rows` of the row-major `x` with `dim` columns.
    pub fn fit(x: &[f64], dim: usize, y: &[f64], rows: &[usize]) -> LinearFit {
        let n = rows.len().max(1) as f64;
        let mut mean = vec![0.0; dim];
        let mut y_mean = 0.0;
        for &r in rows {
            for (m, v) in mean.iter_mut().zip(&x[r * dim..(r + 1) * dim]) {
                *m += v / n;
            }
            y_mean += y[r] / n;
        }
        let mut scale = vec![0.0; dim];
        for &r in rows {
            for ((s, v), m) in scale.iter_mut().zip(&x[r * dim..(r + 1) * dim]).zip(&mean) {
                *s += (v - m) * (v - m);
            }
        }
        scale.iter_mut().for_each(|s| *s = if *s > 0.0 { s.sqrt() } else { 1.0 });
        // Gram matrix G = ZᵀZ and b = Zᵀ(y − ȳ) of the centred, scaled inputs Z.
        let mut g = vec![0.0; dim * dim];
        let mut b = vec![0.0; dim];
        let mut z = vec![0.0; dim];
        for &r in rows {
            for (j, zj) in z.iter_mut().enumerate() {
                *zj = (x[r * dim + j] - mean[j]) / scale[j];
            }
            let yc = y[r] - y_mean;
            for i in 0..dim {
                b[i] += z[i] * yc;
                for j in 0..=i {
                    g[i * dim + j] += z[i] * z[j];
                }
            }
        }
        for i in 0..dim {
            for j in 0..i {
                g[j * dim + i] = g[i * dim + j];
            }
        }
        let (w, rank) = solve_psd(&mut g, &b, dim);
        let coef: Vec<f64> = w.iter().zip(&scale).map(|(w, s)| w / s).collect();
        let intercept = y_mean - coef.iter().zip(&mean).map(|(c, m)| c * m).sum::<f64>();
        LinearFit { coef, intercept, rank }
    }

    /// The prediction for one row.
    pub fn predict(&self, row: &[f64]) -> f64 {
        self.intercept + self.coef.iter().zip(row).map(|(c, v)| c * v).sum::<f64>()
    }
}

/// Solves G w = b for a symmetric positive semi-definite `g` (`dim × dim`, overwritten) by
/// Cholesky with diagonal pivoting; directions whose remaining pivot is below 1e-10 of the
/// largest diagonal get weight 0. Returns w and the rank.
fn solve_psd(g: &mut [f64], b: &[f64], dim: usize) -> (Vec<f64>, usize) {
    let at = |i: usize, j: usize| i * dim + j;
    let mut perm: Vec<usize> = (0..dim).collect();
    let tol = (0..dim).map(|i| g[at(i, i)]).fold(0.0, f64::max) * 1e-10;
    let mut rank = 0;
    // Lower-triangular L in place (columns 0..rank), of the permuted matrix.
    for k in 0..dim {
        let Some(p) = (k..dim).max_by(|&a, &b| g[at(a, a)].total_cmp(&g[at(b, b)])) else { break };
        if g[at(p, p)] <= tol {
            break;
        }
        if p != k {
            perm.swap(k, p);
            for c in 0..dim {
                g.swap(at(k, c), at(p, c));
            }
            for r in 0..dim {
                g.swap(at(r, k), at(r, p));
            }
        }
        let d = g[at(k, k)].sqrt();
        g[at(k, k)] = d;
        for i in k + 1..dim {
            g[at(i, k)] /= d;
        }
        for i in k + 1..dim {
            for j in k + 1..=i {
                let v = g[at(i, k)] * g[at(j, k)];
                g[at(i, j)] -= v;
                if i != j {
                    g[at(j, i)] -= v;
                }
            }
        }
        rank = k + 1;
    }
    // L Lᵀ u = (P b) on the first `rank` coordinates; the rest 0.
    let mut u: Vec<f64> = perm[..rank].iter().map(|&i| b[i]).collect();
    for i in 0..rank {
        for j in 0..i {
            u[i] -= g[at(i, j)] * u[j];
        }
        u[i] /= g[at(i, i)];
    }
    for i in (0..rank).rev() {
        for j in i + 1..rank {
            u[i] -= g[at(j, i)] * u[j];
        }
        u[i] /= g[at(i, i)];
    }
    let mut w = vec![0.0; dim];
    for (k, &i) in perm[..rank].iter().enumerate() {
        w[i] = u[k];
    }
    (w, rank)
}

/// Root mean squared error of predictions against truths.
pub fn rmse(predicted: &[f64], truth: &[f64]) -> f64 {
    let n = truth.len().max(1) as f64;
    (predicted.iter().zip(truth).map(|(p, t)| (p - t) * (p - t)).sum::<f64>() / n).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_an_exact_plane() {
        // y = 3 + 2 a − b on five points: the fit is exact.
        let x = [0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 2.0, 3.0, -1.0, 5.0];
        let y: Vec<f64> = x.chunks(2).map(|r| 3.0 + 2.0 * r[0] - r[1]).collect();
        let f = LinearFit::fit(&x, 2, &y, &[0, 1, 2, 3, 4]);
        assert!((f.intercept - 3.0).abs() < 1e-12 && (f.coef[0] - 2.0).abs() < 1e-12 && (f.coef[1] + 1.0).abs() < 1e-12, "{f:?}");
        assert_eq!(f.rank, 2);
    }

    #[test]
    fn dummies_that_sum_to_one_do_not_break_it() {
        // Two dummies (always summing to 1) and a copy of a column: rank 2, predictions exact.
        let rows: Vec<[f64; 4]> = (0..8).map(|i| [i as f64, (i % 2) as f64, 1.0 - (i % 2) as f64, i as f64]).collect();
        let x: Vec<f64> = rows.iter().flatten().copied().collect();
        let y: Vec<f64> = rows.iter().map(|r| 1.0 + 0.5 * r[0] + 4.0 * r[1]).collect();
        let f = LinearFit::fit(&x, 4, &y, &(0..8).collect::<Vec<_>>());
        assert_eq!(f.rank, 2);
        for (r, t) in rows.iter().zip(&y) {
            assert!((f.predict(r) - t).abs() < 1e-9, "{} vs {t}", f.predict(r));
        }
        assert_eq!(rmse(&[1.0, 3.0], &[2.0, 2.0]), 1.0);
    }
}
