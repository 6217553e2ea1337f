package main

import (
	"encoding/json"
	"fmt"
	"io"
)

// printEigen prints the report as JSON or as a short text summary.
func printEigen(w io.Writer, c eigenConfig, r *eigenReport) error {
	if c.json {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	fmt.Fprintf(w, "wrote %s: (%d, %d, %d) float32, the top %d eigenvectors of the symmetric Jacobian of %s at %s + noise σ=%g\n",
		r.Out, r.K, r.Height, r.Width, r.K, r.Net, r.Image, r.Sigma)
	conv := "converged"
	if !r.Converged {
		conv = "NOT converged: raise --krylov"
	}
	fmt.Fprintf(w, "Lanczos: %d steps of at most %d (%s), %.2f s; largest residual %.2g\n", r.Krylov, r.KrylovMax, conv, r.LanczosSecs, maxFloat(r.Residuals))
	fmt.Fprintln(w, "  k   eigenvalue   residual   <x,e_k>")
	for i, v := range r.Eigenvalues {
		if i < 8 || i == len(r.Eigenvalues)-1 || (i+1)%16 == 0 {
			fmt.Fprintf(w, "  %-3d %10.6f  %9.2g  %9.4f\n", i+1, v, r.Residuals[i], r.Coefficients[i])
		}
	}
	fmt.Fprintf(w, "tr J = %.2f ± %.2f (Hutchinson, %d probes); antisymmetry ‖(J−Jᵀ)/2‖_F/‖J‖_F = %.4f ± %.4f\n",
		r.Trace.Value, r.Trace.StdErr, r.Trace.Probes, r.Antisymmetry.Value, r.Antisymmetry.StdErr)
	fmt.Fprintf(w, "SURE %.4g ± %.2g, true MSE %.4g (noisy %.4g); PSNR %.2f → %.2f dB; %.2f s\n",
		r.SURE, r.SURESE, r.MSE, r.MSENoisy, r.PSNRIn, r.PSNROut, r.Seconds)
	return nil
}

func maxFloat(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}
