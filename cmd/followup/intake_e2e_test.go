package main

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeIntake runs the real binary's serve --intake and posts a lead
// over loopback: 201 with its id and owner, and it is on disk.
func TestServeIntake(t *testing.T) {
	dir := t.TempDir()
	bin := buildFollowup(t, dir)
	env := append(os.Environ(), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_DATA_HOME="+filepath.Join(dir, "data"))
	run := func(args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("followup %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	run("reps", "add", "alice", "--role", "rep")
	cfg := filepath.Join(dir, "config", "followup", "config.toml")
	os.MkdirAll(filepath.Dir(cfg), 0o700)
	if err := os.WriteFile(cfg, []byte("[intake]\ntoken = \"s3cret\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	free := func() string {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		defer ln.Close()
		return ln.Addr().String()
	}
	web := free()
	srv := exec.Command(bin, "serve", "--ssh", free(), "--intake", web)
	srv.Env = env
	stdout, _ := srv.StdoutPipe()
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Process.Signal(os.Interrupt); srv.Wait() }()
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && !strings.Contains(sc.Text(), "reps connect with") {
	}
	req, _ := http.NewRequest(http.MethodPost, "http://"+web+"/v1/leads", strings.NewReader(`{"name":"Dana Scully","phone":"(312) 555-0142"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer s3cret")
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		ID    int    `json:"id"`
		Owner string `json:"owner"`
	}
	json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || out.ID != 1 || out.Owner != "alice" {
		t.Fatalf("POST: %d %+v", resp.StatusCode, out)
	}
	srv.Process.Signal(os.Interrupt)
	srv.Wait()
	if leads := run("export", "leads", "--format", "json"); !strings.Contains(leads, `"phone":"+13125550142"`) {
		t.Errorf("export after intake: %s", leads)
	}
}
