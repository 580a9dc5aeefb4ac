// Command testserver provides the loopback Go module infrastructure used by goproxy-guard's tests:
// a GOPROXY exporter for fixture modules, and servers (module proxies, checksum database, git, faults).
package main

import (
	"fmt"
	"os"
)

const usage = `usage:
  testserver export -modules DIR -out DIR   write DIR in GOPROXY layout; print go.sum lines
  testserver serve CONFIG.json              start servers; print one JSON line; stop on SIGTERM or stdin EOF`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "export":
		err = runExport(os.Args[2:])
	case "serve":
		err = runServe(os.Args[2:])
	default:
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "testserver:", err)
		os.Exit(1)
	}
}
