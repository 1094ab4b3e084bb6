package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/present"
	"github.com/followuphq/followup/internal/when"
	"github.com/followuphq/followup/store"
)

func runReps(e *env, args []string) error {
	if len(args) > 0 && (args[0] == "--help" || args[0] == "-help" || args[0] == "-h") {
		fmt.Fprint(e.stdout, repsUsage)
		return nil
	}
	if len(args) == 0 {
		return usageError("reps", "say what to do: reps add, list, away or back")
	}
	switch args[0] {
	case "add":
		return runRepsAdd(e, args[1:])
	case "list":
		return runRepsList(e, args[1:])
	case "away":
		return runRepsAway(e, args[1:])
	case "back":
		return runRepsBack(e, args[1:])
	}
	return usageError("reps", "%q is not a reps command; use add, list, away or back", args[0])
}

const repsUsage = `Usage:
  followup reps add NAME --role rep|manager|admin [--key KEY] [--key-file FILE]
  followup reps list [--json]
  followup reps away NAME --until DATE   out of the rotation; their cadences pause
  followup reps back NAME                back now, before the date given
`

func runRepsAway(e *env, args []string) error {
	fs := e.newFlags("reps away", "reps away NAME --until DATE")
	until := fs.String("until", "", "the `date` the rep is back, e.g. 2026-12-07 or \"mon 9:00\" (required)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("reps away", "name one rep: reps away NAME --until DATE")
	}
	if *until == "" {
		return usageError("reps away", "say when %s is back with --until, e.g. --until 2026-12-07", pos[0])
	}
	cfg, now, err := e.configAt()
	if err != nil {
		return err
	}
	back, err := when.Future(*until, now, cfg.Location())
	if err != nil {
		return fmt.Errorf("--until: %w", err)
	}
	return setAway(e, cfg.Policy(), cfg.Location(), pos[0], now, back)
}

func runRepsBack(e *env, args []string) error {
	fs := e.newFlags("reps back", "reps back NAME")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("reps back", "name one rep: reps back NAME")
	}
	cfg, now, err := e.configAt()
	if err != nil {
		return err
	}
	return setAway(e, cfg.Policy(), cfg.Location(), pos[0], now, now)
}

// setAway sets or ends a rep's absence and says what it did to their leads.
func setAway(e *env, p cadence.Policy, loc *time.Location, name string, now, until time.Time) error {
	s, err := e.open(writeExisting)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := s.Rep(name)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%s is not on the team; see followup reps list", name)
	} else if err != nil {
		return err
	}
	if err := r.CheckAbsence(now, until); err != nil {
		return err
	}
	a, err := s.SetAway(p, name, now, until)
	if err != nil {
		return err
	}
	if !until.After(now) {
		fmt.Fprintf(e.stdout, "%s is back: new leads again, and %s where they left off\n", name, agree(a.Paused, "paused cadence resumes", "paused cadences resume"))
		return nil
	}
	fmt.Fprintf(e.stdout, "%s is away until %s: no new leads, %s paused\n", name, until.In(loc).Format("Mon 2006-01-02 15:04 MST"), plural(a.Paused, "cadence"))
	if n := len(a.Untouched); n > 0 {
		fmt.Fprintf(e.stdout, "%s in %s's queue; hand %s over with followup assign LEAD --to REP (ids: %s)\n",
			agree(n, "untouched lead still waits", "untouched leads still wait"), name, forCount(n, "it", "them"), joinIDs(a.Untouched, 10))
	}
	return nil
}

// joinIDs lists up to max ids, then how many more.
func joinIDs(ids []cadence.LeadID, max int) string {
	var b strings.Builder
	for i, id := range ids {
		if i == max {
			fmt.Fprintf(&b, " and %d more", len(ids)-max)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(id.String())
	}
	return b.String()
}

func runRepsAdd(e *env, args []string) error {
	fs := e.newFlags("reps add", "reps add NAME --role rep|manager|admin [--key \"ssh-ed25519 …\"] [--key-file FILE]")
	role := fs.String("role", "", "rep, manager or admin (required)")
	var keys, keyFiles stringList
	fs.Var(&keys, "key", "an SSH public `key` in authorized_keys form (repeatable)")
	fs.Var(&keyFiles, "key-file", "a `file` of SSH public keys, one per line (repeatable)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("reps add", "name one person: reps add NAME --role rep")
	}
	r := cadence.Rep{Name: pos[0]}
	if *role == "" {
		return usageError("reps add", "give %s a role with --role rep, manager or admin", r.Name)
	}
	if r.Role, err = cadence.ParseRole(*role); err != nil {
		return usageError("reps add", "--role: %v", err)
	}
	for _, f := range keyFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("--key-file: %w", err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				keys = append(keys, line)
			}
		}
	}
	r.Keys = keys
	if r.CreatedAt, err = e.now(); err != nil {
		return err
	}
	if err := cadence.ValidateRepName(r.Name); err != nil {
		return usageError("reps add", "%v", err)
	}
	s, err := e.open(writeOrCreate)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.AddRep(r); err != nil {
		if errors.Is(err, store.ErrExists) {
			return fmt.Errorf("%s is already on the team; see followup reps list", r.Name)
		}
		return err
	}
	fmt.Fprintf(e.stdout, "added %s (%s)\n", r.Name, r.Role)
	return nil
}

// repRecord is one rep of `followup reps list --json`.
type repRecord struct {
	Name      string       `json:"name"`
	Role      cadence.Role `json:"role"`
	Keys      int          `json:"keys"`
	AwayUntil present.Time `json:"away_until"`
	OpenLeads int          `json:"open_leads"`
}

func runRepsList(e *env, args []string) error {
	fs := e.newFlags("reps list", "reps list [--json]")
	asJSON := fs.Bool("json", false, "print a JSON array")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	s, err := e.open(readOnly)
	if err != nil {
		return err
	}
	defer s.Close()
	reps, err := s.Reps()
	if err != nil {
		return err
	}
	now, err := e.now()
	if err != nil {
		return err
	}
	records := make([]repRecord, len(reps))
	for i, r := range reps {
		n, err := s.QueueLen(r.Name)
		if err != nil {
			return err
		}
		records[i] = repRecord{Name: r.Name, Role: r.Role, Keys: len(r.Keys), OpenLeads: n}
		if r.AwayAt(now) {
			records[i].AwayUntil = present.At(r.AwayUntil, cfg.Location())
		}
	}
	if *asJSON {
		return present.WriteJSONArray(e.stdout, records)
	}
	if len(records) == 0 {
		fmt.Fprintln(e.stdout, "no one on the team yet; add someone with followup reps add NAME --role rep")
		return nil
	}
	tw := newTable(e.stdout)
	tw.row("NAME\tROLE\tKEYS\tOPEN LEADS\tAWAY UNTIL")
	for i, r := range records {
		away := ""
		if reps[i].AwayAt(now) {
			away = reps[i].AwayUntil.In(cfg.Location()).Format("2006-01-02 15:04")
		}
		tw.row("%s\t%s\t%d\t%d\t%s", r.Name, r.Role, r.Keys, r.OpenLeads, away)
	}
	return tw.flush()
}
