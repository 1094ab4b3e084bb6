package store_test

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// A slice whose transaction fails (here the file may not grow past 512
// KB, as on a full disk) leaves an import that can only be taken back: later
// slices and Commit refuse, and taking it back leaves the database as it
// was. The test runs itself again in a process with the file size limit.
func TestImportAfterAFailedCommit(t *testing.T) {
	dir := os.Getenv("FOLLOWUP_FAILED_COMMIT_DIR")
	if dir == "" {
		dir = t.TempDir()
		cmd := exec.Command(os.Args[0], "-test.run=^TestImportAfterAFailedCommit$", "-test.count=1")
		cmd.Env = append(os.Environ(), "FOLLOWUP_FAILED_COMMIT_DIR="+dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("in the limited process: %v\n%s", err, out)
		}
		if strings.Contains(string(out), "--- SKIP") {
			t.Skipf("the limited process skipped:\n%s", out)
		}
		return
	}
	s, err := store.Open(dir+"/leads.db", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustAddRep(t, s, "alice")
	signal.Ignore(syscall.SIGXFSZ) // a write past the limit fails with EFBIG instead
	limit := syscall.Rlimit{Cur: 512 << 10, Max: 512 << 10}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &limit); err != nil {
		t.Skipf("cannot limit the file size: %v", err)
	}
	im, err := s.BeginImport("leads.csv", time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	o := store.ArriveOptions{Assign: func() string { return "alice" }}
	if _, err := im.Arrive(people(0, 3), o); err != nil {
		t.Fatalf("a small slice: %v", err)
	}
	// The slice is decided, then written while the next is read: its
	// failure is told by the next Arrive.
	if _, err := im.Arrive(people(3, 5000), o); err != nil {
		t.Logf("the slice past the file size limit: %v", err)
	}
	if _, err := im.Arrive(people(5003, 3), o); err == nil || !strings.Contains(err.Error(), "take the import back") {
		t.Errorf("a slice after the failed one: %v; want it refused", err)
	}
	if err := im.Commit(); err == nil || !strings.Contains(err.Error(), "take the import back") {
		t.Errorf("Commit after the failed slice: %v; want it refused", err)
	}
	if err := im.Abort(); err != nil {
		t.Fatalf("taking the import back: %v", err)
	}
	if n := leadCount(t, s); n != 0 {
		t.Errorf("%d leads after taking the import back, want 0", n)
	}
	mustCheck(t, s, cadence.DefaultPolicy(time.UTC))
}

// people are n arrivals of different people, numbered from first.
func people(first, n int) []store.Arrival {
	out := make([]store.Arrival, n)
	for i := range out {
		at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		out[i] = store.Arrival{Lead: cadence.Lead{Name: fmt.Sprintf("Person %d", first+i), Email: fmt.Sprintf("p%d@example.com", first+i),
			ReceivedAt: at, EnteredAt: at, AssignedAt: at, Interactions: 1}}
	}
	return out
}
