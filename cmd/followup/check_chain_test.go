package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// followup check on a database whose touch log was edited with another
// tool (here bbolt itself): exit 1, and the first line names the touch.
func TestCheckNamesATouchEditedOutsideFollowup(t *testing.T) {
	dir := t.TempDir()
	db, cfg := filepath.Join(dir, "f.db"), filepath.Join(dir, "config.toml")
	cli := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(append(args, "--db", db, "--config", cfg), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	must := func(args ...string) {
		t.Helper()
		if code, out, errs := cli(args...); code != 0 {
			t.Fatalf("followup %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
		}
	}
	if err := os.WriteFile(cfg, nil, 0o600); err != nil { // the defaults
		t.Fatal(err)
	}
	must("reps", "add", "alice", "--role", "rep")
	must("add", "--name", "Dana Scully", "--owner", "alice", "--now", "2026-11-23T10:00:00-05:00")
	must("log", "1", "--outcome", "no-answer", "--note", "first try", "--now", "2026-11-23T10:10:00-05:00")
	must("log", "1", "--outcome", "voicemail", "--note", "left word", "--now", "2026-11-24T10:10:00-05:00")
	must("log", "1", "--outcome", "connected", "--note", "call back", "--now", "2026-11-25T10:10:00-05:00")
	if code, out, _ := cli("check"); code != 0 || !strings.Contains(out, "every touch holds the hash of the one before it") {
		t.Fatalf("check before: exit %d, %s", code, out)
	}

	// Another program rewrites touch 2's note, keeping the record's length.
	raw, err := bolt.Open(db, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bolt.Tx) error {
		key := binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, 1), 2)
		b := tx.Bucket([]byte("touches"))
		v := b.Get(key)
		if !bytes.Contains(v, []byte("left word")) {
			t.Fatalf("touch 2 is not where the test expects it: %x", v)
		}
		return b.Put(key, bytes.Replace(v, []byte("left word"), []byte("sent word"), 1))
	})
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}

	code, out, errs := cli("check")
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	want := db + ": touch 2 of lead 1: its bytes do not match the hash the next touch (3) holds of them; the log was changed outside followup (a touch edited, or one between them removed)"
	if code != 1 || out != "" || len(lines) != 2 || lines[0] != want ||
		!strings.HasPrefix(lines[1], "followup check: "+db+" has 1 problem; stop followup and copy the latest good backup over it") {
		t.Fatalf("check after the edit: exit %d\nstdout %q\nstderr:\n%s\nwant first line:\n%s", code, out, errs, want)
	}
}
