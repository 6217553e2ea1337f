package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
)

// runServe serves a built site folder over HTTP on a loopback address by
// default and prints its URL.
func runServe(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", envOr("ADDR", "127.0.0.1:8080"), "address to listen on (ADDR overrides the default)")
	dir := fs.String("dir", "dist", "folder to serve (make dist builds it)")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(*dir, "index.html")); err != nil {
		return fmt.Errorf("%s has no index.html: run `make dist` first", *dir)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Scalewise is at http://%s/  (single file: %s)\n", ln.Addr(), filepath.Join(*dir, "scalewise.html"))
	return http.Serve(ln, SiteHandler(*dir))
}

// SiteHandler serves dir with revalidation on every request, so a rebuilt
// site is picked up on reload.
func SiteHandler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
