// Formats floats with Go's strconv.FormatFloat, for the Java side's differential test of its Go-exact
// formatting (GoFloatFormatDifferentialIT). Standard library only.
//
//	floatformat list <g|f> <32|64>
//	    reads one value per line from stdin (hex bit pattern) and prints its formatting per line.
//	floatformat hash <kind> <g|f> <seed> <count> <chunk>
//	    generates count values of kind (bits64, bits32, decimals64, decimals32, all32) from a
//	    SplitMix64 sequence seeded with seed (all32: every float32 from bit pattern seed on), and
//	    prints one FNV-1a 64 hash per chunk of values over "<bits hex> <formatted>\n" lines.
//	floatformat dump <kind> <g|f> <seed> <from> <count>
//	    prints those lines for values from..from+count-1 of the same sequence.
package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
)

type splitMix struct{ x uint64 }

func (s *splitMix) next() uint64 {
	s.x += 0x9E3779B97F4A7C15
	z := s.x
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// value returns the i-th value of kind as its bit pattern and its width.
type generator struct {
	kind string
	rnd  splitMix
	next uint64
}

func (g *generator) value() (uint64, int) {
	switch g.kind {
	case "bits64":
		return g.rnd.next(), 64
	case "bits32":
		return g.rnd.next() & 0xFFFFFFFF, 32
	case "all32":
		v := g.next
		g.next++
		return v & 0xFFFFFFFF, 32
	case "decimals64", "decimals32":
		maxDigits, minExp, span, bits := uint64(17), int64(-345), uint64(670), 64
		if g.kind == "decimals32" {
			maxDigits, minExp, span, bits = 9, -50, 95, 32
		}
		digits := 1 + g.rnd.next()%maxDigits
		pow := uint64(1)
		for i := uint64(0); i < digits; i++ {
			pow *= 10
		}
		mantissa := g.rnd.next() % pow
		exp := minExp + int64(g.rnd.next()%span)
		text := strconv.FormatUint(mantissa, 10) + "e" + strconv.FormatInt(exp, 10)
		f, _ := strconv.ParseFloat(text, bits)
		if bits == 32 {
			return uint64(math.Float32bits(float32(f))), 32
		}
		return math.Float64bits(f), 64
	}
	fmt.Fprintln(os.Stderr, "unknown kind", g.kind)
	os.Exit(2)
	return 0, 0
}

func format(bits uint64, width int, fmtByte byte) string {
	if width == 32 {
		return strconv.FormatFloat(float64(math.Float32frombits(uint32(bits))), fmtByte, -1, 32)
	}
	return strconv.FormatFloat(math.Float64frombits(bits), fmtByte, -1, 64)
}

func line(buf []byte, bits uint64, width int, fmtByte byte) []byte {
	buf = strconv.AppendUint(buf[:0], bits, 16)
	buf = append(buf, ' ')
	buf = append(buf, format(bits, width, fmtByte)...)
	return append(buf, '\n')
}

func atoi(s string) uint64 {
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		fmt.Fprintln(os.Stderr, "not a number:", s)
		os.Exit(2)
	}
	return v
}

func main() {
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer out.Flush()
	args := os.Args[1:]
	if len(args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: floatformat list|hash|dump ...")
		os.Exit(2)
	}
	fmtByte := args[1+boolToInt(args[0] != "list")][0]
	switch args[0] {
	case "list":
		width := int(atoi(args[2]))
		in := bufio.NewScanner(os.Stdin)
		for in.Scan() {
			bits, err := strconv.ParseUint(in.Text(), 16, 64)
			if err != nil {
				fmt.Fprintln(os.Stderr, "not a hex bit pattern:", in.Text())
				os.Exit(2)
			}
			out.WriteString(format(bits, width, fmtByte))
			out.WriteByte('\n')
		}
	case "hash", "dump":
		seed := atoi(args[3])
		g := &generator{kind: args[1], rnd: splitMix{seed}, next: seed}
		buf := make([]byte, 0, 512)
		if args[0] == "hash" {
			count, chunk := atoi(args[4]), atoi(args[5])
			hash := uint64(14695981039346656037)
			for i := uint64(0); i < count; i++ {
				bits, width := g.value()
				buf = line(buf, bits, width, fmtByte)
				for _, b := range buf {
					hash ^= uint64(b)
					hash *= 1099511628211
				}
				if (i+1)%chunk == 0 || i+1 == count {
					fmt.Fprintf(out, "%016x\n", hash)
					hash = 14695981039346656037
				}
			}
		} else {
			from, count := atoi(args[4]), atoi(args[5])
			for i := uint64(0); i < from+count; i++ {
				bits, width := g.value()
				if i >= from {
					out.Write(line(buf, bits, width, fmtByte))
				}
			}
		}
	default:
		fmt.Fprintln(os.Stderr, "unknown command", args[0])
		os.Exit(2)
	}
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
