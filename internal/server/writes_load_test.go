package server

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/termtest"
	"github.com/followuphq/followup/store"
)

var (
	loadDuration = flag.Duration("load.duration", 60*time.Second, "how long BenchmarkWriteLoad writes")
	loadSessions = flag.Int("load.sessions", 50, "rep sessions BenchmarkWriteLoad opens over SSH")
	loadRate     = flag.Int("load.rate", 50, "leads a second BenchmarkWriteLoad posts to the HTTP intake")
	loadThink    = flag.Duration("load.think", time.Second, "how long each rep of BenchmarkWriteLoad pauses after a write before the next (0: none)")
)

// loadConfig is one run of the write load.
type loadConfig struct {
	sessions int           // rep sessions over SSH, one rep each
	leads    int           // leads each rep starts with
	rate     int           // intake POSTs a second
	duration time.Duration // how long the sessions and the intake write
	think    time.Duration // a rep's pause between writes
	// killAfter, when set, SIGKILLs the server that long after the writes
	// start, instead of stopping it at the end: what was acknowledged
	// before the kill must be on disk all the same.
	killAfter time.Duration
}

// loadResult is what a run acknowledged, found on disk and measured.
type loadResult struct {
	touches, notes, leads  int // acknowledged: "logged …" shown, "note saved" shown, 201
	unacked                int // attempts with no acknowledgement in time (written or not)
	lost                   []string
	sshLat, httpLat        []time.Duration // sorted
	rssStart, rssPeak, hwm int64
	serverCores            float64 // the server's CPU time over the writing time
	clientCores            float64 // this process's (the SSH and HTTP clients')
}

// BenchmarkWriteLoad runs the real `followup serve --ssh --intake` on
// loopback while 50 rep sessions (real SSH clients with a pty) log
// outcomes and write notes through the workstation's keys, and the HTTP
// intake takes 50 new leads a second, for 60 s. Every write acknowledged —
// "logged …" or "note saved" on the rep's screen, 201 from the intake — is
// looked for in the database after the server has stopped: none may be
// missing. It reports write latency (key to confirmation on screen, POST
// to answer) and the server's memory. Run it alone:
//
//	go test ./internal/server -run XXX -bench WriteLoad -benchtime 1x [-load.duration 60s -load.sessions 50 -load.rate 50 -load.think 1s]
func BenchmarkWriteLoad(b *testing.B) {
	res := runWriteLoad(b, loadConfig{sessions: *loadSessions, leads: 10, rate: *loadRate, duration: *loadDuration, think: *loadThink})
	b.ReportMetric(float64(res.touches), "touches")
	b.ReportMetric(float64(res.notes), "notes")
	b.ReportMetric(float64(res.leads), "intake-leads")
	b.ReportMetric(float64(res.unacked), "unacked")
	b.ReportMetric(float64(len(res.lost)), "lost")
	b.ReportMetric(ms(pct(res.sshLat, 50)), "ssh-p50-ms")
	b.ReportMetric(ms(pct(res.sshLat, 99)), "ssh-p99-ms")
	b.ReportMetric(ms(pct(res.httpLat, 50)), "http-p50-ms")
	b.ReportMetric(ms(pct(res.httpLat, 99)), "http-p99-ms")
	b.ReportMetric(float64(res.rssStart)/(1<<20), "rss-start-MiB")
	b.ReportMetric(float64(res.rssPeak)/(1<<20), "rss-peak-MiB")
	b.ReportMetric(float64(res.hwm)/(1<<20), "hwm-MiB")
	b.ReportMetric(res.serverCores, "server-cores")
	b.ReportMetric(res.clientCores, "client-cores")
}

// TestWriteLoad is the same harness, small and short, so that CI keeps it
// working: 4 sessions and 20 leads a second for 2 s, nothing lost.
func TestWriteLoad(t *testing.T) {
	res := runWriteLoad(t, loadConfig{sessions: 4, leads: 4, rate: 20, duration: 2 * time.Second})
	if res.touches == 0 || res.notes == 0 || res.leads == 0 {
		t.Errorf("too few writes to judge: %d touches, %d notes, %d intake leads acknowledged", res.touches, res.notes, res.leads)
	}
}

var loadKills = flag.Int("load.kills", 1, "trials of TestWritesSurviveAKill")

// TestWritesSurviveAKill runs the write load (4 rep sessions saving notes
// and logging outcomes, the intake taking 20 leads a second) and kills
// the server with SIGKILL at a random moment: every write a rep saw
// acknowledged on the screen ("logged …", "note saved") and every 201 is
// in the database, which checks clean. -load.kills sets the trials.
func TestWritesSurviveAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the server and kills it")
	}
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	acked := 0
	for trial := range *loadKills {
		after := 500*time.Millisecond + time.Duration(rng.Int64N(int64(2500*time.Millisecond)))
		res := runWriteLoad(t, loadConfig{sessions: 4, leads: 4, rate: 20, duration: 10 * time.Second, killAfter: after})
		acked += res.touches + res.notes + res.leads
		if len(res.lost) > 0 {
			t.Fatalf("trial %d (kill after %v): %d acknowledged writes lost", trial, after, len(res.lost))
		}
	}
	if acked == 0 {
		t.Error("nothing was acknowledged before the kills: nothing was judged")
	}
	t.Logf("%d trials, %d acknowledged writes, 0 lost", *loadKills, acked)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// pct is the p-th percentile (nearest rank) of sorted durations.
func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p+99)/100 - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func runWriteLoad(tb testing.TB, cfg loadConfig) loadResult {
	tb.Helper()
	dir := tb.TempDir()
	bin := filepath.Join(dir, "followup")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/followup").CombinedOutput(); err != nil {
		tb.Fatalf("build: %v\n%s", err, out)
	}
	const token = "load-test-intake-token-0123456789"
	cfgDir := filepath.Join(dir, "config", "followup")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte("[intake]\ntoken = \""+token+"\"\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	env := append(os.Environ(), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_DATA_HOME="+filepath.Join(dir, "data"))
	db := filepath.Join(dir, "load.db")

	// The team: one rep per session, each with a key and a few leads.
	reps := make([]string, cfg.sessions)
	signers := make([]gossh.Signer, cfg.sessions)
	s, err := store.Open(db, store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	start := time.Now().Add(-2 * time.Hour)
	for i := range reps {
		reps[i] = fmt.Sprintf("rep%02d", i)
		var line string
		signers[i], line = newKey(tb)
		if err := s.AddRep(cadence.Rep{Name: reps[i], Role: cadence.RoleRep, Keys: []string{line}}); err != nil {
			tb.Fatal(err)
		}
		for j := range cfg.leads {
			at := start.Add(time.Duration(i*cfg.leads+j) * time.Second)
			if _, err := s.AddLead(cadence.Lead{Name: fmt.Sprintf("Lead %s-%d", reps[i], j), Owner: reps[i],
				Email: fmt.Sprintf("%s.%d@example.com", reps[i], j), ReceivedAt: at, EnteredAt: at, AssignedAt: at}); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := s.Close(); err != nil {
		tb.Fatal(err)
	}

	free := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().String()
	}
	sshAddr, webAddr := free(), free()
	srv := exec.Command(bin, "serve", "--ssh", sshAddr, "--intake", webAddr, "--db", db)
	srv.Env = env
	var serverOut termtest.Screen // the server's output, read while it runs
	srv.Stdout, srv.Stderr = &serverOut, &serverOut
	if err := srv.Start(); err != nil {
		tb.Fatal(err)
	}
	stopped := false
	exited := make(chan struct{})
	var killed atomic.Bool
	stopServer := func() {
		if stopped {
			return
		}
		stopped = true
		go func() { srv.Wait(); close(exited) }()
		if killed.Load() {
			<-exited
			return
		}
		t0 := time.Now()
		srv.Process.Signal(os.Interrupt)
		select {
		case <-exited:
			tb.Logf("the server stopped %v after SIGINT", time.Since(t0).Round(time.Millisecond))
		case <-time.After(20 * time.Second):
			srv.Process.Signal(syscall.SIGQUIT) // a Go process prints its goroutines
			select {
			case <-exited:
			case <-time.After(5 * time.Second):
				srv.Process.Kill()
				<-exited
			}
			tb.Errorf("the server did not exit within 20 s of SIGINT; it wrote:\n%s", serverOut.String())
		}
	}
	defer stopServer()
	if !serverOut.Await("reps connect with", time.Now().Add(20*time.Second)) {
		tb.Fatalf("the server did not start:\n%s", serverOut.String())
	}

	var res loadResult
	res.rssStart = rss(tb, srv.Process.Pid)
	var mu sync.Mutex               // guards res and the acknowledged sets
	ackTouch := map[string]string{} // note text → rep
	ackNote := map[string]string{}
	ackLead := map[string]cadence.LeadID{} // email → id

	// The server's memory, sampled while it works.
	done := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if r, err := procStatusBytes(srv.Process.Pid, "VmRSS:"); err == nil {
					mu.Lock()
					res.rssPeak = max(res.rssPeak, r)
					mu.Unlock()
				}
			}
		}
	}()

	// Open every session first; the clock starts when all show their queue.
	sessions := make([]*repTerminal, cfg.sessions)
	var wg sync.WaitGroup
	for i := range sessions {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			rt, err := openRepTerminal(sshAddr, reps[i], signers[i])
			if err != nil {
				tb.Errorf("session of %s: %v", reps[i], err)
				return
			}
			if !rt.Await("Queue · ", time.Now().Add(30*time.Second)) {
				tb.Errorf("session of %s: no queue within 30 s", reps[i])
			}
			sessions[i] = rt
		}(i)
	}
	wg.Wait()
	if tb.Failed() {
		close(done)
		return res
	}
	cpu0, self0, wall0 := cpuTime(tb, srv.Process.Pid), cpuTime(tb, os.Getpid()), time.Now()
	end := wall0.Add(cfg.duration)
	if cfg.killAfter > 0 {
		killer := time.AfterFunc(cfg.killAfter, func() {
			mu.Lock() // no write is counted as acknowledged while it dies
			killed.Store(true)
			srv.Process.Kill()
			mu.Unlock()
		})
		defer killer.Stop()
	}
	running := func() bool { return time.Now().Before(end) && !killed.Load() }

	// The reps: an outcome (no-answer, voicemail, connected in turn) with a
	// note that names the write, then a note on the selected lead, and so on.
	outcomes := []struct{ key, label string }{{"1", "no answer"}, {"2", "voicemail"}, {"3", "connected"}}
	for i, rt := range sessions {
		wg.Add(1)
		go func(rep string, rt *repTerminal) {
			defer wg.Done()
			defer rt.client.Close()
			for k := 0; running(); k++ {
				text := fmt.Sprintf("load %s write %d", rep, k)
				limit := time.Now().Add(30 * time.Second)
				var ok bool
				var took time.Duration
				if k%2 == 0 {
					o := outcomes[(k/2)%len(outcomes)]
					rt.Mark()
					rt.keys.Write([]byte(o.key))
					if ok = rt.Await("Log "+o.label+" · ", limit); ok {
						rt.keys.Write([]byte(text))
						ok = rt.Await(text, limit)
					}
					if ok {
						rt.Mark()
						t0 := time.Now()
						rt.keys.Write([]byte("\r"))
						ok = rt.Await("logged "+o.label+" on ", limit)
						took = time.Since(t0)
					}
					mu.Lock()
					if ok {
						ackTouch[text] = rep
						res.sshLat = append(res.sshLat, took)
					}
					mu.Unlock()
				} else {
					rt.Mark()
					rt.keys.Write([]byte("e"))
					if ok = rt.Await("ctrl+s saves the note", limit); ok {
						rt.keys.Write([]byte(text))
						ok = rt.Await(text, limit)
					}
					if ok {
						rt.Mark()
						t0 := time.Now()
						rt.keys.Write([]byte("\x13")) // ctrl+s
						ok = rt.Await("note saved", limit)
						took = time.Since(t0)
					}
					mu.Lock()
					if ok {
						ackNote[text] = rep
						res.sshLat = append(res.sshLat, took)
					}
					mu.Unlock()
				}
				if !ok {
					mu.Lock()
					res.unacked++
					mu.Unlock()
					if killed.Load() {
						return // the server is gone; what it acknowledged is checked below
					}
					tb.Errorf("%s: write %d was not acknowledged within 30 s; the terminal last showed %q", rep, k, rt.Tail(3000))
					return
				}
				if cfg.think > 0 {
					time.Sleep(cfg.think) // pacing: a rep's pause between writes
				}
			}
		}(reps[i], rt)
	}

	// The intake: rate new leads a second, each POST on its own so that a
	// slow answer does not slow the arrivals.
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	tick := time.NewTicker(time.Second / time.Duration(cfg.rate))
	for n := 0; running(); n++ {
		<-tick.C
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			email := fmt.Sprintf("intake%d@example.com", n)
			body := fmt.Sprintf(`{"name":"Intake Lead %d","email":%q,"contact_me":true}`, n, email)
			req, _ := http.NewRequest(http.MethodPost, "http://"+webAddr+"/v1/leads", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
			t0 := time.Now()
			resp, err := client.Do(req)
			took := time.Since(t0)
			var out struct {
				ID cadence.LeadID `json:"id"`
			}
			if err == nil {
				json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil || resp.StatusCode != http.StatusCreated || out.ID == 0 {
				res.unacked++
				return
			}
			ackLead[email] = out.ID
			res.httpLat = append(res.httpLat, took)
		}(n)
	}
	tick.Stop()
	wg.Wait()
	close(done)
	sampler.Wait()
	if !killed.Load() {
		res.serverCores = float64(cpuTime(tb, srv.Process.Pid)-cpu0) / float64(time.Since(wall0))
		res.clientCores = float64(cpuTime(tb, os.Getpid())-self0) / float64(time.Since(wall0))
		if res.hwm, err = procStatusBytes(srv.Process.Pid, "VmHWM:"); err != nil {
			tb.Fatal(err)
		}
	}
	stopServer()

	// Every acknowledged write must be on disk.
	s, err = store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		tb.Fatalf("open the database after the run: %v", err)
	}
	defer s.Close()
	touchOnDisk, noteOnDisk, leadOnDisk := map[string]string{}, map[string]string{}, map[string]cadence.LeadID{}
	if err := s.ForEachTouch(func(t cadence.Touch) error { touchOnDisk[t.Note] = t.Rep; return nil }); err != nil {
		tb.Fatal(err)
	}
	if err := s.ForEachLead(func(l cadence.Lead) error { leadOnDisk[l.Email] = l.ID; return nil }); err != nil {
		tb.Fatal(err)
	}
	for _, id := range leadOnDisk {
		notes, err := s.Notes(id)
		if err != nil {
			tb.Fatal(err)
		}
		for _, n := range notes {
			noteOnDisk[n.Text] = n.Rep
		}
	}
	for text, rep := range ackTouch {
		if touchOnDisk[text] != rep {
			res.lost = append(res.lost, "touch "+text)
		}
	}
	for text, rep := range ackNote {
		if noteOnDisk[text] != rep {
			res.lost = append(res.lost, "note "+text)
		}
	}
	for email, id := range ackLead {
		if leadOnDisk[email] != id {
			res.lost = append(res.lost, fmt.Sprintf("lead %d (%s)", id, email))
		}
	}
	res.touches, res.notes, res.leads = len(ackTouch), len(ackNote), len(ackLead)
	slices.Sort(res.sshLat)
	slices.Sort(res.httpLat)
	if len(res.lost) > 0 {
		slices.Sort(res.lost)
		tb.Errorf("%d acknowledged writes are not on disk, e.g. %v", len(res.lost), res.lost[:min(5, len(res.lost))])
	}
	s.Close()
	check := exec.Command(bin, "check", db)
	check.Env = env
	if out, err := check.CombinedOutput(); err != nil {
		tb.Errorf("followup check after the run: %v\n%s", err, out)
	}
	tb.Logf("%d sessions, %d leads/s, %v: acknowledged %d touches, %d notes, %d intake leads; %d unacknowledged; %d lost; "+
		"SSH write p50 %v p99 %v (%d); intake p50 %v p99 %v (%d); server RSS %.1f MiB at start, %.1f MiB peak; server CPU %.2f cores, clients %.2f",
		cfg.sessions, cfg.rate, cfg.duration, res.touches, res.notes, res.leads, res.unacked, len(res.lost),
		pct(res.sshLat, 50), pct(res.sshLat, 99), len(res.sshLat), pct(res.httpLat, 50), pct(res.httpLat, 99), len(res.httpLat),
		float64(res.rssStart)/(1<<20), float64(res.hwm)/(1<<20), res.serverCores, res.clientCores)
	return res
}

// repTerminal is a rep's SSH session with a pty, and what its terminal
// received since the last mark.
type repTerminal struct {
	*termtest.Screen
	client *gossh.Client
	keys   interface{ Write([]byte) (int, error) }
}

func openRepTerminal(addr, user string, signer gossh.Signer) (*repTerminal, error) {
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: user, Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 30 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	rt := &repTerminal{Screen: &termtest.Screen{}, client: c}
	if rt.keys, err = openShell(c, rt.Screen); err != nil {
		c.Close()
		return nil, err
	}
	go func() { c.Wait(); rt.Close() }() // the connection ended: nothing more comes
	return rt, nil
}

// procStatusBytes reads a memory figure (VmRSS:, VmHWM:) of a process
// from /proc (Linux), in bytes.
func procStatusBytes(pid int, field string) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read the memory of process %d: %w", pid, err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == field {
			var kb int64
			if _, err := fmt.Sscan(f[1], &kb); err != nil {
				return 0, fmt.Errorf("process %d: %s %q: %w", pid, field, f[1], err)
			}
			return kb * 1024, nil
		}
	}
	return 0, fmt.Errorf("process %d: no %s in /proc/%d/status", pid, field, pid)
}
