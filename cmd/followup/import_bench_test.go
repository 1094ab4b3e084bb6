package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

var (
	importRows   = flag.Int("import.rows", 100_000, "rows in the CSV of BenchmarkImport")
	importPhones = flag.Bool("import.phones", true, "whether the rows of BenchmarkImport have phone numbers")
	importEnv    = flag.String("import.env", "", "an environment variable for the import process of BenchmarkImport, e.g. GOMAXPROCS=1")
)

// areaCodes are real US area codes across the four mainland time zones, so
// the numbers in the benchmark's file are as varied as a real export's.
var areaCodes = []int{201, 202, 212, 213, 214, 215, 303, 305, 310, 312, 313, 314, 404, 415, 503, 512,
	602, 612, 617, 702, 713, 718, 720, 801, 804, 813, 832, 858, 917, 919, 949, 971}

// writeExport writes a HubSpot-style export of n rows, one in twenty the
// same person again (another way to write the number).
func writeExport(tb testing.TB, path string, n int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	fmt.Fprint(w, "First Name,Last Name,Email,Phone Number,Company Name,Job Title,Create Date,Lead Source\r\n")
	for i := range n {
		person := i
		if i%20 == 19 {
			person = rng.IntN(i) // someone from earlier, again
		}
		prng := rand.New(rand.NewPCG(uint64(person), 7))
		npa, nxx, line := areaCodes[prng.IntN(len(areaCodes))], 200+prng.IntN(800), prng.IntN(10000)
		phone := fmt.Sprintf("(%d) %d-%04d", npa, nxx, line)
		if person != i {
			phone = fmt.Sprintf("+1 %d.%d.%04d", npa, nxx, line)
		}
		if !*importPhones {
			phone = ""
		}
		fmt.Fprintf(w, "First%d,Last%d,person%d@example.com,%s,\"Company %d, Inc.\",Buyer,2026-11-%02d %02d:%02d,webinar\r\n",
			person, person, person, phone, person%5000, 1+person%20, 8+person%9, person%60)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkImport imports a -import.rows CSV export into a new database
// with the real binary, and reports rows per second and the process's
// peak memory (max RSS).
//
//	go test ./cmd/followup -run XXX -bench Import -benchtime 1x -import.rows 100000
func BenchmarkImport(b *testing.B) {
	dir := b.TempDir()
	bin := buildFollowup(b, dir)
	file := filepath.Join(dir, "export.csv")
	writeExport(b, file, *importRows)
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), nil, 0o600); err != nil { // the defaults
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		db := filepath.Join(dir, fmt.Sprintf("import%d.db", i))
		cfg := filepath.Join(dir, "config.toml")
		env := []string{"--db", db, "--config", cfg, "--now", "2026-11-23T10:00:00-05:00"}
		for _, rep := range []string{"alice", "bob", "carol"} {
			if out, err := exec.Command(bin, append([]string{"reps", "add", rep, "--role", "rep"}, env...)...).CombinedOutput(); err != nil {
				b.Fatalf("reps add: %v\n%s", err, out)
			}
		}
		cmd := exec.Command(bin, append([]string{"import", file}, env...)...)
		if *importEnv != "" {
			cmd.Env = append(os.Environ(), *importEnv)
		}
		start := time.Now()
		out, err := cmd.CombinedOutput()
		elapsed := time.Since(start)
		if err != nil {
			b.Fatalf("import: %v\n%s", err, out)
		}
		b.ReportMetric(float64(*importRows)/elapsed.Seconds(), "rows/s")
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			b.ReportMetric(float64(ru.Maxrss)/1024, "peak-MB")
		}
	}
}
