// Command followup is a keyboard-first terminal workstation that makes a
// sales team follow up every lead. This package parses flags and wires the
// pieces together; the logic lives in cadence, store and internal.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

const usage = `followup — follow up 100% of your leads.

Usage:
  followup [global flags]                 show your queue
  followup demo [--leads N] [--no-tui]    a demo database with N realistic leads
  followup add --name N [--email E] [--phone P] [--company C] ...
  followup import FILE.csv [--dry-run] [--strict] [--map HEADER=field] [--source S] [--owner REP] [--contact-me]
  followup names [--json]                 the nurture list: people not yet leads
  followup queue [--rep REP] [--limit N] [--json]
  followup assign LEAD --to REP            hand a lead to another rep
  followup log LEAD --outcome OUTCOME [--channel C] [--note TEXT] [--until DATE]
  followup export leads|touches [--format csv|json]
  followup report [--since DUR|DATE] [--until DATE] [--rep REP] [--source S] [--json] [--check]
  followup reps add NAME --role rep|manager|admin [--key KEY]
  followup reps list [--json]
  followup reps away NAME --until DATE     out of the rotation; their cadences pause
  followup reps back NAME
  followup backup FILE
  followup check [FILE]
  followup serve [--ssh ADDR] [--intake ADDR]
                                         the team server: reps over SSH, leads over HTTP

Global flags (before or after the command):
  --db PATH        the database (default $XDG_DATA_HOME/followup/followup.db)
  --config PATH    the config (default $XDG_CONFIG_HOME/followup/config.toml)
  --as REP         act as this rep
  --now RFC3339    evaluate everything as of this time

Run "followup COMMAND --help" for a command's flags.
`

// command is one subcommand: it parses its own flags from args.
type command func(e *env, args []string) error

var commands = map[string]command{
	"tui":    runTUI,
	"demo":   runDemo,
	"add":    runAdd,
	"queue":  runQueue,
	"log":    runLog,
	"export": runExport,
	"reps":   runReps,
	"backup": runBackup,
	"check":  runCheck,
	"serve":  runServe,
	"import": runImport,
	"assign": runAssign,
	"report": runReport,
	"names":  runNames,
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage marks an error in how the command was called (exit 2).
var errUsage = errors.New("usage")

// exitError carries a non-zero exit code with no message of its own, for a
// command that has already said what is wrong.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit %d", int(e)) }

func run(args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr}
	top := flag.NewFlagSet("followup", flag.ContinueOnError)
	top.SetOutput(io.Discard)
	e.globalFlags(top)
	help := top.Bool("help", false, "")
	top.BoolVar(help, "h", false, "")
	if err := top.Parse(args); err != nil {
		fmt.Fprintf(stderr, "followup: %v; run followup --help for usage\n", err)
		return 2
	}
	if *help {
		fmt.Fprint(stdout, usage)
		return 0
	}
	rest := top.Args()
	name := "tui"
	if len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	if name == "help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "followup: %q is not a command; run followup --help to see them\n", name)
		return 2
	}
	err := cmd(e, rest)
	var code exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &code):
		return int(code)
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "followup %s: %s\n", name, sentence(errors.New(strings.TrimSuffix(err.Error(), ": usage"))))
		return 2
	case diskFull(err):
		fmt.Fprintf(stderr, "followup %s: %s\n", name, sentence(fmt.Errorf("%w%s", err, diskFullHint)))
		return 1
	default:
		fmt.Fprintf(stderr, "followup %s: %s\n", name, sentence(err))
		return 1
	}
}

// sentence makes sure a message ends like a sentence.
func sentence(err error) string {
	s := err.Error()
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") {
		s += "."
	}
	return s
}
