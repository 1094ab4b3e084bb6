package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/store"
)

var (
	crashTrials = flag.Int("crash.trials", 21, "how many times TestCrashSafety kills followup (at least 100 for the record in BENCHMARKS.md)")
	crashSeed   = flag.Uint64("crash.seed", 0, "the seed of TestCrashSafety's kill moments and data (0: from the clock; the seed used is printed)")
)

// TestCrashSafety runs the real binary writing (an import, a run of
// followup log, serve --intake under a stream of POSTs) and kills it with
// SIGKILL at a random moment, trial after trial on one database. After
// each kill the database must open, followup check must find it sound, and
// every write followup acknowledged, in this trial or any before, must be
// there: an import that printed its summary, a log that printed "logged …
// (touch N)", an intake POST answered 201 with an id.
func TestCrashSafety(t *testing.T) {
	seed := *crashSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (rerun with -crash.seed %d)", seed, seed)
	h := newCrashHarness(t, seed)
	for trial := 0; trial < *crashTrials; trial++ {
		var what string
		switch trial % 3 {
		case 0:
			what = h.importTrial(trial)
		case 1:
			what = h.logTrial()
		case 2:
			what = h.serveTrial()
		}
		h.trials++
		if testing.Verbose() {
			t.Logf("trial %d: %s", trial, what)
		}
		if err := h.verify(); err != nil {
			t.Fatalf("trial %d (%s, seed %d): %v", trial, what, seed, err)
		}
	}
	acked := len(h.leads) + len(h.touches)
	t.Logf("%d trials (%d kills landed while followup ran): %d acknowledged writes (%d leads: %d imported, %d by intake; %d touches logged), %d unacknowledged attempts, 0 lost",
		h.trials, h.midWrite, acked, len(h.leads), h.imported, h.posted, len(h.touches), h.unacked)
}

// crashHarness holds one database and everything followup acknowledged
// writing to it.
type crashHarness struct {
	t        *testing.T
	rng      *rand.Rand
	dir, bin string
	db, cfg  string
	now      time.Time // each command runs a minute after the one before

	leads   map[string]cadence.LeadID // acknowledged leads by email (0: imported, id not printed)
	touches map[cadence.TouchID]cadence.LeadID
	open    []cadence.LeadID // leads the log trials touch (they stay open)

	trials, midWrite, unacked int
	imported, posted          int
}

func newCrashHarness(t *testing.T, seed uint64) *crashHarness {
	dir := t.TempDir()
	h := &crashHarness{t: t, rng: rand.New(rand.NewPCG(seed, 7)), dir: dir, bin: buildFollowup(t, dir),
		db: filepath.Join(dir, "crash.db"), cfg: filepath.Join(dir, "config.toml"),
		now:   time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC),
		leads: map[string]cadence.LeadID{}, touches: map[cadence.TouchID]cadence.LeadID{}}
	if err := os.WriteFile(h.cfg, []byte("[intake]\ntoken = \"crash-token\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.run("reps", "add", "alice", "--role", "rep")
	h.run("reps", "add", "bob", "--role", "rep")
	for i := range 4 {
		out := h.run("add", "--name", fmt.Sprintf("Seed %d", i), "--email", fmt.Sprintf("seed%d@example.com", i), "--owner", []string{"alice", "bob"}[i%2], "--now", h.tick())
		id := leadIDIn(t, out)
		h.leads[fmt.Sprintf("seed%d@example.com", i)] = id
		h.open = append(h.open, id)
	}
	return h
}

var leadIDRe = regexp.MustCompile(`lead (\d+)`)

func leadIDIn(t *testing.T, out string) cadence.LeadID {
	t.Helper()
	m := leadIDRe.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no lead id in %q", out)
	}
	id, _ := strconv.ParseUint(m[1], 10, 64)
	return cadence.LeadID(id)
}

// tick returns the next command's --now.
func (h *crashHarness) tick() string {
	h.now = h.now.Add(time.Minute)
	return h.now.Format(time.RFC3339)
}

func (h *crashHarness) command(args ...string) *exec.Cmd {
	cmd := exec.Command(h.bin, append(args, "--db", h.db, "--config", h.cfg)...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+filepath.Join(h.dir, "xdg-config"), "XDG_DATA_HOME="+filepath.Join(h.dir, "xdg-data"), "TZ=UTC")
	return cmd
}

// run runs a command that must succeed (set-up and checks, never killed).
func (h *crashHarness) run(args ...string) string {
	h.t.Helper()
	out, err := h.command(args...).CombinedOutput()
	if err != nil {
		h.t.Fatalf("followup %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// killAfter sends SIGKILL to cmd's process after d, unless stopped first.
func killAfter(cmd *exec.Cmd, d time.Duration) *time.Timer {
	return time.AfterFunc(d, func() { _ = cmd.Process.Signal(syscall.SIGKILL) })
}

// killed reports whether a finished command died of SIGKILL.
func killed(err error) bool {
	ee, ok := err.(*exec.ExitError)
	if !ok {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// importTrial imports a CSV of new leads and kills the import within about
// the time it takes.
func (h *crashHarness) importTrial(trial int) string {
	file := filepath.Join(h.dir, fmt.Sprintf("trial%d.csv", trial))
	var csv strings.Builder
	csv.WriteString("First Name,Last Name,Email,Company\n")
	rows := 100 + h.rng.IntN(400)
	emails := make([]string, rows)
	for i := range rows {
		emails[i] = fmt.Sprintf("import%d.%d@example.com", trial, i)
		fmt.Fprintf(&csv, "Row%d,Trial%d,%s,\"Company %d, Inc.\"\n", i, trial, emails[i], i)
	}
	if err := os.WriteFile(file, []byte(csv.String()), 0o600); err != nil {
		h.t.Fatal(err)
	}
	cmd := h.command("import", file, "--now", h.tick())
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stdout
	if err := cmd.Start(); err != nil {
		h.t.Fatal(err)
	}
	timer := killAfter(cmd, time.Duration(h.rng.IntN(120))*time.Millisecond)
	err := cmd.Wait()
	timer.Stop()
	acked := strings.Contains(stdout.String(), fmt.Sprintf("imported %s: %d new leads", file, rows))
	switch {
	case acked:
		for _, e := range emails {
			h.leads[e] = 0
		}
		h.imported += rows
	case killed(err):
		h.midWrite++
		h.unacked += rows
	default:
		h.t.Fatalf("import: %v\n%s", err, stdout.String())
	}
	return fmt.Sprintf("import of %d rows, acknowledged %v", rows, acked)
}

var loggedRe = regexp.MustCompile(`^logged \S+ on lead (\d+) \(touch (\d+)\)`)

// logTrial runs followup log again and again on the open leads, and kills
// whichever run is going at a random moment.
func (h *crashHarness) logTrial() string {
	deadline := time.Now().Add(time.Duration(h.rng.IntN(500)) * time.Millisecond)
	outcomes := []string{"no-answer", "voicemail", "connected"}
	runs := 0
	for {
		lead := h.open[h.rng.IntN(len(h.open))]
		cmd := h.command("log", strconv.FormatUint(uint64(lead), 10), "--outcome", outcomes[h.rng.IntN(len(outcomes))],
			"--note", fmt.Sprintf("run %d", runs), "--now", h.tick())
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			h.t.Fatal(err)
		}
		runs++
		timer := killAfter(cmd, max(0, time.Until(deadline)))
		err := cmd.Wait()
		timer.Stop()
		if m := loggedRe.FindStringSubmatch(stdout.String()); m != nil {
			id, _ := strconv.ParseUint(m[2], 10, 64)
			h.touches[cadence.TouchID(id)] = lead
		}
		switch {
		case killed(err):
			h.midWrite++
			h.unacked++
			return fmt.Sprintf("log, killed in run %d", runs)
		case err != nil:
			h.t.Fatalf("log: %v\n%s%s", err, stdout.String(), stderr.String())
		}
	}
}

// serveTrial starts serve --intake, posts new leads from four clients as
// soon as it listens, and kills the server at a random moment.
func (h *crashHarness) serveTrial() string {
	cmd := h.command("serve", "--ssh", freeAddr(h.t), "--intake", freeAddr(h.t))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		h.t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		h.t.Fatal(err)
	}
	timer := killAfter(cmd, time.Duration(h.rng.IntN(400))*time.Millisecond)
	defer timer.Stop()
	url := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "followup takes leads at "); ok {
				url <- rest
			}
		}
		close(url)
	}()
	type ack struct {
		email string
		id    cadence.LeadID
	}
	var (
		mu      sync.Mutex
		acks    []ack
		tries   int
		workers sync.WaitGroup
	)
	if u, ok := <-url; ok {
		client := &http.Client{Timeout: 10 * time.Second}
		base := h.rng.Uint64()
		for w := range 4 {
			workers.Add(1)
			go func() {
				defer workers.Done()
				for i := 0; ; i++ {
					email := fmt.Sprintf("intake%x.%d.%d@example.com", base, w, i)
					body := fmt.Sprintf(`{"name":"Intake %d %d","email":%q,"company":"Posted"}`, w, i, email)
					req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer crash-token")
					mu.Lock()
					tries++
					mu.Unlock()
					resp, err := client.Do(req)
					if err != nil {
						return // the server is gone
					}
					var out struct {
						ID cadence.LeadID `json:"id"`
					}
					derr := json.NewDecoder(resp.Body).Decode(&out)
					resp.Body.Close()
					if resp.StatusCode != http.StatusCreated || derr != nil || out.ID == 0 {
						h.t.Errorf("POST %s: %d (%v)", body, resp.StatusCode, derr)
						return
					}
					mu.Lock()
					acks = append(acks, ack{email, out.ID})
					mu.Unlock()
				}
			}()
		}
	}
	err = cmd.Wait()
	workers.Wait()
	if !killed(err) {
		h.t.Fatalf("serve ended before the kill: %v\n%s", err, stderr.String())
	}
	h.midWrite++
	for _, a := range acks {
		h.leads[a.email] = a.id
	}
	h.posted += len(acks)
	h.unacked += tries - len(acks)
	return fmt.Sprintf("serve, %d of %d POSTs answered 201", len(acks), tries)
}

// freeAddr returns a loopback address no one listens on now.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// verify checks the database after a kill: followup check finds it sound,
// and every acknowledged lead and touch is in it.
func (h *crashHarness) verify() error {
	// stdout only: on stderr check may say it took back an import the
	// kill cut short (never acknowledged, so nothing to find).
	cmd := h.command("check")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || !strings.HasPrefix(string(out), "ok: ") {
		return fmt.Errorf("followup check after the kill: %v\n%s%s", err, out, stderr.String())
	}
	if note := stderr.String(); note != "" && !strings.Contains(note, "did not finish (the process was stopped)") {
		return fmt.Errorf("followup check after the kill said on stderr: %s", note)
	}
	s, err := store.Open(h.db, store.Options{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("open after the kill: %w", err)
	}
	defer s.Close()
	for email, id := range h.leads {
		got, found, err := s.FindContact(email, "")
		switch {
		case err != nil:
			return err
		case !found:
			return fmt.Errorf("lost write: the lead %s (id %d) was acknowledged and is not in the database", email, id)
		case id != 0 && got != id:
			return fmt.Errorf("lost write: the lead %s was acknowledged as id %d and is stored as %d", email, id, got)
		}
	}
	for _, lead := range h.open {
		ts, err := s.Touches(lead)
		if err != nil {
			return err
		}
		have := map[cadence.TouchID]bool{}
		for _, tc := range ts {
			have[tc.ID] = true
		}
		for id, l := range h.touches {
			if l == lead && !have[id] {
				return fmt.Errorf("lost write: touch %d of lead %d was acknowledged and is not in the database", id, lead)
			}
		}
	}
	return nil
}
