package snapshot

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// A schedule on a real database keeps the newest Keep snapshots, each a
// sound database with the data of its moment, and leaves other files be.
func TestScheduleKeepsTheNewest(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(filepath.Join(dir, "followup.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.AddRep(cadence.Rep{Name: "alice", Role: cadence.RoleRep}); err != nil {
		t.Fatal(err)
	}
	snaps := filepath.Join(dir, "backups")
	if err := os.MkdirAll(snaps, 0o700); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(snaps, "followup-keep-me.db")
	if err := os.WriteFile(foreign, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	sched := &Schedule{Source: s, Dir: snaps, Keep: 2}
	ticks := make(chan time.Time)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { sched.Run(ctx, ticks); close(done) }()
	start := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	for i := range 3 {
		at := start.Add(time.Duration(i) * 24 * time.Hour)
		if _, err := s.AddLead(cadence.Lead{Name: "lead", Owner: "alice", ReceivedAt: at}); err != nil {
			t.Fatal(err)
		}
		ticks <- at
	}
	cancel()
	<-done // Run finishes the snapshot it was taking before it sees the end
	got, err := sched.List()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"followup-20261124T150000Z.db", "followup-20261125T150000Z.db"}
	if !slices.Equal(got, want) {
		t.Fatalf("snapshots %v, want %v", got, want)
	}
	if _, err := os.Stat(foreign); err != nil {
		t.Errorf("a file that is not a snapshot was removed: %v", err)
	}
	for i, name := range want {
		snap, err := store.Open(filepath.Join(snaps, name), store.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		st, err := snap.Stats()
		if err != nil || st.Leads != i+2 {
			t.Errorf("%s: %d leads, %v; want %d", name, st.Leads, err, i+2)
		}
		if problems, err := snap.Check(cadence.DefaultPolicy(time.UTC)); err != nil || len(problems) > 0 {
			t.Errorf("%s: check %v %v", name, problems, err)
		}
		fi, _ := os.Stat(filepath.Join(snaps, name))
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", name, fi.Mode().Perm())
		}
		snap.Close()
	}
}

// A snapshot that cannot be written is an error naming the folder, and the
// schedule goes on.
func TestTakeIntoAFileFails(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(filepath.Join(dir, "followup.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	sched := &Schedule{Source: s, Dir: notDir, Keep: 1}
	if _, _, err := sched.Take(time.Now()); err == nil {
		t.Fatal("a snapshot into a file that is not a folder succeeded")
	}
}
