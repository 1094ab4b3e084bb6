package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/followuphq/followup/store"
)

// TestMain lets the test binary double as the followup command (and the
// helper holddb) inside the scripts of testdata/script.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"followup": main,
		"holddb":   holdDB,
	})
}

// TestScripts runs the end-to-end scripts in testdata/script, one file per
// concern. Each script gets its own $WORK with the XDG folders inside it, so
// nothing touches the real home, and runs in UTC so that only the team's
// configured timezone (America/New_York by default) shapes the output.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(env.WorkDir, "config"))
			env.Setenv("XDG_DATA_HOME", filepath.Join(env.WorkDir, "data"))
			env.Setenv("XDG_STATE_HOME", filepath.Join(env.WorkDir, "state"))
			env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, "cache"))
			env.Setenv("XDG_RUNTIME_DIR", filepath.Join(env.WorkDir, "run"))
			env.Setenv("TZ", "UTC")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"json":     cmdJSON,
			"waitfile": cmdWaitFile,
			"truncate": cmdTruncate,
		},
	})
}

// holdDB is the script command "holddb PATH [READY]": it opens the database
// for writing with store.Open, so it holds the file lock, prints "holding",
// creates the file READY (if given) so a script can wait for it with
// waitfile, and keeps the database open until SIGINT or SIGTERM. It gives
// up after a minute so that a forgotten holder never outlives the test.
//
// It does not watch its standard input: testscript gives a background
// command an empty stdin that is closed at once.
func holdDB() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: holddb PATH [READYFILE]")
		os.Exit(2)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	s, err := store.Open(os.Args[1], store.Options{})
	if err != nil {
		fmt.Fprintf(os.Stderr, "holddb: %v\n", err)
		os.Exit(1)
	}
	fmt.Println("holding")
	if len(os.Args) == 3 {
		if err := os.WriteFile(os.Args[2], []byte("holding\n"), 0o600); err != nil {
			fmt.Fprintf(os.Stderr, "holddb: %v\n", err)
			s.Close()
			os.Exit(1)
		}
	}
	select {
	case <-stop:
	case <-time.After(time.Minute):
		fmt.Fprintln(os.Stderr, "holddb: nobody stopped me in a minute; giving up")
	}
	if err := s.Close(); err != nil {
		fmt.Fprintf(os.Stderr, "holddb: %v\n", err)
		os.Exit(1)
	}
}

// cmdWaitFile is the script command "waitfile FILE": it waits (up to 10s)
// until FILE exists.
func cmdWaitFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile FILE")
	}
	name := ts.MkAbs(args[0])
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(name); err == nil {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("%s did not appear within 10s", args[0])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// cmdJSON is the script command that checks the JSON printed on stdout by
// the last exec, so the scripts do not depend on jq:
//
//	json PATH WANT        the value at PATH is WANT
//	! json PATH WANT      the value at PATH exists and is not WANT
//	json -has PATH KEY... the object at PATH has every KEY
//	! json -has PATH KEY... the object at PATH has none of the KEYs
//
// PATH is a dot-separated list of object keys and array indexes ("0.phone",
// "1.next_action.channel"); "." is the whole document; "#" is the length of
// the array or object so far ("#", "0.next_action.#"); "*" applies the rest
// of the path to every element of an array and collects the results
// ("*.id" is the array of ids). WANT is compared with a string value as
// is, and with any other value as compact JSON (42, true, null, [2,1]).
func cmdJSON(ts *testscript.TestScript, neg bool, args []string) {
	has := len(args) > 0 && args[0] == "-has"
	if has {
		args = args[1:]
	}
	if has && len(args) < 2 || !has && len(args) != 2 {
		ts.Fatalf("usage: json PATH WANT, or json -has PATH KEY...")
	}
	dec := json.NewDecoder(strings.NewReader(ts.ReadFile("stdout")))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		ts.Fatalf("stdout is not JSON: %v", err)
	}
	if dec.More() {
		ts.Fatalf("stdout holds more than one JSON value")
	}
	v, err := jsonAt(doc, args[0])
	if err != nil {
		ts.Fatalf("json %s: %v", args[0], err)
	}
	if has {
		obj, ok := v.(map[string]any)
		if !ok {
			ts.Fatalf("json %s: %s is not an object", args[0], jsonText(v))
		}
		for _, k := range args[1:] {
			_, ok := obj[k]
			switch {
			case ok && neg:
				ts.Fatalf("json %s: has key %q", args[0], k)
			case !ok && !neg:
				ts.Fatalf("json %s: no key %q in %s", args[0], k, jsonText(v))
			}
		}
		return
	}
	got := jsonText(v)
	ts.Logf("json %s = %s", args[0], got)
	switch {
	case got == args[1] && neg:
		ts.Fatalf("json %s: got %s, want anything else", args[0], got)
	case got != args[1] && !neg:
		ts.Fatalf("json %s: got %s, want %s", args[0], got, args[1])
	}
}

// jsonAt returns the value at path in v (see cmdJSON).
func jsonAt(v any, path string) (any, error) {
	if path == "." || path == "" {
		return v, nil
	}
	seg, rest, _ := strings.Cut(path, ".")
	var next any
	switch x := v.(type) {
	case []any:
		switch seg {
		case "#":
			next = json.Number(strconv.Itoa(len(x)))
		case "*":
			out := make([]any, len(x))
			for i, e := range x {
				r, err := jsonAt(e, rest)
				if err != nil {
					return nil, fmt.Errorf("element %d: %w", i, err)
				}
				out[i] = r
			}
			return out, nil
		default:
			i, err := strconv.Atoi(seg)
			if err != nil {
				return nil, fmt.Errorf("%q is not an index of an array", seg)
			}
			if i < 0 || i >= len(x) {
				return nil, fmt.Errorf("index %d is out of range: the array has %d elements", i, len(x))
			}
			next = x[i]
		}
	case map[string]any:
		if seg == "#" {
			next = json.Number(strconv.Itoa(len(x)))
			break
		}
		e, ok := x[seg]
		if !ok {
			return nil, fmt.Errorf("no key %q in %s", seg, jsonText(x))
		}
		next = e
	default:
		return nil, fmt.Errorf("cannot take %q of %s", seg, jsonText(v))
	}
	if rest == "" {
		return next, nil
	}
	return jsonAt(next, rest)
}

// jsonText returns a string as is and anything else as compact JSON.
func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprintf("%v", v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// cmdTruncate is the script command "truncate SRC DST N": DST is the first
// N bytes of SRC, like a copy that was cut off.
func cmdTruncate(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: truncate SRC DST N")
	}
	n, err := strconv.Atoi(args[2])
	ts.Check(err)
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), data[:min(n, len(data))], 0o600))
}
