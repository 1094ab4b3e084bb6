package contact

import (
	"fmt"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
)

// A digitPattern is one regular expression of the phone number library read
// as a deterministic automaton over the digits 0–9, built state by state as
// numbers explore it. Its states are sets of threads of the expression's
// compiled program (the instructions that consume a digit, the match, and
// assertions waiting for the end of the text), so "does some thread accept"
// is exactly whether the expression matches the whole digit string.
//
// The only assertions it reads are the start and the end of the text (^ and
// $ in the library's expressions). Any other assertion (\b, \B) is taken as
// true, which can only add threads: the automaton then over-approximates, a
// dead state still means "never matches", and everything else is reported
// as depending on the digits (someMatch).
type digitPattern struct {
	expr   string       // the expression as compiled, for messages and tests
	prog   *syntax.Prog // the compiled program the threads run
	approx bool         // has assertions other than ^ and $ (see above)
	states []dfaState   // states[deadState] is the empty set of threads
	index  map[string]stateID
	start  stateID // the state before the first digit
}

// A stateID names a state of one digitPattern.
type stateID int32

const (
	deadState stateID = 0  // no thread left: no continuation matches
	notBuilt  stateID = -1 // a transition not followed yet
)

// maxRest is the most digits a residual is asked about: a whole national
// number.
const maxRest = 10

type dfaState struct {
	threads []uint32
	next    [10]stateID
	rest    [maxRest + 1]residual // rest[k]: how the next k digits end, memoised
}

// A residual says how the strings of exactly k more digits fare from a state.
type residual uint8

const (
	residualUnknown residual = iota // not worked out yet
	noneMatch                       // no continuation matches
	allMatch                        // every continuation matches
	someMatch                       // it depends on the digits (or cannot be told)
)

// assertionsRead are the assertions the automaton evaluates exactly.
const assertionsRead = syntax.EmptyBeginText | syntax.EmptyEndText

// newDigitPattern compiles expr with the flags of Go's regexp package (Perl
// syntax, simplified), as the library does.
func newDigitPattern(expr string) (*digitPattern, error) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, fmt.Errorf("parsing %q: %w", expr, err)
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return nil, fmt.Errorf("compiling %q: %w", expr, err)
	}
	p := &digitPattern{expr: expr, prog: prog, index: map[string]stateID{}}
	for _, inst := range prog.Inst {
		if inst.Op == syntax.InstEmptyWidth && syntax.EmptyOp(inst.Arg)&^assertionsRead != 0 {
			p.approx = true
		}
	}
	p.intern(nil) // deadState
	p.start = p.intern(p.closure([]uint32{uint32(prog.Start)}, syntax.EmptyBeginText))
	return p, nil
}

// closure follows the instructions that consume nothing from roots, with
// the assertions in holding true here, and returns the threads it reaches:
// instructions waiting for a digit, the match, and assertions that do not
// hold here (they may hold at the end of the text).
func (p *digitPattern) closure(roots []uint32, holding syntax.EmptyOp) []uint32 {
	seen := make([]bool, len(p.prog.Inst))
	var threads []uint32
	var visit func(pc uint32)
	visit = func(pc uint32) {
		if seen[pc] {
			return
		}
		seen[pc] = true
		inst := &p.prog.Inst[pc]
		switch inst.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			visit(inst.Out)
			visit(inst.Arg)
		case syntax.InstCapture, syntax.InstNop:
			visit(inst.Out)
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(inst.Arg)&assertionsRead&^holding == 0 {
				visit(inst.Out)
			} else {
				threads = append(threads, pc)
			}
		case syntax.InstFail:
		default: // InstMatch and the instructions that consume a rune
			threads = append(threads, pc)
		}
	}
	for _, pc := range roots {
		visit(pc)
	}
	slices.Sort(threads)
	return threads
}

// intern returns the state of a set of threads, adding it if it is new.
func (p *digitPattern) intern(threads []uint32) stateID {
	var key strings.Builder
	for _, pc := range threads {
		key.WriteString(strconv.FormatUint(uint64(pc), 36))
		key.WriteByte(',')
	}
	if id, ok := p.index[key.String()]; ok {
		return id
	}
	id := stateID(len(p.states))
	st := dfaState{threads: threads}
	for i := range st.next {
		st.next[i] = notBuilt
	}
	p.states = append(p.states, st)
	p.index[key.String()] = id
	return id
}

// step returns the state after digit d (0–9) is read in state s.
func (p *digitPattern) step(s stateID, d byte) stateID {
	if next := p.states[s].next[d]; next != notBuilt {
		return next
	}
	var targets []uint32
	for _, pc := range p.states[s].threads {
		inst := &p.prog.Inst[pc]
		switch inst.Op {
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			if inst.MatchRune('0' + rune(d)) {
				targets = append(targets, inst.Out)
			}
		}
	}
	next := p.intern(p.closure(targets, 0))
	p.states[s].next[d] = next
	return next
}

// run returns the state after the ASCII digits are read from state s.
func (p *digitPattern) run(s stateID, digits []byte) stateID {
	for _, c := range digits {
		if s == deadState {
			break
		}
		s = p.step(s, c-'0')
	}
	return s
}

// acceptsAtEnd reports whether the text may end in state s.
func (p *digitPattern) acceptsAtEnd(s stateID) bool {
	for _, pc := range p.closure(p.states[s].threads, syntax.EmptyEndText) {
		if p.prog.Inst[pc].Op == syntax.InstMatch {
			return true
		}
	}
	return false
}

// rest reports whether every, no or only some string of exactly k more
// digits leads state s to a match.
func (p *digitPattern) rest(s stateID, k int) residual {
	if s == deadState {
		return noneMatch
	}
	if r := p.states[s].rest[k]; r != residualUnknown {
		return r
	}
	var r residual
	if k == 0 {
		switch {
		case !p.acceptsAtEnd(s):
			r = noneMatch
		case p.approx:
			r = someMatch // a thread may owe its life to an assertion taken as true
		default:
			r = allMatch
		}
	} else {
		for d := range byte(10) {
			switch next := p.rest(p.step(s, d), k-1); {
			case r == residualUnknown:
				r = next
			case r != next:
				r = someMatch
			}
			if r == someMatch {
				break
			}
		}
	}
	p.states[s].rest[k] = r
	return r
}
