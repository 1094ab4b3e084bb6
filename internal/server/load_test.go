package server

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/followuphq/followup/internal/termtest"
	"github.com/followuphq/followup/store"
)

// BenchmarkSessions runs the real `followup serve` as its own process on a
// 300-lead demo database and opens 100 rep sessions over SSH from this
// one, measuring what the issue asks: server memory per session, time to
// each session's first frame, how long one session's write takes to reach
// all the others, and the server's CPU while 50 sessions sit idle. Run it
// alone: go test ./internal/server -run XXX -bench Sessions -benchtime 1x
func BenchmarkSessions(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "followup")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/followup").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	env := append(os.Environ(), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_DATA_HOME="+filepath.Join(dir, "data"))
	db := filepath.Join(dir, "load.db")
	run := func(args ...string) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("followup %v: %v\n%s", args, err, out)
		}
	}
	run("demo", "--no-tui", "--leads", "300", "--db", db)
	signer, line := newKey(b)
	s, err := store.Open(db, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	alice, err := s.Rep("alice")
	if err != nil {
		b.Fatal(err)
	}
	alice.Keys = []string{line}
	if err := s.PutRep(alice); err != nil {
		b.Fatal(err)
	}
	s.Close()

	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	srv := exec.Command(bin, "serve", "--ssh", addr, "--db", db)
	srv.Env = env
	if err := srv.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { srv.Process.Signal(os.Interrupt); srv.Wait() }()
	for i := 0; ; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if i > 200 {
			b.Fatal("the server did not start")
		}
		time.Sleep(25 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	rss0 := rss(b, srv.Process.Pid)

	const n = 100
	sessions := make([]*loadSession, n)
	firstFrame := make([]time.Duration, n)
	var wg sync.WaitGroup
	for i := range sessions {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			start := time.Now()
			ls, err := openSession(addr, signer)
			if err != nil {
				b.Error(err)
				return
			}
			sessions[i] = ls
			if !ls.waitFor("Queue · ", 10*time.Second) {
				b.Errorf("session %d: no first frame", i)
			}
			firstFrame[i] = time.Since(start)
		}(i)
	}
	wg.Wait()
	if b.Failed() {
		return
	}
	time.Sleep(500 * time.Millisecond)
	rss1 := rss(b, srv.Process.Pid)

	// One more session, opened alone while the 100 are open.
	var alone []time.Duration
	for i := 0; i < 5; i++ {
		start := time.Now()
		ls, err := openSession(addr, signer)
		if err != nil || !ls.waitFor("Queue · ", 10*time.Second) {
			b.Fatalf("the 101st session: %v", err)
		}
		alone = append(alone, time.Since(start))
		ls.client.Close()
	}
	slices.Sort(alone)

	// One session closes the top lead; every session must show one lead fewer.
	countBefore := queueCount(sessions[0].screen.String())
	start := time.Now()
	sessions[0].keys.Write([]byte("8"))
	sessions[0].waitFor("Log won", 5*time.Second)
	sessions[0].keys.Write([]byte("\r"))
	want := fmt.Sprintf("Queue · %d open", countBefore-1)
	reach := make([]time.Duration, n)
	for i, ls := range sessions {
		wg.Add(1)
		go func(i int, ls *loadSession) {
			defer wg.Done()
			if !ls.waitFor(want, 10*time.Second) {
				b.Errorf("session %d never showed %q", i, want)
			}
			reach[i] = time.Since(start)
		}(i, ls)
	}
	wg.Wait()

	// Half the sessions leave; measure the server's CPU with 50 idle.
	for _, ls := range sessions[50:] {
		ls.client.Close()
	}
	time.Sleep(time.Second)
	cpu0, wall0 := cpuTime(b, srv.Process.Pid), time.Now()
	time.Sleep(10 * time.Second)
	cpu := float64(cpuTime(b, srv.Process.Pid)-cpu0) / float64(time.Since(wall0))

	slices.Sort(firstFrame)
	slices.Sort(reach)
	b.ReportMetric(float64(rss1-rss0)/n/1024, "KiB/session")
	b.ReportMetric(float64(firstFrame[n/2].Milliseconds()), "herd-first-frame-p50-ms")
	b.ReportMetric(float64(firstFrame[n-1].Milliseconds()), "herd-first-frame-max-ms")
	b.ReportMetric(float64(alone[len(alone)/2].Milliseconds()), "101st-first-frame-ms")
	b.ReportMetric(float64(reach[n-1].Milliseconds()), "update-all-ms")
	b.ReportMetric(cpu*100, "idle-cpu-%-50-sessions")
	for _, ls := range sessions[:50] {
		ls.client.Close()
	}
}

type loadSession struct {
	client *gossh.Client
	screen *termtest.Screen
	keys   interface{ Write([]byte) (int, error) }
}

func openSession(addr string, signer gossh.Signer) (*loadSession, error) {
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "alice", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
	if err != nil {
		return nil, err
	}
	sess, err := c.NewSession()
	if err != nil {
		return nil, err
	}
	if err := sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
		return nil, err
	}
	out := &termtest.Screen{}
	sess.Stdout, sess.Stderr = out, out
	in, err := sess.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := sess.Shell(); err != nil {
		return nil, err
	}
	return &loadSession{client: c, screen: out, keys: in}, nil
}

func (ls *loadSession) waitFor(text string, d time.Duration) bool {
	return ls.screen.Await(text, time.Now().Add(d))
}

// queueCount reads the latest "Queue · N open" from a screen.
func queueCount(s string) int {
	i := strings.LastIndex(s, "Queue · ")
	if i < 0 {
		return -1
	}
	var n int
	fmt.Sscanf(s[i+len("Queue · "):], "%d", &n)
	return n
}

// rss is a process's resident memory in bytes (Linux).
func rss(tb testing.TB, pid int) int64 {
	tb.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) >= 2 && fields[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(fields[1], 10, 64)
			return kb * 1024
		}
	}
	tb.Fatal("no VmRSS")
	return 0
}

// cpuTime is a process's user and system CPU time so far (Linux).
func cpuTime(tb testing.TB, pid int) time.Duration {
	tb.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		tb.Fatal(err)
	}
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // clock ticks of 1/100 s
}
