package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/kitforge/kitforge/bench/runtime/variants"
)

// metric is one measured quantity of a round.
type metric struct {
	name   string
	value  func(round) float64
	format string
}

var metrics = []metric{
	{"req/s", round.rps, "%.0f"},
	{"p50", func(r round) float64 { return micros(r.p50) }, "%.0f µs"},
	{"p99", func(r round) float64 { return micros(r.p99) }, "%.0f µs"},
	{"allocs/req", func(r round) float64 { a, _, _ := r.perRequest(); return a }, "%.1f"},
	{"B/req", func(r round) float64 { _, b, _ := r.perRequest(); return b }, "%.0f"},
	{"server CPU/req", func(r round) float64 { _, _, c := r.perRequest(); return micros(c) }, "%.1f µs"},
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// comparison is a pair of variants whose ratio the report spells out.
type comparison struct {
	a, b, what string
	// check says whether the ratios meet the target, or "".
	check func(ratios []float64) string
}

// comparisons are those of the HTTP variants; prefixed with "grpc-", they
// are those of the gRPC variants too.
var comparisons = []comparison{
	{"kitforge", "handkit", "generated vs hand-written Go kit, both with middleware", func(r []float64) string {
		return verdict(r[cpuMetric] <= 1/0.95, fmt.Sprintf("%.2f× the server CPU (target ≥ 0.95× the speed: ≤ %.2f×); throughput %.2f×", r[cpuMetric], 1/0.95, r[0]))
	}},
	{"kitforge", "kitforge-bare", "generated: default middleware vs none", func(r []float64) string {
		return verdict(r[cpuMetric] <= 1.15, fmt.Sprintf("middleware costs %+.0f%% server CPU (target ≤ 15%%); throughput %+.0f%%", 100*(r[cpuMetric]-1), 100*(r[0]-1)))
	}},
	{"kitforge-bare", "handkit-bare", "generated vs hand-written Go kit, no middleware", nil},
	{"handkit", "handkit-bare", "hand-written: middleware vs none", nil},
	{"kitforge-proposed", "kitforge", "generated with package proposal's changes vs as generated", nil},
	{"kitforge-proposed", "kitforge-bare", "generated with package proposal's changes: middleware vs none", nil},
}

// cpuMetric is the index of server CPU/req in metrics: the targets are
// judged on it, the measure that the load of other processes on the machine
// disturbs least (throughput and latency are shown, and move more).
const cpuMetric = 5

func verdict(ok bool, s string) string {
	if ok {
		return "met: " + s
	}
	return "MISSED: " + s
}

// printReport writes, for each protocol, the medians of its variants with
// their ratios to the protocol's first variant (its floor), then the
// comparisons, as Markdown tables.
func printReport(w io.Writer, servers []*server, results [][]round) {
	var protocols []string
	for _, s := range servers {
		if !slices.Contains(protocols, s.protocol) {
			protocols = append(protocols, s.protocol)
		}
	}
	for _, p := range protocols {
		var names []string
		var rs [][]round
		for i, s := range servers {
			if s.protocol == p {
				names = append(names, s.name)
				rs = append(rs, results[i])
			}
		}
		prefix := ""
		if p == variants.GRPC {
			prefix = "grpc-"
		}
		fmt.Fprintf(w, "%s\n\n", strings.ToUpper(p))
		printGroup(w, names, rs, prefix)
	}
}

// printGroup writes the tables of one protocol's variants: medians with
// their ratios to the first variant, then the comparisons, whose cells are
// the median of the per-cycle ratios and, in brackets, their interquartile
// range: how much the ratio moved from cycle to cycle.
func printGroup(w io.Writer, names []string, results [][]round, prefix string) {
	head := []string{"variant"}
	for _, m := range metrics {
		head = append(head, m.name, "× "+names[0])
	}
	var rows [][]string
	for i, name := range names {
		row := []string{name}
		for _, m := range metrics {
			row = append(row, fmt.Sprintf(m.format, medianOf(results[i], m.value)), fmt.Sprintf("%.2f", ratio(results[i], results[0], m.value)))
		}
		rows = append(rows, row)
	}
	writeTable(w, head, rows)
	fmt.Fprintln(w)

	head = []string{"comparison", "a / b"}
	for _, m := range metrics {
		head = append(head, m.name)
	}
	head = append(head, "target")
	rows = nil
	for _, c := range comparisons {
		a, b := prefix+c.a, prefix+c.b
		ia, ib := slices.Index(names, a), slices.Index(names, b)
		if ia < 0 || ib < 0 {
			continue
		}
		row := []string{c.what, a + " / " + b}
		ratios := make([]float64, len(metrics))
		for k, m := range metrics {
			xs := ratios1(results[ia], results[ib], m.value)
			ratios[k] = median(xs)
			row = append(row, fmt.Sprintf("%.2f [%.2f–%.2f]", ratios[k], quantile(xs, 0.25), quantile(xs, 0.75)))
		}
		target := ""
		if c.check != nil {
			target = c.check(ratios)
		}
		rows = append(rows, append(row, target))
	}
	if len(rows) > 0 {
		writeTable(w, head, rows)
		fmt.Fprintln(w)
	}
}

// medianOf returns the median of f over the rounds.
func medianOf(rs []round, f func(round) float64) float64 {
	xs := make([]float64, len(rs))
	for i, r := range rs {
		xs[i] = f(r)
	}
	return median(xs)
}

// ratio returns the median over cycles of f(a)/f(b), each pair measured in
// the same cycle.
func ratio(a, b []round, f func(round) float64) float64 {
	return median(ratios1(a, b, f))
}

// ratios1 returns f(a)/f(b) for every cycle.
func ratios1(a, b []round, f func(round) float64) []float64 {
	xs := make([]float64, min(len(a), len(b)))
	for i := range xs {
		xs[i] = f(a[i]) / f(b[i])
	}
	return xs
}

func median(xs []float64) float64 { return quantile(xs, 0.5) }

// quantile returns the q-quantile of xs, interpolating linearly (0 for none).
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	pos := q * float64(len(xs)-1)
	i := int(pos)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (pos-float64(i))*(xs[i+1]-xs[i])
}

// writeTable writes a Markdown table with numbers right-aligned.
func writeTable(w io.Writer, head []string, rows [][]string) {
	fmt.Fprintln(w, "| "+strings.Join(head, " | ")+" |")
	sep := make([]string, len(head))
	for i := range sep {
		sep[i] = "---:"
	}
	sep[0] = "---"
	if len(head) > 1 && head[1] == "a / b" {
		sep[1] = "---"
	}
	if head[len(head)-1] == "target" {
		sep[len(sep)-1] = "---"
	}
	fmt.Fprintln(w, "|"+strings.Join(sep, "|")+"|")
	for _, r := range rows {
		fmt.Fprintln(w, "| "+strings.Join(r, " | ")+" |")
	}
}
