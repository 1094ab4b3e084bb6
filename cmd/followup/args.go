package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// newFlags returns a flag set for a subcommand that carries the global
// flags too, and prints its help (synopsis and flags) on --help.
func (e *env) newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage: followup %s\n\nFlags:\n", synopsis)
		printFlags(e.stdout, fs)
	}
	e.globalFlags(fs)
	return fs
}

// parseArgs parses flags that may come before, between or after positional
// arguments ("log 42 --outcome won" and "log --outcome won 42") and returns
// the positional ones.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, err // fs.Parse has printed the usage
			}
			return nil, fmt.Errorf("%s; run followup %s --help: %w", err, fs.Name(), errUsage)
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// usageError reports a wrongly called command.
func usageError(name, format string, args ...any) error {
	return fmt.Errorf("%s; run followup %s --help: %w", fmt.Sprintf(format, args...), name, errUsage)
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// printFlags lists a flag set's flags the way the README writes them, with
// two dashes: "  --limit N   show at most N leads (default 20)".
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if name != "" {
			line += " " + name
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "%-24s %s\n", line, usage)
	})
}
