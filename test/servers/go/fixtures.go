package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

// fixtureTime is the commit time reported for every fixture version: fixed so that outputs are reproducible.
var fixtureTime = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// fixtureModule is one module version, with everything a GOPROXY serves for it and its go.sum hashes.
type fixtureModule struct {
	Path    string
	Version string
	Files   []memFile
	Mod     []byte
	Zip     []byte
	Info    []byte
	ZipHash string
	ModHash string
}

func (m *fixtureModule) id() string { return m.Path + "@" + m.Version }

func (m *fixtureModule) goSumLines() []string {
	return []string{
		m.Path + " " + m.Version + " " + m.ZipHash,
		m.Path + " " + m.Version + "/go.mod " + m.ModHash,
	}
}

// loadFixtureModules reads every directory named <module path>@<version> below root.
func loadFixtureModules(root string) ([]*fixtureModule, error) {
	var mods []*fixtureModule
	err := filepath.WalkDir(root, func(dir string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() || !strings.Contains(d.Name(), "@") {
			return nil
		}
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			return err
		}
		modPath, version, _ := strings.Cut(filepath.ToSlash(rel), "@")
		files, err := readFiles(dir)
		if err != nil {
			return err
		}
		m, err := buildModule(modPath, version, files)
		if err != nil {
			return fmt.Errorf("fixture %s: %w", dir, err)
		}
		mods = append(mods, m)
		return filepath.SkipDir
	})
	if err != nil {
		return nil, err
	}
	sortModules(mods)
	return mods, nil
}

func sortModules(mods []*fixtureModule) {
	sort.Slice(mods, func(i, j int) bool {
		if mods[i].Path != mods[j].Path {
			return mods[i].Path < mods[j].Path
		}
		return semver.Compare(mods[i].Version, mods[j].Version) < 0
	})
}

// readFiles reads every regular file below dir into memory, with slash-separated relative paths.
func readFiles(dir string) ([]memFile, error) {
	var files []memFile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files = append(files, memFile{name: filepath.ToSlash(rel), data: data})
		return nil
	})
	return files, err
}

// buildModule makes the zip, .mod, .info and hashes of one module version from its files.
func buildModule(modPath, version string, files []memFile) (*fixtureModule, error) {
	var gomod []byte
	for _, f := range files {
		if f.name == "go.mod" {
			gomod = f.data
		}
	}
	if gomod == nil {
		return nil, fmt.Errorf("no go.mod")
	}
	if declared := modfile.ModulePath(gomod); declared != modPath {
		return nil, fmt.Errorf("go.mod declares module %q, directory says %q", declared, modPath)
	}
	zipData, err := createZip(modPath, version, files)
	if err != nil {
		return nil, err
	}
	zipHash, err := hashZip(zipData)
	if err != nil {
		return nil, err
	}
	modHash, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(gomod)), nil
	})
	if err != nil {
		return nil, err
	}
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{version, fixtureTime})
	if err != nil {
		return nil, err
	}
	return &fixtureModule{
		Path: modPath, Version: version, Files: files, Mod: gomod, Zip: zipData, Info: info,
		ZipHash: zipHash, ModHash: modHash,
	}, nil
}

// createZip writes a module zip with golang.org/x/mod/zip, so the go command accepts it.
func createZip(modPath, version string, files []memFile) ([]byte, error) {
	zipFiles := make([]modzip.File, len(files))
	for i, f := range files {
		zipFiles[i] = f
	}
	var buf bytes.Buffer
	if err := modzip.Create(&buf, module.Version{Path: modPath, Version: version}, zipFiles); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// hashZip computes the h1: hash the go command records in go.sum for a module zip.
func hashZip(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", err
	}
	byName := make(map[string]*zip.File, len(zr.File))
	names := make([]string, 0, len(zr.File))
	for _, f := range zr.File {
		byName[f.Name] = f
		names = append(names, f.Name)
	}
	return dirhash.Hash1(names, func(name string) (io.ReadCloser, error) { return byName[name].Open() })
}

// tamperedZip is a valid module zip for m whose content differs from the original (one extra file),
// so its hash no longer matches go.sum or the checksum database.
func tamperedZip(m *fixtureModule) ([]byte, error) {
	files := append([]memFile(nil), m.Files...)
	files = append(files, memFile{name: "tampered.txt", data: []byte("this file was not in the published module\n")})
	return createZip(m.Path, m.Version, files)
}

// memFile is a module file held in memory; it implements golang.org/x/mod/zip.File.
type memFile struct {
	name string
	data []byte
}

func (f memFile) Path() string                 { return f.name }
func (f memFile) Lstat() (os.FileInfo, error)  { return memFileInfo{f}, nil }
func (f memFile) Open() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(f.data)), nil }

type memFileInfo struct{ f memFile }

func (i memFileInfo) Name() string       { return path.Base(i.f.name) }
func (i memFileInfo) Size() int64        { return int64(len(i.f.data)) }
func (i memFileInfo) Mode() fs.FileMode  { return 0o644 }
func (i memFileInfo) ModTime() time.Time { return fixtureTime }
func (i memFileInfo) IsDir() bool        { return false }
func (i memFileInfo) Sys() any           { return nil }
