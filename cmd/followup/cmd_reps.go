package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/followuphq/followup/cadence"
	"github.com/followuphq/followup/internal/present"
	"github.com/followuphq/followup/store"
)

func runReps(e *env, args []string) error {
	if len(args) > 0 && (args[0] == "--help" || args[0] == "-help" || args[0] == "-h") {
		fmt.Fprint(e.stdout, "Usage:\n  followup reps add NAME --role rep|manager|admin [--key KEY] [--key-file FILE]\n  followup reps list [--json]\n")
		return nil
	}
	if len(args) == 0 || args[0] != "add" && args[0] != "list" {
		return usageError("reps", "say what to do: reps add NAME --role rep|manager|admin, or reps list")
	}
	if args[0] == "add" {
		return runRepsAdd(e, args[1:])
	}
	return runRepsList(e, args[1:])
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
	records := make([]repRecord, len(reps))
	for i, r := range reps {
		n, err := s.QueueLen(r.Name)
		if err != nil {
			return err
		}
		records[i] = repRecord{Name: r.Name, Role: r.Role, Keys: len(r.Keys),
			AwayUntil: present.At(r.AwayUntil, cfg.Location()), OpenLeads: n}
	}
	if *asJSON {
		a := present.NewJSONArray(e.stdout)
		for _, r := range records {
			if err := a.Add(r); err != nil {
				return err
			}
		}
		return a.Close()
	}
	if len(records) == 0 {
		fmt.Fprintln(e.stdout, "no one on the team yet; add someone with followup reps add NAME --role rep")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tKEYS\tOPEN LEADS")
	for _, r := range records {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\n", r.Name, r.Role, r.Keys, r.OpenLeads)
	}
	return tw.Flush()
}
