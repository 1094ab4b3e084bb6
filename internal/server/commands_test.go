package server

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

// runCommand runs command over SSH as user and returns its output, its
// errors and its exit status.
func (f *fixture) runCommand(t *testing.T, user, command string) ([]byte, string, int) {
	t.Helper()
	c, err := f.dial(user, gossh.PublicKeys(f.keys[user]))
	if err != nil {
		t.Fatalf("dial as %s: %v", user, err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var stdout, stderr bytes.Buffer
	sess.Stdout, sess.Stderr = &stdout, &stderr
	err = sess.Run(command)
	var exit *gossh.ExitError
	switch {
	case errors.As(err, &exit):
		return stdout.Bytes(), stderr.String(), exit.ExitStatus()
	case err != nil:
		t.Fatalf("%s as %s: %v", command, user, err)
	}
	return stdout.Bytes(), stderr.String(), 0
}

// An admin's "ssh HOST backup" streams a copy of the database in use that
// opens and checks clean; reps, managers and other commands are refused
// with a sentence and exit 1, and get no byte of the database.
func TestBackupOverSSH(t *testing.T) {
	f := start(t)
	signer, line := newKey(t)
	f.keys["root"] = signer
	if err := f.store.AddRep(cadence.Rep{Name: "root", Role: cadence.RoleAdmin, Keys: []string{line}}); err != nil {
		t.Fatal(err)
	}

	out, errs, code := f.runCommand(t, "root", "backup")
	if code != 0 || errs != "" || len(out) == 0 {
		t.Fatalf("backup as admin: exit %d, %d bytes, stderr %q", code, len(out), errs)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	copied, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open the streamed copy: %v", err)
	}
	defer copied.Close()
	if st, err := copied.Stats(); err != nil || st.Leads != 2 || st.Reps != 4 {
		t.Errorf("the copy holds %+v, %v; want 2 leads and 4 reps", st, err)
	}
	if problems, err := copied.Check(cadence.DefaultPolicy(ny)); err != nil || len(problems) > 0 {
		t.Errorf("check of the copy: %v %v", problems, err)
	}

	for _, tc := range []struct{ user, command, want string }{
		{"alice", "backup", "followup: backup is for admins; alice is not one"},
		{"maria", "backup", "followup: backup is for admins; maria is not one"},
		{"root", "rm -rf /", `followup: "rm -rf /" is not a command of the server`},
		{"root", "backup now", `followup: "backup now" is not a command of the server`},
	} {
		out, errs, code := f.runCommand(t, tc.user, tc.command)
		if code != 1 || len(out) != 0 || !strings.HasPrefix(errs, tc.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%s as %s: exit %d, %d bytes out, stderr %q; want exit 1, nothing out, %q", tc.command, tc.user, code, len(out), errs, tc.want)
		}
	}
}
