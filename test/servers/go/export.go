package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/mod/module"
)

// runExport writes the fixture modules as a directory in GOPROXY layout (usable as GOPROXY=file:///dir)
// and prints the go.sum lines of every module on stdout.
func runExport(args []string) error {
	flags := flag.NewFlagSet("export", flag.ContinueOnError)
	modulesDir := flags.String("modules", "", "directory of <module path>@<version> fixture directories")
	outDir := flags.String("out", "", "directory to write the GOPROXY layout into")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *modulesDir == "" || *outDir == "" {
		return errors.New("export needs -modules DIR and -out DIR")
	}
	mods, err := loadFixtureModules(*modulesDir)
	if err != nil {
		return err
	}
	if err := writeProxyLayout(*outDir, newCatalog(mods)); err != nil {
		return err
	}
	for _, m := range mods {
		for _, line := range m.goSumLines() {
			fmt.Println(line)
		}
	}
	return nil
}

func writeProxyLayout(outDir string, cat *catalog) error {
	for _, modPath := range cat.paths() {
		escPath, err := module.EscapePath(modPath)
		if err != nil {
			return err
		}
		base := filepath.Join(outDir, filepath.FromSlash(escPath))
		if err := os.MkdirAll(filepath.Join(base, "@v"), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(base, "@v", "list"), []byte(cat.list(modPath)), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(base, "@latest"), cat.latest(modPath).Info, 0o644); err != nil {
			return err
		}
		for _, m := range cat.versions(modPath) {
			escVersion, err := module.EscapeVersion(m.Version)
			if err != nil {
				return err
			}
			for ext, data := range map[string][]byte{".info": m.Info, ".mod": m.Mod, ".zip": m.Zip} {
				if err := os.WriteFile(filepath.Join(base, "@v", escVersion+ext), data, 0o644); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
